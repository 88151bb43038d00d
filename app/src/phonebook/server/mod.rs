//! Server side of the phonebook (ssr only): `service` (who sees and edits which entries,
//! validation, the transaction, the audit entry) over `repo` (SQL with named rows), and the demo.

pub mod demo;
pub mod repo;
pub mod service;
