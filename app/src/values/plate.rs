//! Vehicle registration plates. Russian plates use only the twelve Cyrillic letters that have
//! Latin look-alikes (А В Е К М Н О Р С Т У Х), and people type them either way: "а123вс77",
//! "A 123 BC 77" and "А123ВС 77 RUS" are one plate. A plate is stored in one normal form:
//! upper case, look-alike Latin letters turned Cyrillic, no spaces, dashes or "RUS".

use crate::AppError;
use crate::Invalid;
use serde::{Deserialize, Serialize};

/// Latin letters and their Cyrillic twins on Russian plates.
const LOOK_ALIKES: [(char, char); 12] = [
    ('A', 'А'),
    ('B', 'В'),
    ('E', 'Е'),
    ('K', 'К'),
    ('M', 'М'),
    ('H', 'Н'),
    ('O', 'О'),
    ('P', 'Р'),
    ('C', 'С'),
    ('T', 'Т'),
    ('Y', 'У'),
    ('X', 'Х'),
];

/// The Cyrillic letters a standard Russian plate may carry.
const PLATE_LETTERS: &str = "АВЕКМНОРСТУХ";

/// A search query in plate letters, for partial plate search ("a123" finds "А123ВС77"): upper
/// case, look-alike Latin letters as Cyrillic, separators dropped. `None` unless the query has
/// at least one digit, at least one letter (digits alone are phones and accounts) and only
/// plate-like characters (so names never search plates).
pub fn plate_letters(raw: &str) -> Option<String> {
    let mut s = String::new();
    let mut digit = false;
    for c in raw.trim().chars().flat_map(char::to_uppercase) {
        match c {
            ' ' | '-' | '.' | '\u{a0}' => {}
            c if c.is_ascii_digit() => {
                digit = true;
                s.push(c);
            }
            c => s.push(
                LOOK_ALIKES
                    .iter()
                    .find(|(l, _)| *l == c)
                    .map_or(c, |(_, cy)| *cy),
            ),
        }
    }
    for suffix in ["RUS", "РУС"] {
        if s.len() > suffix.len() && s.ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
        }
    }
    let plate_like = s
        .chars()
        .all(|c| c.is_ascii_digit() || PLATE_LETTERS.contains(c));
    let letter = s.chars().any(|c| !c.is_ascii_digit());
    (digit && letter && plate_like && s.chars().count() >= 3).then_some(s)
}

/// A plate in normal form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Plate(String);

impl Plate {
    /// Normalises a typed plate. Errors: `Validation { field: "plate", message: "required" |
    /// "characters" | "length" }`. Foreign and special plates are accepted (letters and digits,
    /// 4–12 after normalising); [`Plate::is_standard`] tells a standard Russian one.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let err = |m: Invalid| AppError::validation("plate", m);
        let mut s = String::with_capacity(12);
        for c in raw.trim().chars().flat_map(char::to_uppercase) {
            match c {
                ' ' | '-' | '.' | '\u{a0}' | '|' => {}
                c if c.is_ascii_digit() => s.push(c),
                c if c.is_alphabetic() => {
                    s.push(
                        LOOK_ALIKES
                            .iter()
                            .find(|(l, _)| *l == c)
                            .map_or(c, |(_, cy)| *cy),
                    );
                }
                _ => return Err(err(Invalid::Characters)),
            }
        }
        // "RUS" after the region code says nothing the region does not.
        for suffix in ["RUS", "РУС"] {
            if s.len() > suffix.len() && s.ends_with(suffix) {
                s.truncate(s.len() - suffix.len());
            }
        }
        if s.is_empty() {
            return Err(err(Invalid::Required));
        }
        let n = s.chars().count();
        if !(4..=12).contains(&n) {
            return Err(err(Invalid::Length));
        }
        Ok(Self(s))
    }

    /// True for the standard Russian format: letter, three digits, two letters, a 2–3 digit
    /// region ("А123ВС77", "А123ВС777").
    pub fn is_standard(&self) -> bool {
        let c: Vec<char> = self.0.chars().collect();
        let letter = |i: usize| c.get(i).is_some_and(|x| PLATE_LETTERS.contains(*x));
        let digit = |i: usize| c.get(i).is_some_and(char::is_ascii_digit);
        (c.len() == 8 || c.len() == 9)
            && letter(0)
            && digit(1)
            && digit(2)
            && digit(3)
            && letter(4)
            && letter(5)
            && (6..c.len()).all(digit)
    }

    /// As printed on the plate: "А123ВС 77" for a standard one, the normal form otherwise.
    pub fn display(&self) -> String {
        if self.is_standard() {
            let (main, region): (String, String) = (
                self.0.chars().take(6).collect(),
                self.0.chars().skip(6).collect(),
            );
            format!("{main} {region}")
        } else {
            self.0.clone()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typed_forms_are_one_plate() {
        let want = Plate::parse("А123ВС77").expect("valid");
        for typed in [
            "а123вс77",
            "A123BC77",
            "a 123 bc 77",
            "А123ВС 77 RUS",
            "A-123-BC-77",
            "а123Вс77rus",
        ] {
            assert_eq!(Plate::parse(typed).expect(typed), want, "{typed}");
        }
        assert!(want.is_standard());
        assert!(Plate::parse("А123ВС777").expect("valid").is_standard());
    }

    #[test]
    fn other_plates_are_kept_but_not_standard() {
        let foreign = Plate::parse("AB 1234").expect("valid");
        assert_eq!(foreign.as_str(), "АВ1234");
        assert!(!foreign.is_standard());
        for (bad, why) in [
            ("", "required"),
            ("А1", "length"),
            ("А123;ВС", "characters"),
        ] {
            match Plate::parse(bad) {
                Err(AppError::Validation { code, .. }) => assert_eq!(code.as_str(), why, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(s in "\\PC{0,20}") {
            if let Ok(p) = Plate::parse(&s) {
                prop_assert_eq!(Plate::parse(p.as_str()).expect("normal form parses"), p.clone());
                prop_assert!(!p.as_str().chars().any(|c| c.is_ascii_lowercase() || c == ' '));
            }
        }

        #[test]
        fn latin_and_cyrillic_typing_agree(i in 0usize..12, j in 0usize..12, k in 0usize..12, num in 1u32..1000, region in 1u32..1000) {
            let (l1, c1) = LOOK_ALIKES[i];
            let (l2, c2) = LOOK_ALIKES[j];
            let (l3, c3) = LOOK_ALIKES[k];
            let latin = format!("{l1}{num:03}{l2}{l3}{region:02}");
            let cyrillic = format!("{}{num:03}{}{}{region:02}", c1.to_lowercase(), c2, c3.to_lowercase());
            let a = Plate::parse(&latin).expect("latin");
            prop_assert_eq!(&a, &Plate::parse(&cyrillic).expect("cyrillic"));
            prop_assert!(a.is_standard());
        }
    }
}
