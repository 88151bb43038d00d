//! Platforma's shared crate: everything both the browser and the server need.
//!
//! Layout (one folder per capability, same shape in each):
//! - `model.rs` — wasm-safe types and their parsers, shared by the browser and the server;
//! - `api.rs` — thin `#[server]` functions with stable endpoints (access check first);
//! - `server/` — ssr-only use cases and SQL;
//! - `pages.rs` / `components/` — UI.
//!
//! Cross-cutting: [`ui`] (design system), [`i18n`] (translations), [`shell`] (layouts and routes),
//! [`access`] (the policy table), [`error`] (the one error type), [`export`] (what every
//! export must do to cells), [`people`] (phone parsing; the
//! people registry grows there), `db`, `demo` and `sms` (outgoing SMS gateways; ssr only).

#![recursion_limit = "512"]

pub mod access;
pub mod admin;
pub mod api;
pub mod auth;
pub mod buildings;
pub mod companies;
pub mod error;
pub mod export;
pub mod i18n;
pub mod imports;
pub mod people;
pub mod phonebook;
pub mod shell;
pub mod system;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod sms;

pub use error::AppError;
pub use shell::{App, shell};
