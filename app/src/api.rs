//! The shared shape of server functions: [`Ctx`] gives the database and the caller, `authorize`
//! checks the policy table first, and [`finish`] maps an error to its HTTP status and logs it.

#[cfg(feature = "ssr")]
pub use ssr::*;

/// The body of a server function: reads the context, checks the policy table for the endpoint
/// (always first), then runs `$body`, which sees `ctx`, `actor` (signed in) and `client`; the
/// result goes through [`finish`].
#[macro_export]
macro_rules! api_fn {
    ($ep:literal, |$ctx:ident, $actor:ident, $client:ident| $body:expr) => {{
        use $crate::api::{Ctx, finish};
        const EP: &str = $ep;
        let result = async {
            let $ctx = Ctx::from_request(EP)?;
            let $actor = $ctx.authorize_actor().await?;
            #[allow(unused_variables)]
            let $client = $ctx.client();
            $body.await
        };
        finish(EP, result.await)
    }};
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::AppError;
    use crate::access::server::session::{self, ClientInfo, SessionConfig};
    use crate::access::server::throttle::Throttle;
    use crate::access::server::{Actor, actor};
    use crate::access::{Access, access_for};
    use crate::db::Db;
    use axum::extract::ConnectInfo;
    use leptos::prelude::*;
    use std::net::{IpAddr, SocketAddr};
    use std::sync::Arc;

    /// What the server provides to every request: the database, session and throttle settings,
    /// and facts about the process.
    #[derive(Clone, Debug)]
    pub struct AppContext {
        pub db: Db,
        pub started_at: chrono::DateTime<chrono::Utc>,
        pub version: &'static str,
        pub sessions: SessionConfig,
        pub throttle: Arc<Throttle>,
        /// Sign-in codes sent, counted per phone and per IP (SMS cost, pumping).
        pub code_sends: Arc<Throttle>,
        /// Where outgoing SMS go.
        pub sms: crate::sms::SmsGateway,
        /// Proxies whose `X-Forwarded-For` is believed; everyone else's is ignored.
        pub trusted_proxies: Arc<Vec<IpAddr>>,
        /// Where links in outgoing messages point.
        pub links: OutgoingLinks,
        /// State a feature module keeps for itself, keyed by its type and set at start-up (the
        /// import's file readers): the context names no feature module.
        pub modules: http::Extensions,
    }

    /// The address links in outgoing messages (SMS, later e-mail and push) are built from:
    /// `security.public_url`, never a request's `Host` header (anyone can forge that and have a
    /// real resident sent to their own site).
    #[derive(Clone, Debug)]
    pub struct OutgoingLinks {
        public: Option<String>,
        local: String,
    }

    impl Default for OutgoingLinks {
        fn default() -> Self {
            Self::new(None, "http://127.0.0.1:3000".into())
        }
    }

    impl OutgoingLinks {
        /// `public`: the configured public URL (checked, no trailing slash); `local`: the
        /// server's own listen address, used only while messages stay on this machine.
        pub fn new(public: Option<String>, local: String) -> Self {
            Self { public, local }
        }
    }

    impl AppContext {
        /// A context with default session and throttle settings (tests, tools).
        pub fn new(db: Db, version: &'static str) -> Self {
            Self {
                db,
                started_at: chrono::Utc::now(),
                version,
                sessions: SessionConfig::default(),
                throttle: Arc::new(Throttle::default()),
                code_sends: Arc::new(Throttle::new(
                    crate::access::server::throttle::ThrottleConfig::CODE_SENDS,
                )),
                sms: crate::sms::SmsGateway::default(),
                trusted_proxies: Arc::new(Vec::new()),
                links: OutgoingLinks::default(),
                modules: http::Extensions::new(),
            }
        }

        /// The base address for a link in a message leaving the server: the configured public
        /// URL; without one, the listen address, but only while messages stay on this machine
        /// (the `log` SMS gateway of demo and development). Otherwise `Validation` on
        /// `public_url` (`missing`): the administrator must configure the address first.
        pub fn outgoing_base(&self) -> Result<String, AppError> {
            match (&self.links.public, &self.sms) {
                (Some(url), _) => Ok(url.clone()),
                (None, crate::sms::SmsGateway::Log) => Ok(self.links.local.clone()),
                (None, _) => {
                    tracing::warn!(
                        "a message with a link was refused: security.public_url is not configured"
                    );
                    Err(AppError::validation("public_url", crate::Invalid::Missing))
                }
            }
        }

        /// The client's address: the TCP peer, or the last `X-Forwarded-For` hop when the peer
        /// is a trusted proxy.
        pub fn client_info(&self, parts: &http::request::Parts) -> ClientInfo {
            let peer = parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip());
            let forwarded = || {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .and_then(|v| v.trim().parse::<IpAddr>().ok())
            };
            let ip = match peer {
                Some(p) if self.trusted_proxies.contains(&p) => forwarded().or(Some(p)),
                other => other,
            };
            let user_agent = parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let device = parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(crate::access::server::devices::token_from_cookie_header)
                .map(str::to_owned);
            ClientInfo {
                ip: ip.map(|i| i.to_string()),
                user_agent,
                device,
            }
        }

        /// The actor behind the request's session cookie, if any.
        pub async fn actor(&self, parts: &http::request::Parts) -> Result<Option<Actor>, AppError> {
            let token = parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(session::token_from_cookie_header);
            match token {
                Some(t) => actor::from_token(&self.db, &self.sessions, t).await,
                None => Ok(None),
            }
        }
    }

    /// The context of one server-function call.
    pub struct Ctx {
        pub app: AppContext,
        pub endpoint: &'static str,
        pub parts: http::request::Parts,
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
            let parts = use_context::<http::request::Parts>().ok_or_else(|| {
                tracing::error!(endpoint, "request parts missing");
                AppError::Internal
            })?;
            Ok(Self {
                app,
                endpoint,
                parts,
            })
        }

        pub fn db(&self) -> &Db {
            &self.app.db
        }

        pub fn client(&self) -> ClientInfo {
            self.app.client_info(&self.parts)
        }

        /// Checks the caller against this endpoint's entry in the policy table. Always the first
        /// call. Returns the signed-in actor (always `Some` unless the endpoint is public).
        pub async fn authorize(&self) -> Result<Option<Actor>, AppError> {
            let access = access_for(self.endpoint).ok_or_else(|| {
                tracing::error!(
                    endpoint = self.endpoint,
                    "endpoint missing from the access policy table"
                );
                AppError::Forbidden
            })?;
            let actor = self.app.actor(&self.parts).await?;
            if actor
                .as_ref()
                .is_some_and(|a| a.session_kind == session::SessionKind::Guard)
            {
                // A guard tablet reaches only its own endpoints, whatever roles signed it in.
                if !crate::access::GUARD_ENDPOINTS.contains(&self.endpoint) {
                    return Err(AppError::Forbidden);
                }
                // Without the flag the answer could not be checked: refuse rather than leak.
                let Some(flag) = use_context::<crate::access::server::guard_view::GuardPost>()
                else {
                    tracing::error!(
                        endpoint = self.endpoint,
                        "guard-post flag missing from the request context"
                    );
                    return Err(AppError::Forbidden);
                };
                flag.raise();
            }
            match (access, actor) {
                (Access::Public, actor) => Ok(actor),
                (_, None) => Err(AppError::Unauthenticated),
                (Access::Authenticated, Some(a)) => Ok(Some(a)),
                (Access::Resident, Some(a)) => {
                    a.require_resident()?;
                    Ok(Some(a))
                }
                (Access::Monitoring, Some(_)) => Err(AppError::Forbidden),
                (Access::Operator, Some(a)) => {
                    if a.is_platform_admin && a.session_kind != session::SessionKind::Guard {
                        Ok(Some(a))
                    } else {
                        Err(AppError::Forbidden)
                    }
                }
                (Access::Permission(p), Some(a)) => {
                    a.require(p)?;
                    Ok(Some(a))
                }
            }
        }

        /// [`Self::authorize`] for endpoints that are never public.
        pub async fn authorize_actor(&self) -> Result<Actor, AppError> {
            self.authorize().await?.ok_or(AppError::Unauthenticated)
        }
    }

    /// Ends a server function: logs a failure of ours at error level. Refusals (bad input, no
    /// access) are logged, and every error gets its HTTP status, by the server's
    /// `server_fn_status` layer, which also sees errors raised before the function runs.
    /// For a guard-tablet session the answer must pass the guard field allowlist, or the call is
    /// refused (see `access::server::guard_view`).
    pub fn finish<T: serde::Serialize>(
        endpoint: &'static str,
        result: Result<T, AppError>,
    ) -> Result<T, AppError> {
        use crate::access::server::guard_view::{GuardPost, forbidden_field};
        if let Ok(value) = &result
            && use_context::<GuardPost>().is_some_and(|f| f.is_raised())
        {
            let leaked = serde_json::to_value(value).map_or_else(
                |_| Some("<unserialisable>".to_owned()),
                |v| forbidden_field(&v),
            );
            if let Some(field) = leaked {
                tracing::error!(
                    endpoint,
                    field,
                    "answer withheld from a guard post: field not in the guard allowlist"
                );
                return Err(AppError::Forbidden);
            }
        }
        if let Err(err) = &result
            && err.status().is_server_error()
        {
            tracing::error!(endpoint, error = %err, "server function failed");
        }
        result
    }
}
