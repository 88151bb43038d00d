//! Server side of the unit history (ssr only).

pub mod repo;
pub mod service;
