//! Sets stored as JSON arrays of their codes (`jsonb` on PostgreSQL, JSON text on SQLite).

use proto::{Claim, LicensingOption};
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// A tenant's licensing options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct LicensingOptions(pub Vec<LicensingOption>);

/// A user's permission claims.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct ClaimCodes(pub Vec<Claim>);

/// The wizard steps a user came through, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct StepHistory(pub Vec<u8>);
