//! Who is calling: access tokens (JWT), API tokens, password hashing and randomness.

mod caller;
mod jwt;
mod password;
mod random;

pub use caller::{AuthMethod, Caller, SESSION_COOKIE, source_ip as source_ip_of};
pub use jwt::{AccessClaims, JwtKeys};
pub use password::{hash_password, verify_password_or_dummy, with_hashing_slot};
pub use random::{ApiTokenSecret, random_bytes};
