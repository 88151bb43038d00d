//! The staff home («Сегодня»): what needs attention today in the buildings the user reaches —
//! residents waiting for a link, invitations about to expire, imports left half-way, the
//! largest debts — with the counts of the user's buildings, units and clients. Each part is
//! shown only with the permission it needs; the installation's state follows for `system.view`.
//!
//! Shape: `pages` → `api` (context, permission, service) → `server::service` (which parts the
//! actor may see) → `server::repo` (SQL, named rows).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
