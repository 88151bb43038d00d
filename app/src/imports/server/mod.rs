//! Server side of imports (ssr only): reading files (in a capped reader process: `reader`),
//! planning rows, running jobs.

pub mod demo;
pub mod jobs;
pub mod plan;
pub mod read;
pub mod reader;
