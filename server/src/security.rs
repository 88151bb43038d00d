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

/// Cache rules for static files: the app bundle and the service worker are revalidated on
/// every load (their names carry no hash); icons and fonts may be cached for a day.
pub async fn cache_control(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let value = if path.starts_with("/pkg/") || path == "/sw.js" || path.starts_with("/manifests/")
    {
        Some("no-cache")
    } else if path.starts_with("/icons/") || path.starts_with("/fonts/") {
        Some("public, max-age=86400")
    } else {
        None
    };
    if let Some(v) = value
        && !res.headers().contains_key(header::CACHE_CONTROL)
    {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(v));
    }
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

/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS) whose `Origin` — or, when
/// absent, `Referer` — is not this app's own origin: the cross-site request forgery guard.
/// The expected origin is `security.public_url` when configured, else the request's own `Host`.
pub async fn same_origin(
    State(expected): State<Arc<Option<String>>>,
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
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let ok = claimed
        .as_deref()
        .is_some_and(|origin| match expected.as_deref() {
            Some(public) => origin.eq_ignore_ascii_case(public.trim_end_matches('/')),
            None => origin_host(origin).is_some_and(|h| h.eq_ignore_ascii_case(host)),
        });
    if ok {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), origin = ?claimed, host, "cross-origin state-changing request refused");
    (
        http::StatusCode::FORBIDDEN,
        "cross-origin request refused: the Origin header must be this site",
    )
        .into_response()
}

/// `https://host:port/path` → `https://host:port`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}"))
}

/// `https://host:port` → `host:port`.
fn origin_host(origin: &str) -> Option<&str> {
    origin
        .split_once("://")
        .map(|(_, h)| h.trim_end_matches('/'))
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

    #[test]
    fn origins_are_extracted_from_referers() {
        assert_eq!(
            origin_of("https://crm.example.ru/staff?q=1").as_deref(),
            Some("https://crm.example.ru")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000/").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin_of("garbage"), None);
        assert_eq!(origin_host("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
    }
}
