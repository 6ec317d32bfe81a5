//! sea-orm entities, one module per table. The migrations are the authoritative schema; these
//! mirror them column for column, with typed columns: the proto code enums for codes, JSON
//! columns for sets, and the relations the foreign keys draw.
//!
//! A stored value that does not decode (an unknown code, a malformed set) fails the read with a
//! `DbErr`: the database was changed behind the application's back, which the server reports as
//! an internal error, the same way everywhere.

/// `impl Related<…>` for each table an entity reaches through one of its `Relation`s.
macro_rules! related {
    ($($table:ident => $relation:ident),+ $(,)?) => {
        $(
            impl sea_orm::Related<super::$table::Entity> for Entity {
                fn to() -> sea_orm::RelationDef {
                    Relation::$relation.def()
                }
            }
        )+
    };
}

pub mod activation;
pub mod api_token;
pub mod audit_log;
pub mod customer;
pub mod customer_delegated_group;
pub mod customer_delegated_user;
pub mod customer_entra_connection;
pub mod customer_group_policy;
pub mod customer_match_rejection;
pub mod directory_offboarding;
pub mod group_policy;
pub mod idempotency_record;
pub mod invitation;
pub mod jit_account;
pub mod job;
pub mod job_run;
mod json_sets;
pub mod licence_key;
pub mod login_throttle;
pub mod provisioning_call;
pub mod recovery_code;
pub mod scim_token;
pub mod security_integration;
pub mod session;
pub mod sub_tenant_listing;
pub mod sub_tenant_sighting;
pub mod technician_group;
pub mod technician_group_member;
pub mod tenant;
pub mod totp_factor;
pub mod user;
pub mod user_source;
pub mod wizard_progress;

pub use json_sets::{ClaimCodes, LicensingOptions, StepHistory};
