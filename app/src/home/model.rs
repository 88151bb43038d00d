//! What the home shows (shared by the server and the browser).

use crate::buildings::model::{BuildingId, UnitId};
use serde::{Deserialize, Serialize};

/// The parts of today's home the user may see; `None` where the permission is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Today {
    /// Buildings and units in reach (`buildings.view`).
    pub scope: Option<ScopeCounts>,
    /// Clients in reach (`people.view`).
    pub people: Option<i64>,
    /// Invitations to the cabinet that expire within [`EXPIRING_DAYS`] days unaccepted
    /// (`people.manage`).
    pub expiring: Option<Vec<Expiring>>,
    /// Imports uploaded but not applied, or failed, in the last [`IMPORT_DAYS`] days
    /// (`people.import`).
    pub imports: Option<Vec<ImportToFinish>>,
    /// Buildings with units owing at least [`LARGE_DEBT`] kopecks, most debtors first
    /// (`buildings.view`).
    pub debts: Option<Vec<BuildingDebts>>,
}

/// How far ahead an invitation counts as expiring.
pub const EXPIRING_DAYS: i64 = 3;
/// How far back an unfinished import is still shown.
pub const IMPORT_DAYS: i64 = 14;
/// A large debt (kopecks): the same threshold as the grid's arrears colours.
pub const LARGE_DEBT: i64 = 1_000_000;
/// How many rows each list shows.
pub const LIST_LIMIT: i64 = 5;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeCounts {
    pub buildings: i64,
    pub units: i64,
}

/// An invitation about to expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiring {
    pub unit_id: UnitId,
    /// "Лесная, 12 — 7".
    pub unit: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// An import to apply or look into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportToFinish {
    pub id: i64,
    pub file_name: String,
    pub building: String,
    /// `uploaded` (waiting for the preview to be applied) or `failed`.
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A building's large debts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingDebts {
    pub building_id: BuildingId,
    pub building: String,
    /// Units owing at least [`LARGE_DEBT`].
    pub units: i64,
    /// Their debts together, in kopecks.
    pub total: i64,
}
