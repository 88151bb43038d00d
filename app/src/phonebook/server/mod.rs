//! Server side of the phonebook (ssr only).

pub mod demo;
pub mod repo;
