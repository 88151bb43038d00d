//! Security headers on every response, and the per-request CSP nonce.
//!
//! The app is served with a strict Content-Security-Policy: scripts only from this origin or
//! inline scripts carrying this response's nonce (Leptos puts it on its hydration and streaming
//! scripts), `wasm-unsafe-eval` so the browser may compile the app's WebAssembly, no framing.

use app::api::AppContext;
use app::shell::CspNonce;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::HeaderValue;
use http::header;
use rand::RngCore;
use std::sync::Arc;

/// The policy for a response whose inline scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds a fresh nonce to the request and the security headers to the response.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let nonce = bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    });
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    );
    res
}

/// Static files: what may be cached, and for how long. Everything else the server answers
/// (pages, server functions, redirects, operational endpoints) depends on who is asking or on the
/// moment, so it is `no-store`: no browser, proxy or service worker keeps a copy of a client card
/// after its reader has gone.
pub fn static_cache_rule(path: &str) -> Option<&'static str> {
    // The app bundle, the service worker, manifests and the offline page carry no hash in their
    // names: revalidated on every load. Icons and fonts may be kept for a day.
    if path.starts_with("/pkg/")
        || path == "/sw.js"
        || path.starts_with("/manifests/")
        || path == "/offline.html"
    {
        Some("no-cache")
    } else if path.starts_with("/icons/") || path.starts_with("/fonts/") || path == "/favicon.ico" {
        Some("public, max-age=86400")
    } else {
        None
    }
}

/// Sets `Cache-Control` on every response: the static rule for static files, `no-store` for
/// everything else (see [`static_cache_rule`]).
pub async fn cache_control(req: Request, next: Next) -> Response {
    let rule = static_cache_rule(req.uri().path());
    let mut res = next.run(req).await;
    // A static path that was not found (a 404 page) is not a static file.
    let value = match rule {
        Some(v) if res.status().is_success() || res.status() == http::StatusCode::NOT_MODIFIED => v,
        _ => "no-store",
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Gives server-function errors the HTTP status their [`app::AppError`] maps to.
///
/// Leptos answers every server-function error with 500, including arguments that fail to
/// deserialize before our code runs. This layer reads the error body (JSON of `AppError`, marked
/// by the `serverfnerror` header) and sets the status it deserves: 422 for bad input, 404, 403,
/// and so on. Only error responses are buffered; they are small.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    if !res
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        parts.status = http::StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    match serde_json::from_slice::<app::AppError>(&bytes) {
        Ok(err) => {
            parts.status = err.status();
            if let app::AppError::TooManyRequests(secs) = err {
                parts
                    .headers
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            if parts.status.is_client_error() {
                tracing::info!(endpoint = %path, status = %parts.status, error = %err, "server function refused the request");
            }
        }
        Err(_) => {
            tracing::error!(endpoint = %path, "server function error body is not an AppError");
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// An origin as the same-origin rule compares it: scheme, host and port (the scheme's default
/// port when none is written), lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// Reads `scheme://host[:port]` with an optional path after it (a `Referer` or the
    /// configured public URL). Only `http` and `https` are origins of this app; user info
    /// (`user@host`), an empty host or a bad port are refused.
    pub fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@')
            || authority
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return None;
        }
        Self::from_authority(&scheme, authority, default_port)
    }

    /// `host[:port]` (a `Host` header) under `scheme`.
    pub fn from_host(scheme: &str, authority: &str) -> Option<Self> {
        let default_port = if scheme == "https" { 443 } else { 80 };
        Self::from_authority(scheme, authority, default_port)
    }

    fn from_authority(scheme: &str, authority: &str, default_port: u16) -> Option<Self> {
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']')?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (format!("[{h}]"), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (authority.to_owned(), None),
            }
        };
        if host.is_empty() || host.contains(':') && !host.starts_with('[') {
            return None;
        }
        let port = match port {
            None | Some("") => default_port,
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
        };
        Some(Self {
            scheme: scheme.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

/// What the same-origin rule knows: the configured public origin, else the proxies whose
/// `X-Forwarded-Proto` says how the request really arrived.
#[derive(Debug, Clone, Default)]
pub struct OriginRule {
    pub public: Option<Origin>,
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
}

impl OriginRule {
    /// The origin this request must come from: `security.public_url` when configured; else the
    /// request's own `Host` under `http` (or the scheme a trusted proxy reports). Production
    /// configures `public_url`: a `Host` header is only as honest as the network in front.
    fn expected(&self, req: &Request) -> Option<Origin> {
        if let Some(o) = &self.public {
            return Some(o.clone());
        }
        let headers = req.headers();
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok())?;
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let scheme = match peer {
            Some(p) if self.trusted_proxies.contains(&p) => headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_ascii_lowercase())
                .filter(|v| v == "https" || v == "http")
                .unwrap_or_else(|| "http".to_owned()),
            _ => "http".to_owned(),
        };
        Origin::from_host(&scheme, host)
    }
}

/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS) whose `Origin` — or, when
/// absent, `Referer` — is not this app's own origin, compared by scheme, host and port: the
/// cross-site request forgery guard (see [`OriginRule::expected`]).
pub async fn same_origin(
    State(rule): State<Arc<OriginRule>>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(
        *req.method(),
        http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
    ) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let expected = rule.expected(&req);
    let ok = match (claimed.as_deref().and_then(Origin::parse), &expected) {
        (Some(claimed), Some(expected)) => claimed == *expected,
        _ => false,
    };
    if ok {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), origin = ?claimed, expected = ?expected, "cross-origin state-changing request refused");
    (
        http::StatusCode::FORBIDDEN,
        "cross-origin request refused: the Origin header must be this site",
    )
        .into_response()
}

/// Sends people to sign in before a protected page renders, and away from pages that are not
/// theirs (a resident opening a staff page lands in the cabinet). See `app::access::PAGES`.
pub async fn page_guard(State(app): State<AppContext>, req: Request, next: Next) -> Response {
    use app::access::PageAccess;
    if req.method() != http::Method::GET {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    let access = app::access::page_access(&path);
    if access == PageAccess::Public {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(actor) = app.actor(&parts).await else {
        return (
            http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        )
            .into_response();
    };
    let req = Request::from_parts(parts, body);
    let home = actor.as_ref().map(app::auth::server::service::home_of);
    let allowed = match (access, &actor) {
        (PageAccess::SignIn, None) | (PageAccess::Public, Some(_)) => true,
        (PageAccess::SignIn, Some(_)) => false,
        (_, None) => {
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let next_url = format!("{path}{query}");
            let login = app::access::sign_in_page_for(&path);
            return Redirect::to(&format!("{login}?next={}", urlencode(&next_url))).into_response();
        }
        (PageAccess::Staff, Some(a)) => {
            home == Some("/staff") && a.kind == app::access::server::actor::UserKind::Staff
        }
        (PageAccess::GuardPost, Some(a)) => a.has(app::access::Permission::PassesCheck),
        (PageAccess::Resident, Some(_)) => home == Some("/cabinet"),
    };
    if allowed {
        next.run(req).await
    } else {
        Redirect::to(home.unwrap_or("/")).into_response()
    }
}

fn urlencode(s: &str) -> String {
    use std::fmt::Write as _;
    s.bytes()
        .fold(String::with_capacity(s.len()), |mut out, b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(scheme: &str, host: &str, port: u16) -> Origin {
        Origin {
            scheme: scheme.into(),
            host: host.into(),
            port,
        }
    }

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert_eq!(
            Origin::parse("https://CRM.example.ru/staff?q=1"),
            Some(o("https", "crm.example.ru", 443))
        );
        assert_eq!(
            Origin::parse("http://127.0.0.1:3000"),
            Some(o("http", "127.0.0.1", 3000))
        );
        assert_eq!(
            Origin::parse("http://[::1]:8080/x"),
            Some(o("http", "[::1]", 8080))
        );
        assert_eq!(
            Origin::parse("http://127.0.0.1:80"),
            Origin::parse("http://127.0.0.1")
        );
        for bad in [
            "garbage",
            "foo://127.0.0.1:3917",
            "null",
            "http://",
            "http://user@127.0.0.1",
            "http://127.0.0.1:30x",
            "http://a:b:c",
            "javascript://127.0.0.1",
        ] {
            assert_eq!(Origin::parse(bad), None, "{bad}");
        }
        assert_ne!(
            Origin::parse("https://127.0.0.1:3917"),
            Origin::from_host("http", "127.0.0.1:3917"),
            "the scheme counts"
        );
        assert_ne!(
            Origin::parse("http://127.0.0.1:3918"),
            Origin::from_host("http", "127.0.0.1:3917"),
            "the port counts"
        );
    }

    #[test]
    fn only_static_files_may_be_cached() {
        assert_eq!(static_cache_rule("/pkg/platforma.wasm"), Some("no-cache"));
        assert_eq!(
            static_cache_rule("/fonts/inter.woff2"),
            Some("public, max-age=86400")
        );
        for personal in [
            "/staff/people/1",
            "/cabinet",
            "/api/people/card",
            "/",
            "/login",
        ] {
            assert_eq!(static_cache_rule(personal), None, "{personal}");
        }
    }
}
