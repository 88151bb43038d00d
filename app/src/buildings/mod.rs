//! Buildings: addresses (one normal form per address), buildings with entrances (sections,
//! parking and non-residential blocks), floors and units with stable ids, work areas, and the
//! building grid (шахматка).
//!
//! Who touches it: object managers and dispatchers read it (`buildings.view`), administrators
//! and object managers change it (`buildings.manage`); both in their scope — company-wide, or the
//! buildings / work areas their grant names (`access::server::Reach`). Residents never read the
//! registry; they see their own units through `residents`.
//!
//! `buildings` names no feature module: what the unit page and the buildings list show of
//! people, residents and the history comes through [`slots`], filled by the shell.
//!
//! Invariants: units are referred to by id only, so renaming or retyping one changes nothing that
//! points at it; a generated grid has unique unit numbers per building (property-tested in
//! `model`); every change is audited in its own transaction.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod slots;
pub mod unit_pages;
