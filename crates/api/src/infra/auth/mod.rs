//! Who is calling: access tokens (JWT), API tokens, password hashing and randomness.

mod caller;
mod jwt;
mod password;
mod random;
mod totp;

pub use caller::{
    AuthMethod, Caller, EnrollingCaller, SESSION_COOKIE, presented_session,
    source_ip as source_ip_of,
};
pub use jwt::{AccessClaims, JwtKeys, MICROSOFT_SIGN_IN_TTL_SECS};
pub use password::{hash_password, is_outdated, verify_password_or_dummy, with_hashing_slot};
pub use random::{ApiTokenSecret, random_bytes};
pub use totp::{MfaKey, TotpFactor, qr_svg};
