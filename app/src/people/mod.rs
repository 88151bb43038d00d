//! People: residents, owners, tenants and other contacts of a management company, and the
//! parsers their data goes through (phone numbers today; plates and the client card follow).
//! Phone numbers are stored in E.164 (`+79001234567`) whatever way they were typed.

pub mod phone;

pub use phone::Phone;
