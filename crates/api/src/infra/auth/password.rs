use std::sync::{Mutex, OnceLock, PoisonError};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, Version,
    password_hash::{Output, SaltString, rand_core::OsRng},
};

use crate::infra::InfraFailure;

/// Runs password hashing work off the async workers, at most one job per core at a time. Each
/// argon2id run holds its memory (`MEMORY_KIB`) and a core: beyond the cores, extra runs only
/// queue in memory (32 sign-ins at once reached 2.9 GiB of peak memory without this bound).
pub async fn with_hashing_slot<T, F>(work: F) -> Result<T, InfraFailure>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| tokio::sync::Semaphore::new(hashing_slots()));
    let _slot = slots
        .acquire()
        .await
        .map_err(|error| InfraFailure::from(anyhow::Error::from(error)))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| InfraFailure::from(anyhow::Error::from(error)))
}

fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// OWASP's password storage cheat sheet lists argon2id settings of equal strength that trade
/// memory for passes (19 MiB and 2 passes, 12 and 3, 9 and 4, 7 and 5). New hashes take 7 MiB
/// and 5 passes, about the same work as 19 MiB and 2: two sign-ins hashing at once hold 14 MiB
/// instead of 38.
const MEMORY_KIB: u32 = 7 * 1024;
const PASSES: u32 = 5;
const LANES: u32 = 1;

fn hasher() -> Result<Argon2<'static>, InfraFailure> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("argon2 parameters: {error}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes with argon2id and the settings above.
pub fn hash_password(password: &str) -> Result<String, InfraFailure> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| InfraFailure::from(anyhow::anyhow!("hashing failed: {error}")))
}

/// Whether `stored_hash` was made with other settings than new hashes get (by an earlier
/// version of the server): after a sign-in proves the password, it is hashed again.
pub fn is_outdated(stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return true;
    };
    parsed.algorithm != Algorithm::Argon2id.ident()
        || Params::try_from(&parsed).map_or(true, |params| {
            (params.m_cost(), params.t_cost(), params.p_cost()) != (MEMORY_KIB, PASSES, LANES)
        })
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
    verifies(password, &hash) && stored_hash.is_some()
}

/// Whether `password` hashes to `stored_hash` under the settings `stored_hash` names, in kept
/// working memory (`with_working_memory`). The comparison is `Output`'s, in constant time.
fn verifies(password: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let mut salt_bytes = [0_u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    with_working_memory(blocks, |memory| {
        Output::init_with(expected.len(), |out| {
            argon2
                .hash_password_into_with_memory(password.as_bytes(), salt, out, memory)
                .map_err(Into::into)
        })
    })
    .is_ok_and(|computed| computed == expected)
}

/// Runs `run` in `blocks` KiB of argon2 working memory. Memory of today's size is kept for the
/// next sign-in, at most one per hashing slot: allocated and freed on every sign-in, the 7 MiB
/// stayed with the allocator (mimalloc gives freed memory back after a delay), and the load
/// bench's peak was about 4 MiB higher and its sign-ins slower (the page faults of fresh memory).
fn with_working_memory<T>(blocks: usize, run: impl FnOnce(&mut [Block]) -> T) -> T {
    static KEPT: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
    let todays = u32::try_from(blocks) == Ok(MEMORY_KIB);
    let kept = todays
        .then(|| KEPT.lock().unwrap_or_else(PoisonError::into_inner).pop())
        .flatten();
    let mut memory = kept.unwrap_or_else(|| vec![Block::default(); blocks]);
    let answer = run(&mut memory);
    if todays {
        let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() < hashing_slots() {
            kept.push(memory);
        }
    }
    answer
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
    fn new_hashes_take_owasps_7_mib_and_5_passes_and_older_settings_are_outdated() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
        assert!(!is_outdated(&hash));
        // What earlier versions stored: the crate's defaults, 19 MiB and 2 passes.
        let salt = SaltString::generate(&mut OsRng);
        let older = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(
            older.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{older}"
        );
        assert!(is_outdated(&older));
        assert!(verify_password_or_dummy(
            "correct horse battery",
            Some(&older)
        ));
        assert!(is_outdated("not a hash"));
        assert!(!verify_password_or_dummy("not a hash", Some("not a hash")));
    }

    #[test]
    fn kept_working_memory_gives_the_same_answers_run_after_run() {
        let hash = hash_password("correct horse battery").unwrap();
        let other = hash_password("wrong horse battery").unwrap();
        for _ in 0..3 {
            assert!(verify_password_or_dummy(
                "correct horse battery",
                Some(&hash)
            ));
            assert!(!verify_password_or_dummy(
                "correct horse battery",
                Some(&other)
            ));
            assert!(verify_password_or_dummy(
                "wrong horse battery",
                Some(&other)
            ));
        }
    }

    #[test]
    fn an_unknown_account_never_verifies() {
        assert!(!verify_password_or_dummy(
            "not-a-real-password-for-timing",
            None
        ));
    }
}
