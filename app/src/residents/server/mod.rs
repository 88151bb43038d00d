//! Server side of residents' links (ssr only): `service` (the use cases: scope, validation, the
//! transaction, the audit entry) over `repo` (SQL with named rows), and the demo links.

pub mod demo;
pub mod repo;
pub mod service;
