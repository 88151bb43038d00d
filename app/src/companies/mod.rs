//! The company registry: management companies (УК), contractors and service providers.
//!
//! Every company-owned row in Platforma points at a company. The foundation keeps the registry
//! and shows it: staff see the list (public legal-entity data); the public contacts of management
//! companies (their dispatch phones, which an УК must publish) are open to residents.
//! Editing, holdings and isolation rules arrive with the Users/roles/access work.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
