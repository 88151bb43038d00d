//! Server side of administration (ssr only).

pub mod org;
pub mod repo;
pub mod service;
