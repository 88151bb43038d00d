//! The shared shape of server functions: [`Ctx`] gives the database and the caller, `authorize`
//! checks the policy table first, and [`finish`] maps an error to its HTTP status and logs it.

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::AppError;
    use crate::access::{Access, access_for};
    use crate::db::Db;
    use leptos::prelude::*;

    /// What the server provides to every request: the database and facts about the process.
    #[derive(Clone, Debug)]
    pub struct AppContext {
        pub db: Db,
        pub started_at: chrono::DateTime<chrono::Utc>,
        pub version: &'static str,
    }

    /// The context of one server-function call.
    pub struct Ctx {
        pub app: AppContext,
        pub endpoint: &'static str,
    }

    impl Ctx {
        /// Reads the server context for the endpoint being served.
        pub fn from_request(endpoint: &'static str) -> Result<Self, AppError> {
            let app = use_context::<AppContext>().ok_or_else(|| {
                tracing::error!(
                    endpoint,
                    "AppContext missing: server functions must be served by the app router"
                );
                AppError::Internal
            })?;
            Ok(Self { app, endpoint })
        }

        pub fn db(&self) -> &Db {
            &self.app.db
        }

        /// Checks the caller against the policy table entry of this endpoint. Always the first call.
        pub fn authorize(&self) -> Result<(), AppError> {
            match access_for(self.endpoint) {
                Some(Access::Public) => Ok(()),
                // No sessions exist yet: nobody holds a permission.
                Some(Access::Permission(_)) => Err(AppError::Unauthenticated),
                None => {
                    tracing::error!(
                        endpoint = self.endpoint,
                        "endpoint missing from the access policy table"
                    );
                    Err(AppError::Forbidden)
                }
            }
        }
    }

    /// Ends a server function: logs a failure of ours at error level. Refusals (bad input, no
    /// access) are logged, and every error gets its HTTP status, by the server's
    /// `server_fn_status` layer, which also sees errors raised before the function runs.
    pub fn finish<T>(endpoint: &'static str, result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result
            && err.status().is_server_error()
        {
            tracing::error!(endpoint, error = %err, "server function failed");
        }
        result
    }
}
