//! Server side of the company registry (ssr only): `service` (visibility, who may change what,
//! validation, the transaction, the audit entry) over `repo` (SQL with named rows), and the demo.

pub mod demo;
pub mod repo;
pub mod service;
