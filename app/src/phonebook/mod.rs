//! The phonebook: the company's directory of contacts that are not residents — contractors,
//! emergency and utility services, authorities, staff on duty — linked to the buildings or work
//! areas they serve (none: the whole company), searched by name, organisation or phone, and
//! called with one tap (`tel:` links).
//!
//! Every staff member reads it (`phonebook.view`); administrators and client-facing managers keep
//! it (`phonebook.manage`). Staff whose grant covers only some buildings see the company-wide
//! entries and those of their buildings, and may add or edit only entries naming their buildings.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
