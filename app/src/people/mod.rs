//! People: residents, owners, tenants and other contacts of a management company, and the
//! parsers their data goes through. Phone numbers are stored in E.164 (`+79001234567`) and
//! vehicle plates in one Cyrillic normal form (`Plate`), whatever way they were typed.
//!
//! Residents' cabinet accounts and their links to units are a module of their own
//! (`residents`). Staff act with `people.view` / `people.manage` in their building scope;
//! phones are shown only with `people.view_personal_data`. Endpoints: `/api/people/*`.

pub mod api;
pub mod card_pages;
pub mod list_pages;
pub mod person;
pub mod search_pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod widgets;
