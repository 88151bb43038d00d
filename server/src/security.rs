//! Security headers on every response, and the per-request CSP nonce.
//!
//! The app is served with a strict Content-Security-Policy: scripts only from this origin or
//! inline scripts carrying this response's nonce (Leptos puts it on its hydration and streaming
//! scripts), `wasm-unsafe-eval` so the browser may compile the app's WebAssembly, no framing.

use app::shell::CspNonce;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header;
use rand::RngCore;

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
