//! Accounts. The foundation stores staff accounts and creates the first administrator
//! (`platforma create-admin`); sign-in, sessions, roles and scopes are built on this table by the
//! Users/roles/access work.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
