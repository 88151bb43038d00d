//! One place where an error becomes words: a form passes its table of field texts, the codes
//! every form shares (conflicts, throttling, transport) are worded here.

use crate::error::{AppError, Conflict, Invalid};
use crate::i18n::{Tr, fill};

/// How a form words a refused field: the field (its name before `.` or `[`, `"*"` for any), the
/// code (`None` for any code), the text.
pub type FieldText = (&'static str, Option<Invalid>, fn(&Tr) -> &'static str);

/// The message for an error, in the user's language: the first matching row of `fields` for a
/// refused input, the shared wording otherwise.
pub fn error_text(err: &AppError, t: &Tr, fields: &[FieldText]) -> String {
    match err {
        AppError::Validation { field, code } => {
            let head = field.split(['.', '[']).next().unwrap_or_default();
            fields
                .iter()
                .find(|(f, c, _)| (*f == head || *f == "*") && c.is_none_or(|c| c == *code))
                .map_or_else(
                    || match code {
                        Invalid::TooLong => t.errors_too_long.to_owned(),
                        _ => t.errors_validation.to_owned(),
                    },
                    |(_, _, text)| text(t).to_owned(),
                )
        }
        AppError::Conflict(c) => conflict_text(*c, t).to_owned(),
        AppError::TooManyRequests(s) => fill(t.errors_too_many, &[("seconds", &s.to_string())]),
        other => other.describe(t),
    }
}

fn conflict_text(c: Conflict, t: &Tr) -> &'static str {
    match c {
        Conflict::UnitInUse => t.unit_error_in_use,
        Conflict::ImportRunning => t.import_error_busy,
        Conflict::AlreadyLinked => t.residents_error_already,
        Conflict::Changed
        | Conflict::ImportStarted
        | Conflict::NotPending
        | Conflict::NotActive
        | Conflict::DemoIncomplete => t.errors_conflict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::RU;

    const FIELDS: &[FieldText] = &[
        ("name", Some(Invalid::Taken), |t| t.org_error_taken),
        ("name", None, |t| t.org_error_name),
        ("*", Some(Invalid::TooLong), |t| t.errors_too_long),
    ];

    #[test]
    fn the_first_matching_row_wins_and_lists_match_by_their_head() {
        let text = |field: &str, code| error_text(&AppError::validation(field, code), &RU, FIELDS);
        assert_eq!(text("name", Invalid::Taken), RU.org_error_taken);
        assert_eq!(text("name", Invalid::Required), RU.org_error_name);
        assert_eq!(text("name.0", Invalid::Format), RU.org_error_name);
        assert_eq!(text("note", Invalid::TooLong), RU.errors_too_long);
        assert_eq!(text("note", Invalid::Format), RU.errors_validation);
        assert_eq!(
            error_text(&AppError::Conflict(Conflict::AlreadyLinked), &RU, FIELDS),
            RU.residents_error_already
        );
        assert_eq!(
            error_text(&AppError::NotFound, &RU, FIELDS),
            RU.errors_not_found
        );
    }
}
