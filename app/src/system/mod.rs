//! The installation itself: version, database, schema and uptime, shown on the staff overview
//! and the system page. Operational endpoints (`/healthz`, `/readyz`, `/metrics`) live in the
//! server crate; this feature is what people see.

pub mod api;
pub mod model;
pub mod pages;
