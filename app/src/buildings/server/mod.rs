//! Server side of the buildings registry (ssr only): SQL and rules, demo buildings.

pub mod demo;
pub mod repo;
