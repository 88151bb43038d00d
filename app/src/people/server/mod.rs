//! Server side of people (ssr only): the people registry and the client card, search.

pub mod demo;
pub mod registry;
pub mod search;
