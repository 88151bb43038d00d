//! Administration of access: roles (permissions, parent role, and an explanation of where each
//! effective permission comes from), users (create, deactivate, reset password, sessions, access:
//! roles with scopes, groups, position), the organisation (groups, positions), and the audit log. Administrators (`admin.roles`, `admin.users`, `admin.audit`) see and change only
//! their own company; another company's ids answer like missing ones.

pub mod api;
pub mod model;
pub mod org_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
