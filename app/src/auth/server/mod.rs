//! Server side of accounts (ssr only).

pub mod code;
pub mod repo;
pub mod service;
