//! Server side of people (ssr only): residents' links to units.

pub mod links;
