//! Account types shared by the browser and the server.

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// A staff login: 3–64 characters of lowercase Latin letters, digits, dot, dash or underscore,
/// starting with a letter. Stored lowercased so "Admin" and "admin" are one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Self, crate::AppError> {
        let s = raw.trim().to_ascii_lowercase();
        let len = s.chars().count();
        if !(3..=64).contains(&len) {
            return Err(crate::AppError::validation("login", Invalid::Length));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(crate::AppError::validation(
                "login",
                Invalid::StartWithLetter,
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        {
            return Err(crate::AppError::validation("login", Invalid::Characters));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 10 characters, at most 256 (argon2 input stays bounded).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, crate::AppError> {
        let len = raw.chars().count();
        if len < 10 {
            return Err(crate::AppError::validation("password", Invalid::TooShort));
        }
        if len > 256 {
            return Err(crate::AppError::validation("password", Invalid::TooLong));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// How a sign-in is meant: a person at their workplace, a guard tablet for one shift, or a
/// resident with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SignInMode {
    #[default]
    Staff,
    GuardPost,
    /// A resident with phone number and password (the `login` field holds the phone).
    Resident,
}

/// Where to go after signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub home: String,
}

pub use crate::access::{Me, SessionInfo};

/// A resident asked for a one-time code: when the next may be asked for, how long it is valid.
/// The answer is the same whether or not the phone has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub phone: String,
    pub resend_after_secs: u64,
    pub valid_minutes: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(
            Login::parse("  Admin.Petrova ").map(|l| l.0),
            Ok("admin.petrova".into())
        );
        for bad in ["ab", "1admin", "админ", "a b c", &"a".repeat(65)] {
            assert!(Login::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn passwords_have_bounds_and_never_print() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
        let p = NewPassword::parse("correct horse battery").expect("valid");
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
    }
}
