//! Keys generated once into the data directory when configuration gives none: the access-token
//! signing key and the key that encrypts TOTP secrets. Written owner-only.

use std::path::Path;

use crate::infra::{
    auth::{JwtKeys, MfaKey},
    secret::Secret,
};

pub fn load_or_create_mfa_key(data_dir: &Path) -> anyhow::Result<MfaKey> {
    let path = data_dir.join("mfa-key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return MfaKey::parse(&Secret::new(existing.trim()))
            .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()));
    }
    std::fs::create_dir_all(data_dir).map_err(|error| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {error}",
            data_dir.display()
        )
    })?;
    let key = MfaKey::generate_hex().map_err(|error| anyhow::anyhow!("{error}"))?;
    write_owner_only(&path, &key)?;
    MfaKey::parse(&Secret::new(key))
}

pub fn load_or_create_signing_secret(data_dir: &Path) -> anyhow::Result<Secret> {
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= JwtKeys::MIN_SECRET_BYTES {
            return Ok(Secret::new(existing));
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|error| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {error}",
            data_dir.display()
        )
    })?;
    let secret = hex::encode(
        crate::infra::auth::random_bytes::<32>().map_err(|error| anyhow::anyhow!("{error}"))?,
    );
    write_owner_only(&path, &secret)?;
    Ok(Secret::new(secret))
}

fn write_owner_only(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}
