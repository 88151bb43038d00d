//! Server side of imports (ssr only): reading files (in a capped reader process: `reader`,
//! `read`), planning rows (`plan`), the use cases the screens call (`service`: upload, preview,
//! start, status, report), the background apply (`apply`), and their SQL (`repo`).

pub mod apply;
pub mod demo;
pub mod plan;
pub mod read;
pub mod reader;
pub mod repo;
pub mod service;
