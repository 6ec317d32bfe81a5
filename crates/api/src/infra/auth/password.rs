use std::sync::OnceLock;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::infra::InfraFailure;

/// Runs password hashing work off the async workers, at most one job per core at a time. Each
/// argon2id run holds 19 MiB and a core: beyond the cores, extra runs only queue in memory (32
/// sign-ins at once reached 2.9 GiB of peak memory without this bound).
pub async fn with_hashing_slot<T, F>(work: F) -> Result<T, InfraFailure>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cores)
    });
    let _slot = slots
        .acquire()
        .await
        .map_err(|error| InfraFailure::from(anyhow::Error::from(error)))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| InfraFailure::from(anyhow::Error::from(error)))
}

/// Hashes with argon2id and the crate's recommended parameters (19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, InfraFailure> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("hashing failed: {error}")))
}

/// Verifies `password` against `stored_hash`, or, for an unknown account, against a dummy hash,
/// so that a wrong e-mail costs the same time as a wrong password.
pub fn verify_password_or_dummy(password: &str, stored_hash: Option<&str>) -> bool {
    static DUMMY_HASH: OnceLock<Option<String>> = OnceLock::new();
    let hash = match stored_hash {
        Some(hash) => Some(hash.to_owned()),
        None => DUMMY_HASH
            .get_or_init(|| hash_password("not-a-real-password-for-timing").ok())
            .clone(),
    };
    let Some(hash) = hash else { return false };
    let verified = PasswordHash::new(&hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    verified && stored_hash.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password_or_dummy(
            "correct horse battery",
            Some(&hash)
        ));
        assert!(!verify_password_or_dummy(
            "wrong horse battery",
            Some(&hash)
        ));
    }

    #[test]
    fn an_unknown_account_never_verifies() {
        assert!(!verify_password_or_dummy(
            "not-a-real-password-for-timing",
            None
        ));
    }
}
