//! Server side of the home (ssr only).

pub mod repo;
pub mod service;
