//! Imports of units and people from the company's accounting systems (CSV or XLSX exports):
//! upload, column mapping (saved per source), preview with per-row problems, a background
//! apply with progress, and a report of created, updated, unchanged and rejected rows.
//! Re-importing the same file changes nothing: units match by personal account or number,
//! people by name within the unit or by name and phone. The arrears the exports carry feed the
//! шахматка's arrears colour mode. Needs `people.import` (administrators by default).
//!
//! `model` holds the shared parser every cell goes through; `server::read` turns bytes into a
//! table, `server::plan` decides what each row does without writing, `server::jobs` stores,
//! runs and reports.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
