//! Server side of administration (ssr only).

pub mod repo;
