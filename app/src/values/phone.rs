//! Phone numbers: whatever way a person types one, it is stored in E.164 so "8 (900) 123-45-67",
//! "+7 900 1234567" and "9001234567" are the same number. Russian numbers are the default
//! (a national `8` or a bare ten-digit number means +7); other countries need the leading `+`.

use crate::AppError;
use crate::Invalid;
use serde::{Deserialize, Serialize};

/// A phone number in E.164 form (`+` and 8–15 digits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Parses a typed phone number. Separators (spaces, dashes, dots, brackets) are ignored.
    /// Errors: `Validation { field: "phone", message: "required" | "characters" | "length" }`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let err = |m: Invalid| AppError::validation("phone", m);
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(err(Invalid::Required));
        }
        if trimmed.len() > 40 {
            return Err(err(Invalid::Length));
        }
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '(' | ')' | '.' | '\u{a0}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => {}
                _ => return Err(err(Invalid::Characters)),
            }
        }
        let e164 = if plus {
            if digits.starts_with('7') && digits.len() != 11 {
                return Err(err(Invalid::Length));
            }
            digits
        } else {
            match digits.len() {
                // 8 900 123-45-67 or 7 900 123-45-67
                11 if digits.starts_with('8') || digits.starts_with('7') => {
                    format!("7{}", &digits[1..])
                }
                // 900 123-45-67
                10 => format!("7{digits}"),
                _ => return Err(err(Invalid::Length)),
            }
        };
        if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
            return Err(err(Invalid::Length));
        }
        Ok(Self(format!("+{e164}")))
    }

    /// A short service number ("112", "104") dialled as typed, not in E.164: only the phonebook
    /// keeps these (see `phonebook::model::parse_service_phone`); people's phones are full numbers.
    pub fn short(digits: &str) -> Self {
        Self(
            digits
                .chars()
                .filter(char::is_ascii_digit)
                .take(6)
                .collect(),
        )
    }

    /// The E.164 text, e.g. `+79001234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as people read it, e.g. `+7 900 123-45-67`.
    pub fn display(&self) -> String {
        crate::i18n::format_phone(&self.0)
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Masks a phone for staff without `people.view_personal_data`: the last four digits stay.
pub fn mask_phone(e164: &str) -> String {
    let digits: Vec<char> = e164.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return "***".into();
    }
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("*** ***-{}-{}", &tail[..2], &tail[2..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masked_phones_keep_four_digits() {
        assert_eq!(mask_phone("+79001234567"), "*** ***-45-67");
        assert_eq!(mask_phone("+7"), "***");
    }

    #[test]
    fn russian_spellings_are_one_number() {
        for raw in [
            "8 (900) 123-45-67",
            "+7 900 1234567",
            "9001234567",
            "7-900-123-45-67",
            " +7 (900) 123 45 67 ",
            "8.900.123.45.67",
        ] {
            assert_eq!(
                Phone::parse(raw).map(|p| p.0),
                Ok("+79001234567".to_owned()),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn foreign_numbers_need_a_plus_and_bad_input_is_refused() {
        assert_eq!(
            Phone::parse("+49 30 1234567").map(|p| p.0),
            Ok("+49301234567".into())
        );
        for (raw, why) in [
            ("", "required"),
            ("   ", "required"),
            ("12345", "length"),
            ("+7 900 123", "length"),
            ("900-12a-45-67", "characters"),
            ("9001234567+", "characters"),
            ("+0 123 456 789", "length"),
            ("8 900 123 45 67 89", "length"),
            ("+1234567890123456", "length"),
        ] {
            assert_eq!(
                Phone::parse(raw).map_err(|e| match e {
                    AppError::Validation { field, code } => format!("{field}:{}", code.as_str()),
                    other => format!("{other:?}"),
                }),
                Err(format!("phone:{why}")),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn display_is_russian_style() {
        let p = Phone::parse("89001234567").expect("valid");
        assert_eq!(p.display(), "+7 900 123-45-67");
    }

    proptest! {
        /// Any ten-digit subscriber number, written any of the usual ways, parses to one value.
        #[test]
        fn spellings_agree(n in 0u64..10_000_000_000u64, style in 0usize..5) {
            let d = format!("{n:010}");
            let typed = match style {
                0 => format!("8 ({}) {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10]),
                1 => format!("+7 {} {}", &d[0..3], &d[3..10]),
                2 => d.clone(),
                3 => format!("7{d}"),
                _ => format!("+7({}){}", &d[0..3], &d[3..10]),
            };
            let parsed = Phone::parse(&typed).expect("a usual spelling parses");
            prop_assert_eq!(parsed.as_str(), format!("+7{d}"));
        }

        /// Arbitrary text never panics, and whatever parses is E.164 and parses to itself.
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,50}") {
            if let Ok(p) = Phone::parse(&s) {
                prop_assert!(p.as_str().starts_with('+'));
                prop_assert!(p.as_str()[1..].bytes().all(|b| b.is_ascii_digit()));
                prop_assert_eq!(Phone::parse(p.as_str()), Ok(p.clone()));
            }
        }
    }
}
