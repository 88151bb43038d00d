//! Runtime settings: `Leptos.toml` (see the file for every key), then environment overrides.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything the server reads at start.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub sessions: SessionSettings,
    pub security: SecuritySettings,
    pub sms: SmsSettings,
}

/// Where outgoing SMS (residents' sign-in codes) go.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SmsSettings {
    /// `log` (written to the server log: demo, development) or `file` (JSON lines appended to
    /// `file`, for a separate sender to pick up).
    pub gateway: String,
    /// The spool file of the `file` gateway.
    pub file: String,
}

impl Default for SmsSettings {
    fn default() -> Self {
        Self {
            gateway: "log".into(),
            file: String::new(),
        }
    }
}

/// Session lifetimes per kind of sign-in, in minutes.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    pub staff_idle_minutes: i64,
    pub staff_absolute_minutes: i64,
    pub resident_idle_minutes: i64,
    pub resident_absolute_minutes: i64,
    pub guard_idle_minutes: i64,
    pub guard_absolute_minutes: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            staff_idle_minutes: 8 * 60,
            staff_absolute_minutes: 7 * 24 * 60,
            resident_idle_minutes: 30 * 24 * 60,
            resident_absolute_minutes: 90 * 24 * 60,
            guard_idle_minutes: 4 * 60,
            guard_absolute_minutes: 13 * 60,
        }
    }
}

/// Request-origin checks, cookie security, proxies and sign-in throttling.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct SecuritySettings {
    /// The address people use to reach the app, e.g. `https://crm.example.ru`. When set,
    /// state-changing requests must come from this origin and cookies are `Secure` if it is
    /// https; when empty, the request's own `Host` is the expected origin.
    pub public_url: String,
    /// Proxies whose `X-Forwarded-For` is believed (IP addresses); empty = none.
    pub trusted_proxies: Vec<String>,
    /// Sign-in failures allowed per client IP within the window.
    pub sign_in_failures_per_ip: usize,
    /// Sign-in failures allowed per account within the window.
    pub sign_in_failures_per_account: usize,
    /// The throttling window, in minutes.
    pub sign_in_window_minutes: u64,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            public_url: String::new(),
            trusted_proxies: Vec::new(),
            sign_in_failures_per_ip: 10,
            sign_in_failures_per_account: 5,
            sign_in_window_minutes: 15,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    pub addr: String,
    pub site_root: String,
    pub shutdown_grace_secs: u64,
    pub request_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout_secs: u64,
    pub busy_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:3000".into(),
            site_root: "target/site".into(),
            shutdown_grace_secs: 20,
            request_timeout_secs: 30,
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://data/platforma.db".into(),
            max_connections: 8,
            acquire_timeout_secs: 5,
            busy_timeout_ms: 5000,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info,sqlx=warn,tower_http=warn".into(),
        }
    }
}

/// A setting that could not be read; the message names the file or variable and the fix.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {var}={value:?}: {message}")]
    Env {
        var: String,
        value: String,
        message: String,
    },
    #[error("server.addr {0:?} is not an address like 127.0.0.1:3000")]
    Addr(String),
    #[error("security.trusted_proxies entry {0:?} is not an IP address")]
    Proxy(String),
    #[error("sessions: every timeout must be at least one minute")]
    Timeout,
    #[error("sms.gateway {0:?} is not one of \"log\", \"file\" (with sms.file set)")]
    Sms(String),
}

impl Settings {
    /// Loads settings: the file (explicit path, `$PLATFORMA_CONFIG`, or `./Leptos.toml` if present),
    /// then environment overrides from `env`.
    pub fn load(
        explicit: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, SettingsError> {
        let path = explicit
            .map(Path::to_path_buf)
            .or_else(|| env("PLATFORMA_CONFIG").map(PathBuf::from))
            .or_else(|| Some(PathBuf::from("Leptos.toml")).filter(|p| p.exists()));
        let mut settings = match path {
            Some(path) => {
                let text =
                    std::fs::read_to_string(&path).map_err(|source| SettingsError::Read {
                        path: path.clone(),
                        source,
                    })?;
                Self::from_toml(&text).map_err(|message| SettingsError::Parse { path, message })?
            }
            None => Self::default(),
        };
        settings.apply_env(env)?;
        settings.server_addr()?;
        settings.trusted_proxies()?;
        settings.sms_gateway()?;
        let s = &settings.sessions;
        if [
            s.staff_idle_minutes,
            s.staff_absolute_minutes,
            s.resident_idle_minutes,
            s.resident_absolute_minutes,
            s.guard_idle_minutes,
            s.guard_absolute_minutes,
        ]
        .iter()
        .any(|m| *m < 1)
        {
            return Err(SettingsError::Timeout);
        }
        Ok(settings)
    }

    /// Parses the TOML text of a settings file.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        fn num<T: std::str::FromStr>(var: &str, value: String) -> Result<T, SettingsError> {
            value.trim().parse().map_err(|_| SettingsError::Env {
                var: var.into(),
                value,
                message: "expected a whole number".into(),
            })
        }
        let s = &mut self.server;
        if let Some(v) = env("PLATFORMA_SERVER_ADDR").or_else(|| env("LEPTOS_SITE_ADDR")) {
            s.addr = v;
        }
        if let Some(v) = env("PLATFORMA_SERVER_SITE_ROOT").or_else(|| env("LEPTOS_SITE_ROOT")) {
            s.site_root = v;
        }
        if let Some(v) = env("PLATFORMA_SERVER_SHUTDOWN_GRACE_SECS") {
            s.shutdown_grace_secs = num("PLATFORMA_SERVER_SHUTDOWN_GRACE_SECS", v)?;
        }
        if let Some(v) = env("PLATFORMA_SERVER_REQUEST_TIMEOUT_SECS") {
            s.request_timeout_secs = num("PLATFORMA_SERVER_REQUEST_TIMEOUT_SECS", v)?;
        }
        let d = &mut self.database;
        if let Some(v) = env("DATABASE_URL").or_else(|| env("PLATFORMA_DATABASE_URL")) {
            d.url = v;
        }
        if let Some(v) = env("PLATFORMA_DATABASE_MAX_CONNECTIONS") {
            d.max_connections = num("PLATFORMA_DATABASE_MAX_CONNECTIONS", v)?;
        }
        if let Some(v) = env("PLATFORMA_DATABASE_ACQUIRE_TIMEOUT_SECS") {
            d.acquire_timeout_secs = num("PLATFORMA_DATABASE_ACQUIRE_TIMEOUT_SECS", v)?;
        }
        if let Some(v) = env("PLATFORMA_DATABASE_BUSY_TIMEOUT_MS") {
            d.busy_timeout_ms = num("PLATFORMA_DATABASE_BUSY_TIMEOUT_MS", v)?;
        }
        if let Some(v) = env("PLATFORMA_LOG_FORMAT") {
            self.log.format = match v.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(SettingsError::Env {
                        var: "PLATFORMA_LOG_FORMAT".into(),
                        value: v,
                        message: "expected \"text\" or \"json\"".into(),
                    });
                }
            };
        }
        if let Some(v) = env("PLATFORMA_LOG_LEVEL") {
            self.log.level = v;
        }
        let ses = &mut self.sessions;
        for (var, field) in [
            (
                "PLATFORMA_SESSIONS_STAFF_IDLE_MINUTES",
                &mut ses.staff_idle_minutes,
            ),
            (
                "PLATFORMA_SESSIONS_STAFF_ABSOLUTE_MINUTES",
                &mut ses.staff_absolute_minutes,
            ),
            (
                "PLATFORMA_SESSIONS_RESIDENT_IDLE_MINUTES",
                &mut ses.resident_idle_minutes,
            ),
            (
                "PLATFORMA_SESSIONS_RESIDENT_ABSOLUTE_MINUTES",
                &mut ses.resident_absolute_minutes,
            ),
            (
                "PLATFORMA_SESSIONS_GUARD_IDLE_MINUTES",
                &mut ses.guard_idle_minutes,
            ),
            (
                "PLATFORMA_SESSIONS_GUARD_ABSOLUTE_MINUTES",
                &mut ses.guard_absolute_minutes,
            ),
        ] {
            if let Some(v) = env(var) {
                *field = num(var, v)?;
            }
        }
        let sec = &mut self.security;
        if let Some(v) = env("PLATFORMA_SECURITY_PUBLIC_URL") {
            sec.public_url = v;
        }
        if let Some(v) = env("PLATFORMA_SECURITY_TRUSTED_PROXIES") {
            sec.trusted_proxies = v
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        if let Some(v) = env("PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_IP") {
            sec.sign_in_failures_per_ip = num("PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_IP", v)?;
        }
        if let Some(v) = env("PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_ACCOUNT") {
            sec.sign_in_failures_per_account =
                num("PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_ACCOUNT", v)?;
        }
        if let Some(v) = env("PLATFORMA_SECURITY_SIGN_IN_WINDOW_MINUTES") {
            sec.sign_in_window_minutes = num("PLATFORMA_SECURITY_SIGN_IN_WINDOW_MINUTES", v)?;
        }
        if let Some(v) = env("PLATFORMA_SMS_GATEWAY") {
            self.sms.gateway = v;
        }
        if let Some(v) = env("PLATFORMA_SMS_FILE") {
            self.sms.file = v;
        }
        Ok(())
    }

    /// The listen address, parsed.
    pub fn server_addr(&self) -> Result<SocketAddr, SettingsError> {
        self.server
            .addr
            .parse()
            .map_err(|_| SettingsError::Addr(self.server.addr.clone()))
    }

    /// The trusted proxies, parsed.
    pub fn trusted_proxies(&self) -> Result<Vec<std::net::IpAddr>, SettingsError> {
        self.security
            .trusted_proxies
            .iter()
            .map(|p| p.parse().map_err(|_| SettingsError::Proxy(p.clone())))
            .collect()
    }

    /// The SMS gateway, checked.
    pub fn sms_gateway(&self) -> Result<app::sms::SmsGateway, SettingsError> {
        match (self.sms.gateway.trim(), self.sms.file.trim()) {
            ("log", _) => Ok(app::sms::SmsGateway::Log),
            ("file", f) if !f.is_empty() => Ok(app::sms::SmsGateway::File(PathBuf::from(f))),
            (other, _) => Err(SettingsError::Sms(other.to_owned())),
        }
    }

    /// Session settings for the app.
    pub fn session_config(&self) -> app::access::server::session::SessionConfig {
        use app::access::server::session::{SessionConfig, Timeouts};
        let m = chrono::Duration::minutes;
        let s = &self.sessions;
        SessionConfig {
            staff: Timeouts {
                idle: m(s.staff_idle_minutes),
                absolute: m(s.staff_absolute_minutes),
            },
            resident: Timeouts {
                idle: m(s.resident_idle_minutes),
                absolute: m(s.resident_absolute_minutes),
            },
            guard: Timeouts {
                idle: m(s.guard_idle_minutes),
                absolute: m(s.guard_absolute_minutes),
            },
            secure_cookie: self.security.public_url.starts_with("https://"),
        }
    }

    /// Sign-in throttle limits.
    pub fn throttle_config(&self) -> app::access::server::throttle::ThrottleConfig {
        app::access::server::throttle::ThrottleConfig {
            window: Duration::from_secs(self.security.sign_in_window_minutes.max(1) * 60),
            per_ip: self.security.sign_in_failures_per_ip.max(1),
            per_account: self.security.sign_in_failures_per_account.max(1),
        }
    }

    /// Pool options for [`app::db::Db::connect`].
    pub fn db_options(&self) -> app::db::DbOptions {
        app::db::DbOptions {
            max_connections: self.database.max_connections.max(1),
            acquire_timeout: Duration::from_secs(self.database.acquire_timeout_secs.max(1)),
            busy_timeout: Duration::from_millis(self.database.busy_timeout_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn the_shipped_leptos_toml_parses_to_the_defaults() {
        let text = include_str!("../../Leptos.toml");
        assert_eq!(Settings::from_toml(text), Ok(Settings::default()));
    }

    #[test]
    fn environment_overrides_the_file() {
        let env = env_of(&[
            ("PLATFORMA_SERVER_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://u@h/db"),
            ("PLATFORMA_LOG_FORMAT", "json"),
            ("PLATFORMA_DATABASE_MAX_CONNECTIONS", "20"),
        ]);
        let s = Settings::load(Some(Path::new("../Leptos.toml")), &env).expect("loads");
        assert_eq!(s.server.addr, "0.0.0.0:8080");
        assert_eq!(s.database.url, "postgres://u@h/db");
        assert_eq!(s.log.format, LogFormat::Json);
        assert_eq!(s.database.max_connections, 20);
    }

    #[test]
    fn bad_values_are_reported_with_their_source() {
        let err = Settings::load(
            None,
            &env_of(&[("PLATFORMA_DATABASE_MAX_CONNECTIONS", "many")]),
        )
        .expect_err("rejected");
        assert!(
            err.to_string()
                .contains("PLATFORMA_DATABASE_MAX_CONNECTIONS"),
            "{err}"
        );
        let err = Settings::load(None, &env_of(&[("PLATFORMA_SERVER_ADDR", "localhost")]))
            .expect_err("rejected");
        assert!(err.to_string().contains("server.addr"), "{err}");
        let err = Settings::from_toml("[server]\nadress = \"x\"").expect_err("typo rejected");
        assert!(err.contains("adress"), "{err}");
    }
}
