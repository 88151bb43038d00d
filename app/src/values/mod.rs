//! Value types and text helpers every module shares: phone numbers (E.164, masked for readers
//! without personal-data rights), vehicle plates (one Cyrillic normal form), a person's relation
//! to a unit, names, text folding for search, and the `db_enum!` macro for enums
//! stored as text codes. Depends on nothing but `error` and `i18n`.

use crate::Invalid;

pub mod phone;
pub mod plate;
pub mod relation;

pub use phone::{Phone, mask_phone};
pub use plate::Plate;
pub use relation::Relation;

/// An enum stored as a text code: `ALL`, `as_db` and `from_db`.
macro_rules! db_enum {
    ($(#[$meta:meta])* $name:ident { $( $variant:ident = $code:literal ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $( $variant, )* }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The value stored in the database.
            pub fn as_db(self) -> &'static str {
                match self { $( $name::$variant => $code, )* }
            }

            pub fn from_db(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_db() == s)
            }
        }
    };
}

pub(crate) use db_enum;

/// Folds text for comparison and search: lower case, ё → е, runs of spaces and punctuation to a
/// single space, trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        if c.is_alphanumeric() || c == '/' || c == '-' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// Trims a name of a group or position: 1–100 characters.
pub fn parse_name(raw: &str) -> Result<String, crate::AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 {
        Err(crate::AppError::validation("name", Invalid::Required))
    } else {
        Ok(name.to_owned())
    }
}
