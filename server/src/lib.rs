#![recursion_limit = "512"]

//! Platforma's server: settings ([`settings`]), logging ([`telemetry`]), the HTTP stack with
//! operational endpoints and security headers ([`startup`], [`metrics`], [`security`]) and the
//! command line ([`cli`]). The binary (`src/main.rs`) only calls [`cli::main`].

pub mod cli;
pub mod metrics;
pub mod security;
pub mod settings;
pub mod startup;
pub mod telemetry;
