//! Who is calling: access tokens (JWT), API tokens, passwords and sign-in throttling.

mod caller;
mod jwt;
mod password;
mod random;
pub mod throttle;

pub use caller::{AuthMethod, Caller, SESSION_COOKIE, source_ip as source_ip_of};
pub use jwt::{AccessClaims, JwtKeys};
pub use password::{hash_password, verify_password_or_dummy, with_hashing_slot};
pub use random::{ApiTokenSecret, random_bytes};
