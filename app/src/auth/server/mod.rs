//! Server side of accounts (ssr only).

pub mod code;
pub mod password;
pub mod repo;
pub mod service;
