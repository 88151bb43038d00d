//! The one error type every server function returns.
//!
//! Variants are things a user (or the UI on their behalf) can act on. Database and unexpected
//! errors are logged on the server with their full cause chain and reach the client only as
//! [`AppError::Internal`], never as SQL text.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use leptos::server_fn;

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
    /// One input field is wrong; `message` is for the user.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The change conflicts with the current state (a duplicate, a stale edit).
    #[error("conflict: {0}")]
    Conflict(String),
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
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
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
                Self::validation("request", msg)
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if matches!(err, sqlx::Error::RowNotFound) {
            return Self::NotFound;
        }
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
            Self::Validation { message, .. } => match message.as_str() {
                "too_long" => t.errors_too_long.to_owned(),
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
