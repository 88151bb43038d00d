//! Prometheus metrics: HTTP requests by route and status, a latency histogram by route, and the
//! database pool. Rendered as Prometheus text at `/metrics`.
//!
//! Routes are labelled by their matched pattern (`/staff/companies`, `/api/companies/list`), never
//! by the raw path, so ids and query strings cannot blow up the number of series. Static files are
//! labelled `static`, anything unmatched `unmatched`.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// The process's metrics registry.
#[derive(Default, Clone)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let h = inner.latency.entry(route.to_owned()).or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
    }

    /// Prometheus text exposition (version 0.0.4).
    pub fn render(&self, pool: (u32, usize), uptime_secs: f64) -> String {
        let mut out = String::new();
        let Ok(inner) = self.inner.lock() else {
            return out;
        };
        out.push_str("# HELP platforma_http_requests_total HTTP requests answered, by method, route and status.\n");
        out.push_str("# TYPE platforma_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "platforma_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(method),
                escape(route)
            );
        }
        out.push_str("# HELP platforma_http_request_duration_seconds Time to answer an HTTP request, by route.\n");
        out.push_str("# TYPE platforma_http_request_duration_seconds histogram\n");
        for (route, h) in &inner.latency {
            let route = escape(route);
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "platforma_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "platforma_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "platforma_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "platforma_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        let (size, idle) = pool;
        out.push_str(
            "# HELP platforma_db_pool_connections Open database connections in the pool.\n",
        );
        out.push_str("# TYPE platforma_db_pool_connections gauge\n");
        let _ = writeln!(out, "platforma_db_pool_connections {size}");
        out.push_str(
            "# HELP platforma_db_pool_idle_connections Idle database connections in the pool.\n",
        );
        out.push_str("# TYPE platforma_db_pool_idle_connections gauge\n");
        let _ = writeln!(out, "platforma_db_pool_idle_connections {idle}");
        out.push_str("# HELP platforma_uptime_seconds Seconds since the server started.\n");
        out.push_str("# TYPE platforma_uptime_seconds gauge\n");
        let _ = writeln!(out, "platforma_uptime_seconds {uptime_secs:.0}");
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Who may read `/metrics`: the server's own machine (a loopback peer that no proxy stands in
/// front of), the addresses in `security.metrics_allow`, or anyone presenting
/// `security.metrics_token` as a bearer token. Everyone else gets 403: the metrics name every
/// route and show the traffic.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccess {
    pub allow: Vec<std::net::IpAddr>,
    pub token: Option<String>,
}

impl MetricsAccess {
    /// Whether a request from `peer` with these headers may read the metrics.
    pub fn allows(&self, peer: std::net::IpAddr, headers: &http::HeaderMap) -> bool {
        if let Some(token) = &self.token
            && let Some(given) = headers
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
            && constant_time_eq(given.trim().as_bytes(), token.as_bytes())
        {
            return true;
        }
        // A reverse proxy on the same machine connects from loopback too: a request it forwards
        // carries its forwarding headers and is not "this machine".
        let forwarded = ["x-forwarded-for", "forwarded", "x-real-ip"]
            .iter()
            .any(|h| headers.contains_key(*h));
        (peer.is_loopback() && !forwarded) || self.allow.contains(&peer)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The method as a label: the standard ones by name, anything else `other` (a client may send
/// any token as a method, and each distinct label would be a new series).
pub fn method_label(method: &http::Method) -> &'static str {
    match *method {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::PATCH => "PATCH",
        http::Method::DELETE => "DELETE",
        http::Method::HEAD => "HEAD",
        http::Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware that times every request and records it.
pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = method_label(req.method());
    let route = match req.extensions().get::<MatchedPath>() {
        Some(p) => p.as_str().to_owned(),
        None if is_static(req.uri().path()) => "static".to_owned(),
        None => "unmatched".to_owned(),
    };
    let response = next.run(req).await;
    metrics.observe(
        method,
        &route,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path.starts_with("/fonts/")
        || path.starts_with("/manifests/")
        || path == "/sw.js"
        || path == "/offline.html"
        || path == "/favicon.ico"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        let odd = http::Method::from_bytes("X".repeat(4000).as_bytes()).expect("a token");
        assert_eq!(method_label(&odd), "other");
        assert_eq!(method_label(&http::Method::GET), "GET");
    }

    #[test]
    fn metrics_are_for_this_machine_the_allowlist_or_the_token() {
        let local: std::net::IpAddr = "127.0.0.1".parse().expect("ip");
        let remote: std::net::IpAddr = "10.0.0.5".parse().expect("ip");
        let none = http::HeaderMap::new();
        let open = MetricsAccess::default();
        assert!(open.allows(local, &none));
        assert!(!open.allows(remote, &none));
        let mut proxied = http::HeaderMap::new();
        proxied.insert("x-forwarded-for", "203.0.113.9".parse().expect("value"));
        assert!(!open.allows(local, &proxied), "through a local proxy");
        let listed = MetricsAccess {
            allow: vec![remote],
            token: Some("s3cret-token".into()),
        };
        assert!(listed.allows(remote, &none));
        let mut bearer = http::HeaderMap::new();
        bearer.insert(
            "authorization",
            "Bearer s3cret-token".parse().expect("value"),
        );
        assert!(listed.allows("192.0.2.1".parse().expect("ip"), &bearer));
        bearer.insert("authorization", "Bearer wrong".parse().expect("value"));
        assert!(!listed.allows("192.0.2.1".parse().expect("ip"), &bearer));
    }

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("GET", "/staff", 200, 0.003);
        m.observe("GET", "/staff", 200, 0.2);
        m.observe("POST", "/api/x", 422, 0.01);
        let text = m.render((3, 2), 12.0);
        assert!(
            text.contains(
                "platforma_http_requests_total{method=\"GET\",route=\"/staff\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "platforma_http_requests_total{method=\"POST\",route=\"/api/x\",status=\"422\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "platforma_http_request_duration_seconds_bucket{route=\"/staff\",le=\"0.005\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "platforma_http_request_duration_seconds_bucket{route=\"/staff\",le=\"0.25\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains("platforma_http_request_duration_seconds_count{route=\"/staff\"} 2"),
            "{text}"
        );
        assert!(text.contains("platforma_db_pool_connections 3"), "{text}");
        assert!(
            text.contains("platforma_db_pool_idle_connections 2"),
            "{text}"
        );
    }
}
