//! Server side of the company registry (ssr only).

pub mod demo;
pub mod repo;
