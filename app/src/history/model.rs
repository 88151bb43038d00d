//! Shared types of the unit history.

use serde::{Deserialize, Serialize};

/// How many history entries the unit page shows (newest first).
pub const UNIT_HISTORY: usize = 100;

/// One line of a unit's history: an audit entry about the unit (or a person or resident linked
/// to it), or an import row that wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    /// The audit action (`unit.update`, `person.unit_link` …), or `import.created` /
    /// `import.updated` for an import row.
    pub action: String,
    /// `field: old → new` lines; for `import.*` the file name, the row number and the report's
    /// codes (`unit:created;…`), one per line.
    /// Empty when they would show personal data the caller may not see.
    pub changes: String,
    /// The person the entry is about, named as the caller may see them.
    pub person: Option<EventPerson>,
    /// The import job of an `import.*` entry.
    pub job: Option<i64>,
}

/// A person named in a unit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPerson {
    pub id: i64,
    pub name: String,
}
