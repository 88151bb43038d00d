//! What the system page shows.

use serde::{Deserialize, Serialize};

/// A snapshot of the installation's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemInfo {
    /// Platforma's version (the workspace version).
    pub version: String,
    /// "SQLite" or "PostgreSQL".
    pub database: String,
    /// The database answered a query just now.
    pub database_ok: bool,
    /// Applied migrations, oldest first: (version, description).
    pub migrations: Vec<(i64, String)>,
    /// Migrations compiled into the binary but not applied (should be none: they run on start).
    pub pending_migrations: usize,
    /// Companies in the registry.
    pub companies: i64,
    /// When the server process started (RFC 3339, UTC).
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// Seconds since start.
    pub uptime_secs: i64,
}
