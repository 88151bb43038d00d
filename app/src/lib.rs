//! Platforma's shared crate: everything both the browser and the server need.
//!
//! `docs/architecture.md` is the map: the layers, what each module may import, where a new
//! module's files go. Each feature module has the same shape:
//! - `model.rs` — wasm-safe types and their parsers, shared by the browser and the server;
//! - `api.rs` — thin `#[server]` functions with stable endpoints (access check first);
//! - `server/` — ssr-only use cases and SQL;
//! - `pages.rs` (and `*_pages.rs`) — the screens.
//!
//! Low, shared modules that name no feature module (`app/tests/architecture.rs` checks it):
//! [`error`] (the one error type), [`i18n`] (translations and formats), [`values`] (phones,
//! plates, names, text folding), [`export`] (what every export does to cells), [`ui`] (the design
//! system), and on the server `db`, `fake` (the demo-data generator) and `sms` (gateways).
//! [`access`] holds the permission catalogue, the policy table and the signed-in user; [`shell`]
//! (layouts and routes) sits on top and nothing names it; `demo` runs every module's demo step.

#![recursion_limit = "512"]

pub mod access;
pub mod admin;
pub mod api;
pub mod auth;
pub mod buildings;
pub mod companies;
pub mod error;
pub mod export;
pub mod history;
pub mod home;
pub mod i18n;
pub mod imports;
pub mod people;
pub mod phonebook;
pub mod residents;
pub mod shell;
pub mod system;
pub mod ui;
pub mod values;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod fake;
#[cfg(feature = "ssr")]
pub mod sms;

pub use error::{AppError, Conflict, Invalid};
pub use shell::{App, shell};
