//! The demo-data generator: a seeded random source and Russian names, addresses and phone
//! numbers. A leaf module: the modules' demo steps use it, and `demo` runs those steps.

pub mod names;
pub mod rng;

pub use rng::DemoRng;
