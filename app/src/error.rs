//! The one error type every server function returns.
//!
//! Variants are things a user (or the UI on their behalf) can act on. Database and unexpected
//! errors are logged on the server with their full cause chain and reach the client only as
//! [`AppError::Internal`], never as SQL text.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use leptos::server_fn;

/// Defines a code enum: its variants, their stable `snake_case` codes (also on the wire), `ALL`
/// and `as_str`.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The stable code, as sent to the browser and kept in import reports.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code, )* }
            }
        }
    };
}

codes!(
    /// Why one input was refused: a stable code that the interface turns into words with
    /// [`crate::ui::error_text`], per field where the form needs it.
    Invalid {
        Required = "required",
        TooLong = "too_long",
        TooShort = "too_short",
        Length = "length",
        Format = "format",
        Characters = "characters",
        DigitsOnly = "digits_only",
        StartWithLetter = "start_with_letter",
        Checksum = "checksum",
        Range = "range",
        Future = "future",
        BeforeStart = "before_start",
        Taken = "taken",
        Duplicate = "duplicate",
        Unknown = "unknown",
        NotFound = "not_found",
        Missing = "missing",
        OutOfReach = "out_of_reach",
        Cycle = "cycle",
        Same = "same",
        NotNeighbour = "not_neighbour",
        Floors = "floors",
        TooMany = "too_many",
        OwnersOnly = "owners_only",
        /// One's own access or administration would be removed.
        OwnAccess = "self",
        Wrong = "wrong",
        /// Not (or no longer) valid, such as a session that has ended.
        Expired = "invalid",
        Rejected = "rejected",
        Refused = "refused",
        // Uploaded files and their column mapping.
        Empty = "empty",
        NoRows = "no_rows",
        Broken = "broken",
        Binary = "binary",
        CsvBroken = "csv_broken",
        NotUtf8 = "not_utf8",
        Encoding = "encoding",
        TooLarge = "too_large",
        TooManyRows = "too_many_rows",
        TooManyColumns = "too_many_columns",
        TooManyCells = "too_many_cells",
        TooComplex = "too_complex",
        TooSlow = "too_slow",
        UnknownField = "unknown_field",
        UnitRequired = "unit_required",
        Twice = "twice",
        NameTwice = "name_twice",
        /// The request itself could not be read (arguments that do not deserialize).
        Malformed = "malformed",
    }
);

codes!(
    /// Why a change conflicts with the current state.
    Conflict {
        /// The record changed since it was read (an edit on a stale copy).
        Changed = "changed",
        /// A unit still has people, residents or history and cannot be removed by a layout change.
        UnitInUse = "unit_in_use",
        /// The import was already started.
        ImportStarted = "import_started",
        /// Another import of the company is running.
        ImportRunning = "import_running",
        /// A resident link is not waiting for a decision any more.
        NotPending = "not_pending",
        /// A resident link is not active.
        NotActive = "not_active",
        /// The account is already linked to this unit.
        AlreadyLinked = "already_linked",
        /// Demo data refers to a row an earlier demo step should have made.
        DemoIncomplete = "demo_incomplete",
    }
);

/// An error a server function can return to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or belongs to another company (the two answer alike).
    #[error("not found")]
    NotFound,
    /// Signed in, but this action needs a permission the user does not have.
    #[error("forbidden")]
    Forbidden,
    /// Not signed in, or the session has expired.
    #[error("unauthenticated")]
    Unauthenticated,
    /// One input field is wrong, and why.
    #[error("{field}: {code:?}")]
    Validation { field: String, code: Invalid },
    /// The change conflicts with the current state (a stale edit, a running import).
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// Too many attempts; retry after the given number of seconds.
    #[error("too many requests, retry after {0} s")]
    TooManyRequests(u64),
    /// Something went wrong on the server; details are in the server log only.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server function or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn validation(field: impl Into<String>, code: Invalid) -> Self {
        Self::Validation {
            field: field.into(),
            code,
        }
    }

    /// The HTTP status this error maps to when it leaves the server.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            Self::NotFound => S::NOT_FOUND,
            Self::Forbidden => S::FORBIDDEN,
            Self::Unauthenticated => S::UNAUTHORIZED,
            Self::Validation { .. } => S::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => S::CONFLICT,
            Self::TooManyRequests(_) => S::TOO_MANY_REQUESTS,
            Self::Internal | Self::Transport(_) => S::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not deserialize are the caller's mistake, not ours.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                #[cfg(feature = "ssr")]
                tracing::info!(reason = %msg, "request refused: arguments do not deserialize");
                #[cfg(not(feature = "ssr"))]
                let _ = msg;
                Self::validation("request", Invalid::Malformed)
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Every database error is ours, not the user's, and is logged. That includes
    /// `RowNotFound`: a query that may legitimately find nothing uses `fetch_optional` and
    /// answers [`AppError::NotFound`] itself, so a `fetch_one` that finds nothing is a bug.
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = ?err, "database error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::db::DbError> for AppError {
    fn from(err: crate::db::DbError) -> Self {
        tracing::error!(error = ?err, "database error");
        Self::Internal
    }
}

impl AppError {
    /// The message to show a user, in the current language.
    pub fn describe(&self, t: &crate::i18n::Tr) -> String {
        match self {
            Self::NotFound => t.errors_not_found.to_owned(),
            Self::Forbidden => t.errors_forbidden.to_owned(),
            Self::Unauthenticated => t.errors_unauthenticated.to_owned(),
            Self::Validation { code, .. } => match code {
                Invalid::TooLong => t.errors_too_long.to_owned(),
                _ => t.errors_validation.to_owned(),
            },
            Self::Conflict(_) => t.errors_conflict.to_owned(),
            Self::TooManyRequests(s) => {
                crate::i18n::fill(t.errors_too_many, &[("seconds", &s.to_string())])
            }
            Self::Internal => t.errors_internal.to_owned(),
            Self::Transport(_) => t.errors_transport.to_owned(),
        }
    }
}
