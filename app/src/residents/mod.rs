//! Residents: the cabinet accounts' links to units. A resident account belongs to the person
//! (their phone), not to a company, and reaches a unit only through an invitation staff sent to
//! the resident's phone, or through a claim staff confirmed — never by saying so.
//!
//! Staff invite, confirm and end links with `people.view` / `people.manage` in their building
//! scope (phones only with `people.view_personal_data`); residents see their units and claim one
//! in the cabinet. Endpoints: `/api/residents/*`. Depends on `buildings` (units) and `values`.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
