//! Server side of people (ssr only): residents' links to units, the people registry and the
//! client card, search.

pub mod demo;
pub mod links;
pub mod registry;
pub mod search;
