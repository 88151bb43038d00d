//! Server side of access (ssr only).

pub mod actor;
pub mod audit;
pub mod demo;
pub mod devices;
pub mod guard_view;
pub mod password;
pub mod repo;
pub mod session;
pub mod throttle;

pub use actor::{Actor, Reach};
