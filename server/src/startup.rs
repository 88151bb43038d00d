//! Builds the real application: database, router, middleware, listener, graceful shutdown.
//! Tests use [`Application::build`] exactly as `platforma serve` does, on a random port.

use crate::metrics::{self, Metrics};
use crate::security;
use crate::settings::Settings;
use app::access::server::throttle::Throttle;
use app::api::AppContext;
use app::db::{Db, DbError};
use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt as _;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate as _};
use tower_http::timeout::TimeoutLayer;

/// The version the server reports (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Shared state of the router.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub app: AppContext,
    pub metrics: Metrics,
    /// Who may read `/metrics`.
    pub metrics_access: Arc<metrics::MetricsAccess>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl FromRef<AppState> for Metrics {
    fn from_ref(s: &AppState) -> Self {
        s.metrics.clone()
    }
}

/// Why the server could not start; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(
        "address {0} is already in use: stop the other process or choose another port with PLATFORMA_SERVER_ADDR"
    )]
    AddrInUse(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// Connects and migrates the database named in the settings.
pub async fn open_database(settings: &Settings) -> Result<Db, StartError> {
    app::db::parse_url(&settings.database.url)?;
    let db = Db::connect(&settings.database.url, &settings.db_options()).await?;
    let applied = db.migrate().await?;
    for m in &applied {
        tracing::info!(version = m.version, description = %m.description, "migration applied");
    }
    Ok(db)
}

/// The Leptos options the renderer needs, built from our settings rather than from cargo-leptos'
/// environment, so the binary runs the same under `cargo leptos`, systemd or a test.
pub fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("platforma"))
        .site_root(settings.server.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The largest request body accepted (413 beyond).
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Builds the router: pages and server functions, operational endpoints, static files,
/// and the middleware stack.
pub fn router(state: AppState, request_timeout: Duration, origin: security::OriginRule) -> Router {
    let origin = Arc::new(origin);
    let routes = generate_route_list(app::App);
    let context = state.app.clone();
    let shell_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_endpoint))
        // The stable screen-pop address for telephony: the staff page does the access check.
        .route("/people/by-phone/{number}", get(people_by_phone))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context.clone());
                provide_context(app::access::server::guard_view::GuardPost::default());
            },
            move || app::shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        // Inside compression: it reads the error body before it is compressed.
        .layer(axum::middleware::from_fn(security::server_fn_status))
        .layer(
            // Compress the wasm bundle, CSS, JS and JSON; streamed HTML stays uncompressed so
            // its chunks reach the browser as soon as they are rendered.
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::new("text/html"))),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.app.clone(),
            security::page_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            origin,
            security::same_origin,
        ))
        .layer(axum::middleware::from_fn(security::cache_control))
        // Every body is bounded before anything reads it (a 20 MB import file travels as
        // base64 in a form, so 32 MiB): axum's own 2 MB default for extractors is replaced by
        // one limit for all requests.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// `/people/by-phone/{number}` → the staff page that opens the caller's card. The number is
/// passed through percent-encoded; the page parses it and checks access.
async fn people_by_phone(
    axum::extract::Path(number): axum::extract::Path<String>,
) -> axum::response::Redirect {
    let safe: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || "+-() ".contains(*c))
        .take(40)
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    let safe = safe.replace('+', "%2B");
    axum::response::Redirect::temporary(&format!("/staff/people/by-phone/{safe}"))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), state.app.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database error").into_response()
        }
        Err(_) => {
            tracing::warn!("readiness check: database did not answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database timeout").into_response()
        }
    }
}

async fn metrics_endpoint(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    headers: http::HeaderMap,
) -> axum::response::Response {
    if !state.metrics_access.allows(peer.ip(), &headers) {
        tracing::info!(peer = %peer, "metrics refused: not loopback, not on the allowlist, no token");
        return (
            StatusCode::FORBIDDEN,
            "metrics are served to loopback, to security.metrics_allow, or with security.metrics_token",
        )
            .into_response();
    }
    let uptime = (chrono::Utc::now() - state.app.started_at)
        .to_std()
        .map_or(0.0, |d| d.as_secs_f64());
    (
        [(
            http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(state.app.db.pool_stats(), uptime),
    )
        .into_response()
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    db: Db,
    /// The file readers (an import resumed at start may need to read its file again).
    readers: app::imports::server::reader::Readers,
    grace: Duration,
    addr: SocketAddr,
    /// SIGTERM and SIGINT for `platforma serve`, registered before the port is bound: a signal
    /// that arrives while the server is still starting is a graceful stop, not the default kill.
    /// `None` in tests (they stop the server through `run`'s `Notify`, and keep Ctrl+C).
    signals: Option<Signals>,
}

impl Application {
    /// Opens the database (migrating it), binds the listener and builds the router.
    pub async fn build(settings: &Settings) -> Result<Self, StartError> {
        let addr = settings.server_addr()?;
        let db = open_database(settings).await?;
        let listener = match TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return Err(StartError::AddrInUse(addr));
            }
            Err(source) => return Err(StartError::Listen { addr, source }),
        };
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Listen { addr, source })?;
        let trusted_proxies = Arc::new(settings.trusted_proxies()?);
        let public_url = settings.public_url()?;
        let readers = app::imports::server::reader::Readers::new(settings.reader_config()?);
        let mut state = AppState {
            leptos_options: leptos_options(settings, addr),
            app: AppContext {
                sessions: settings.session_config(),
                throttle: Arc::new(Throttle::new(settings.throttle_config())),
                trusted_proxies: trusted_proxies.clone(),
                sms: settings.sms_gateway()?,
                links: app::api::OutgoingLinks::new(public_url.clone(), format!("http://{addr}")),
                ..AppContext::new(db.clone(), VERSION)
            },
            metrics: Metrics::default(),
            metrics_access: Arc::new(settings.metrics_access()?),
        };
        state.app.modules.insert(readers.clone());
        let origin = security::OriginRule {
            public: public_url.as_deref().and_then(security::Origin::parse),
            trusted_proxies,
        };
        let router = router(
            state,
            Duration::from_secs(settings.server.request_timeout_secs.max(1)),
            origin,
        );
        Ok(Self {
            listener,
            router,
            db,
            readers,
            grace: Duration::from_secs(settings.server.shutdown_grace_secs),
            addr,
            signals: None,
        })
    }

    /// [`Self::build`] for `platforma serve`: SIGTERM and SIGINT are caught from before the port
    /// is bound, so `run(None)` stops gracefully on a signal sent at any moment.
    pub async fn build_serving(settings: &Settings) -> Result<Self, StartError> {
        let signals = Signals::register();
        let mut app = Self::build(settings).await?;
        app.signals = Some(signals);
        Ok(app)
    }

    /// The address actually bound (port 0 in settings picks a free port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `stop` is notified (or SIGTERM/SIGINT when `stop` is `None`), lets requests
    /// in flight finish for up to the grace period, then closes the database.
    pub async fn run(self, stop: Option<Arc<Notify>>) -> std::io::Result<()> {
        let triggered = Arc::new(Notify::new());
        let signals = self.signals;
        let signal = {
            let triggered = triggered.clone();
            async move {
                match stop {
                    Some(n) => n.notified().await,
                    None => signals.unwrap_or_else(Signals::register).recv().await,
                }
                tracing::info!("shutting down: finishing requests in flight");
                triggered.notify_waiters();
                triggered.notify_one();
            }
        };
        // Imports a previous run left queued or half-applied carry on (each chunk is committed
        // with its progress, so nothing is written twice).
        match app::imports::server::apply::resume(&self.db).await {
            Ok(jobs) => {
                for job in jobs {
                    tracing::info!(job = job.0, "resuming import");
                    tokio::spawn(app::imports::server::apply::run(
                        self.db.clone(),
                        self.readers.clone(),
                        job,
                    ));
                }
            }
            Err(e) => tracing::error!(error = ?e, "imports to resume not read"),
        }
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        // Streamed SSR writes several small chunks per page; without TCP_NODELAY each one after
        // the first waits for the client's delayed ACK (~40 ms on Linux).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "could not set TCP_NODELAY");
            }
        });
        let serve = axum::serve(listener, service).with_graceful_shutdown(signal);
        let grace = self.grace;
        let deadline = async move {
            triggered.notified().await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            res = serve => res?,
            () = deadline => tracing::warn!(grace_secs = grace.as_secs(), "grace period over, exiting with requests still open"),
        }
        self.db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The stop signals, registered once (tokio keeps the handlers for the process).
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn register() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Waits for SIGTERM or SIGINT (Ctrl+C elsewhere).
    async fn recv(self) {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(self.term) => {},
                () = wait(self.int) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
