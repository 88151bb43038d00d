//! People: residents, owners, tenants and other contacts of a management company, and the
//! parsers their data goes through. Phone numbers are stored in E.164 (`+79001234567`) and
//! vehicle plates in one Cyrillic normal form (`Plate`), whatever way they were typed.
//!
//! Residents' links to units live here (`model`, `server::links`): a resident account reaches a
//! unit only through an invitation to its phone or a claim staff confirmed, never by saying so.
//! Staff act with `people.view` / `people.manage` in their building scope; phones are shown only
//! with `people.view_personal_data`.

pub mod api;
pub mod card_pages;
pub mod model;
pub mod pages;
pub mod person;
pub mod search_pages;
#[cfg(feature = "ssr")]
pub mod server;
