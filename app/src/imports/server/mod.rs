//! Server side of imports (ssr only): reading files, planning rows, running jobs.

pub mod demo;
pub mod jobs;
pub mod plan;
pub mod read;
