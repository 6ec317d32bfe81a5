//! sea-orm entities, one module per table. The migrations are the authoritative schema; these
//! mirror them column for column.

pub mod activation;
pub mod api_token;
pub mod audit_log;
pub mod customer;
pub mod customer_group_policy;
pub mod group_policy;
pub mod idempotency_record;
pub mod licence_key;
pub mod login_throttle;
pub mod tenant;
pub mod user;
pub mod wizard_progress;
