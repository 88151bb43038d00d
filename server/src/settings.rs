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
    pub imports: ImportSettings,
}

/// How uploaded files are read: in a separate process of this binary with its own memory limit,
/// a few at a time.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ImportSettings {
    /// The executable that reads files (`<exe> read-table`); empty: this server's own binary.
    pub reader_exe: String,
    /// Memory one reading process may allocate, in MiB; a file that needs more is refused.
    pub reader_memory_mb: u64,
    /// Files read at the same time on this server (one per company at a time in any case).
    pub parallel_reads: usize,
}

impl Default for ImportSettings {
    fn default() -> Self {
        Self {
            reader_exe: String::new(),
            reader_memory_mb: 256,
            parallel_reads: 2,
        }
    }
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
    /// Sign-in failures allowed for one account from all addresses together; beyond them only
    /// the account's known devices (browsers it signed in from before) may keep trying.
    pub sign_in_failures_per_account_total: usize,
    /// Addresses (besides this machine) allowed to read `/metrics`.
    pub metrics_allow: Vec<String>,
    /// A bearer token that opens `/metrics` from anywhere; empty: none.
    pub metrics_token: String,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            public_url: String::new(),
            trusted_proxies: Vec::new(),
            sign_in_failures_per_ip: 10,
            sign_in_failures_per_account: 5,
            sign_in_window_minutes: 15,
            sign_in_failures_per_account_total: 20,
            metrics_allow: Vec::new(),
            metrics_token: String::new(),
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
    #[error(
        "security.public_url {0:?} must be the address people use, like https://crm.example.ru (http or https, a host, an optional port, no path)"
    )]
    PublicUrl(String),
    #[error("security.metrics_allow entry {0:?} is not an IP address")]
    MetricsAllow(String),
    #[error("imports: reader_memory_mb must be 64 or more and parallel_reads 1 or more")]
    Imports,
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
        settings.public_url()?;
        settings.metrics_access()?;
        settings.reader_config()?;
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
        if let Some(v) = env("PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_ACCOUNT_TOTAL") {
            sec.sign_in_failures_per_account_total =
                num("PLATFORMA_SECURITY_SIGN_IN_FAILURES_PER_ACCOUNT_TOTAL", v)?;
        }
        if let Some(v) = env("PLATFORMA_SECURITY_METRICS_ALLOW") {
            sec.metrics_allow = v
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        if let Some(v) = env("PLATFORMA_SECURITY_METRICS_TOKEN") {
            sec.metrics_token = v;
        }
        let imp = &mut self.imports;
        if let Some(v) = env("PLATFORMA_IMPORTS_READER_EXE") {
            imp.reader_exe = v;
        }
        if let Some(v) = env("PLATFORMA_IMPORTS_READER_MEMORY_MB") {
            imp.reader_memory_mb = num("PLATFORMA_IMPORTS_READER_MEMORY_MB", v)?;
        }
        if let Some(v) = env("PLATFORMA_IMPORTS_PARALLEL_READS") {
            imp.parallel_reads = num("PLATFORMA_IMPORTS_PARALLEL_READS", v)?;
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

    /// `security.public_url` checked and without a trailing slash; `None` when not set.
    pub fn public_url(&self) -> Result<Option<String>, SettingsError> {
        let raw = self.security.public_url.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let url = raw.trim_end_matches('/');
        let bad = || SettingsError::PublicUrl(raw.to_owned());
        let (_, rest) = url.split_once("://").ok_or_else(bad)?;
        if rest.contains(['/', '?', '#']) || crate::security::Origin::parse(url).is_none() {
            return Err(bad());
        }
        Ok(Some(url.to_owned()))
    }

    /// Who may read `/metrics`.
    pub fn metrics_access(&self) -> Result<crate::metrics::MetricsAccess, SettingsError> {
        let allow = self
            .security
            .metrics_allow
            .iter()
            .map(|a| {
                a.parse()
                    .map_err(|_| SettingsError::MetricsAllow(a.clone()))
            })
            .collect::<Result<_, _>>()?;
        let token = self.security.metrics_token.trim();
        Ok(crate::metrics::MetricsAccess {
            allow,
            token: (!token.is_empty()).then(|| token.to_owned()),
        })
    }

    /// How uploaded files are read.
    pub fn reader_config(
        &self,
    ) -> Result<app::imports::server::reader::ReaderConfig, SettingsError> {
        let i = &self.imports;
        if i.reader_memory_mb < 64 || i.parallel_reads < 1 {
            return Err(SettingsError::Imports);
        }
        let exe = if i.reader_exe.trim().is_empty() {
            // /proc/self/exe keeps working while the binary is replaced by an upgrade.
            let own = PathBuf::from("/proc/self/exe");
            if own.exists() {
                Some(own)
            } else {
                std::env::current_exe().ok()
            }
        } else {
            Some(PathBuf::from(i.reader_exe.trim()))
        };
        Ok(app::imports::server::reader::ReaderConfig {
            exe,
            memory_bytes: i.reader_memory_mb * 1024 * 1024,
            parallel: i.parallel_reads,
        })
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
            per_account_total: self.security.sign_in_failures_per_account_total.max(1),
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

    #[test]
    fn the_public_url_is_an_origin() {
        let with = |url: &str| {
            Settings::load(None, &env_of(&[("PLATFORMA_SECURITY_PUBLIC_URL", url)]))
                .and_then(|s| s.public_url())
        };
        assert_eq!(
            with("https://crm.example.ru/").expect("ok"),
            Some("https://crm.example.ru".into())
        );
        assert_eq!(
            with("http://10.0.0.2:3000").expect("ok"),
            Some("http://10.0.0.2:3000".into())
        );
        for bad in [
            "crm.example.ru",
            "ftp://crm.example.ru",
            "https://crm.example.ru/crm",
            "https://user@crm.example.ru",
            "https://crm.example.ru?x=1",
        ] {
            let err = with(bad).expect_err(bad);
            assert!(err.to_string().contains("security.public_url"), "{err}");
        }
    }
}
