//! Who may call what. Every server function and HTTP route is listed in [`POLICY`] with the access
//! it needs; a server function asks [`crate::api::Ctx::authorize`] before doing anything else, and a
//! test fails when a registered server function is missing from the table.
//!
//! The foundation has no accounts yet: the Users/roles/access work adds sessions, the permission
//! catalogue and scopes; until then only `Public` entries can succeed and anything that names a
//! permission answers `Unauthenticated`.

use serde::{Deserialize, Serialize};

/// What a caller needs to reach an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// Anyone, signed in or not. Only for data that is public anyway.
    Public,
    /// A signed-in user holding this permission (in the scope of the object touched).
    Permission(&'static str),
}

/// Every server function (by its `/api/...` path) and HTTP route, with the access it needs.
pub const POLICY: &[(&str, Access)] = &[
    // Server functions.
    ("/api/system/overview", Access::Public),
    ("/api/companies/public-contacts", Access::Public),
    // Legal-entity registry data (names, INN, office phones: public in ЕГРЮЛ, no personal data).
    // The access work narrows it to holders of `companies.view` once sign-in exists.
    ("/api/companies/list", Access::Public),
    // Operational HTTP routes (answered by the server crate, not by server functions).
    ("/healthz", Access::Public),
    ("/readyz", Access::Public),
    ("/metrics", Access::Public),
];

/// The access an endpoint needs, or `None` when it is not in the table (which a test forbids).
pub fn access_for(path: &str) -> Option<Access> {
    POLICY.iter().find(|(p, _)| *p == path).map(|(_, a)| *a)
}
