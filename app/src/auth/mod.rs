//! Accounts: staff sign-in (password; guard tablet for a shift), resident sign-in (phone and
//! one-time SMS code, or a password they set), sign-out here or everywhere, password change and
//! the "profile and security" page. Sessions and permissions live in `access`.

pub mod account;
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
