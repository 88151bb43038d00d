//! Helpers every export of data (CSV, XLSX, reports) must use.
//!
//! Imported files keep what they held: a cell like `=HYPERLINK("http://evil.example","Нажмите")`
//! is stored as the text it is. Written back into a spreadsheet as is, it would become a live
//! formula on the next person's computer (CSV/formula injection). [`spreadsheet_cell`] makes
//! such text inert before it is exported.

use std::borrow::Cow;

/// Text as it may go into an exported spreadsheet cell: text that a spreadsheet would take for a
/// formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, also after leading
/// spaces) gets a leading apostrophe, which spreadsheets show as nothing and treat as "this is
/// text". Plain numbers (`-12,50`, `+7 900 …` is not one) are left alone so they stay numbers.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    let start = text.trim_start_matches(' ');
    let risky = start.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(start) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `-12`, `+3.5`, `-1 234,56`: a sign, digits, spaces, one decimal separator.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut digits = 0;
    let mut separators = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' | ',' => separators += 1,
            ' ' | '\u{a0}' => {}
            _ => return false,
        }
    }
    digits > 0 && separators <= 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text() {
        for risky in [
            "=HYPERLINK(\"http://evil.example\",\"Нажмите\")",
            "=1+2",
            "+7 900 123-45-67",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1",
            "\r=1",
            "  =cmd|' /C calc'!A0",
        ] {
            assert_eq!(spreadsheet_cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["Иванов", "12", "-12,50", "+3.5", "-1 234,56", "", "a=b"] {
            assert_eq!(spreadsheet_cell(plain), plain, "{plain:?}");
        }
    }

    proptest! {
        /// Nothing that comes out starts like a formula unless it is a plain number.
        #[test]
        fn no_output_reads_as_a_formula(s in ".{0,30}") {
            let out = spreadsheet_cell(&s);
            let start = out.trim_start_matches(' ');
            if start.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                prop_assert!(is_plain_number(start), "{out:?}");
            }
        }
    }
}
