//! Users, roles and access.
//!
//! - [`audit`]: the audit log's actions, objects and fields in words (both languages);
//! - [`me`]: the signed-in user as the interface sees them, and `can` for showing actions;
//! - [`permission`]: the permission catalogue (codes stored in the database);
//! - [`roles`]: default roles seeded per company, scopes;
//! - [`policy`]: every server function and route with the access it needs (one table);
//! - `server/` (ssr): sessions, the [`server::actor::Actor`] of a request with its effective
//!   permissions (roles inherit from parent roles; users get roles directly and through groups),
//!   sign-in throttling, the audit log.
//!
//! Invariants: a server function asks `Ctx::authorize` first; company-owned rows are read
//! through the actor's company, so another company's id answers exactly like a missing one.

pub mod audit;
pub mod me;
pub mod permission;
pub mod policy;
pub mod roles;
#[cfg(feature = "ssr")]
pub mod server;

pub use me::{Me, MeResource, SessionInfo, can, is_operator};
pub use permission::{Module, Permission};
pub use policy::{
    Access, GUARD_ENDPOINTS, POLICY, PageAccess, access_for, page_access, sign_in_page_for,
};
pub use roles::Scope;
