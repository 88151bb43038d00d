//! Test harness: the real application (same router, middleware and database code as
//! `platforma serve`) on a random port, over a fresh database of either kind.

#![allow(dead_code)]

use app::db::testing::TestDb;
use server::settings::Settings;
use server::startup::Application;
use std::sync::Arc;
use tokio::sync::Notify;

/// One number from the test database (a count, an id), failing with the query on error.
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app::on_db!(app.db(), pool => sqlx::query_scalar(sql).fetch_one(pool).await)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The JSON of a successful answer, failing with the status and body otherwise.
pub async fn ok(r: reqwest::Response) -> serde_json::Value {
    let status = r.status();
    let text = r.text().await.expect("body");
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).expect("json")
}

/// The status code and body of an answer (for refusals).
pub async fn status(r: reqwest::Response) -> (u16, String) {
    let s = r.status().as_u16();
    (s, r.text().await.unwrap_or_default())
}

/// The value of the cookie `name` an answer sets (`None` when it sets none, or clears it).
pub fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(prefix.as_str()))
        .and_then(|c| c.split(';').next())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The id a query with one text parameter finds, failing with the query on error.
pub async fn id_by(app: &TestApp, sql: &str, arg: &str) -> i64 {
    app::on_db!(app.db(), pool => sqlx::query_scalar(sql).bind(arg).fetch_one(pool).await)
        .unwrap_or_else(|e| panic!("{sql} with {arg}: {e}"))
}

/// The id of a seeded role (by its code) in the first demo УК, as a form value.
pub async fn first_company_role(app: &TestApp, code: &str) -> String {
    id_by(
        app,
        "SELECT r.id FROM roles r JOIN users u ON u.company_id = r.company_id \
         WHERE u.login = 'admin' AND r.code = $1",
        code,
    )
    .await
    .to_string()
}

/// Sends the app's SMS to a fresh spool file (the `file` gateway); [`TestApp::sms_sent`] reads it.
pub fn sms_to_spool(s: &mut Settings) {
    let dir = std::env::temp_dir().join("platforma-test-sms");
    std::fs::create_dir_all(&dir).expect("spool dir");
    s.sms.gateway = "file".into();
    s.sms.file = dir
        .join(format!(
            "{}-{}.jsonl",
            std::process::id(),
            rand::random::<u64>()
        ))
        .to_string_lossy()
        .into_owned();
}

/// The six digits in an SMS text.
pub fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_owned()
}

/// The `platforma` binary Cargo built for these tests: the server reads uploaded files with it
/// (`platforma read-table`), as in production.
pub const BIN: &str = env!("CARGO_BIN_EXE_platforma");

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub test_db: Option<TestDb>,
    /// The SMS spool file, when the settings send SMS to one ([`sms_to_spool`]).
    sms_file: Option<std::path::PathBuf>,
    /// The origin browsers of this app send: `security.public_url` when set, else `base`.
    origin: String,
    stop: Arc<Notify>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl TestApp {
    /// Starts the app on a fresh, migrated database with the demo data loaded.
    pub async fn spawn(kind: Kind) -> Self {
        Self::spawn_with(kind, |_| {}).await
    }

    /// [`Self::spawn`] with settings adjusted by `tune` (e.g. an SMS spool file).
    pub async fn spawn_with(kind: Kind, tune: impl FnOnce(&mut Settings)) -> Self {
        let test_db = match kind {
            Kind::Sqlite => TestDb::sqlite().await,
            Kind::Postgres => TestDb::postgres().await,
        };
        app::demo::seed(&test_db.db).await.expect("seed demo data");
        let mut settings = Settings::default();
        settings.server.addr = "127.0.0.1:0".into();
        settings.database.url = test_db.url();
        settings.server.site_root = std::env::temp_dir().to_string_lossy().into_owned();
        settings.imports.reader_exe = BIN.into();
        tune(&mut settings);
        let sms_file =
            (settings.sms.gateway == "file").then(|| std::path::PathBuf::from(&settings.sms.file));
        let public_url = settings
            .security
            .public_url
            .trim_end_matches('/')
            .to_owned();
        let application = Application::build(&settings).await.expect("build app");
        let base = format!("http://{}", application.addr());
        let stop = Arc::new(Notify::new());
        let handle = tokio::spawn(application.run(Some(stop.clone())));
        // A request that never finishes fails the test with a message instead of stalling the
        // whole run (once seen: an SSR page that stopped streaming under full-suite load).
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_mins(1))
            .build()
            .expect("client");
        let origin = if public_url.is_empty() {
            base.clone()
        } else {
            public_url
        };
        Self {
            base,
            client,
            test_db: Some(test_db),
            sms_file,
            origin,
            stop,
            handle,
        }
    }

    /// The SMS sent so far, `(to, text)`, from the spool file.
    pub fn sms_sent(&self) -> Vec<(String, String)> {
        let path = self
            .sms_file
            .as_ref()
            .expect("the app sends SMS to a spool");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                (
                    v["to"].as_str().expect("to").to_owned(),
                    v["text"].as_str().expect("text").to_owned(),
                )
            })
            .collect()
    }

    /// The `Origin` a browser of this app sends.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Calls a server function the way the browser does (form-encoded POST from this origin),
    /// anonymously.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_as(None, endpoint, form).await
    }

    /// Calls a server function with a session token (from [`Self::session_for`]).
    pub async fn call_as(
        &self,
        token: Option<&str>,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(endpoint))
            .header("origin", &self.origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded(form));
        if let Some(t) = token {
            req = req.header("cookie", format!("platforma_session={t}"));
        }
        req.send().await.expect("POST")
    }

    /// GET with a session token.
    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", format!("platforma_session={token}"))
            .send()
            .await
            .expect("GET")
    }

    pub fn db(&self) -> &app::db::Db {
        &self.test_db.as_ref().expect("database").db
    }

    /// Opens a session for a demo login (or a resident's phone) directly (no password hashing)
    /// and returns its token.
    pub async fn session_for(&self, login: &str) -> String {
        let kind = if login.starts_with('+') {
            app::access::server::session::SessionKind::Resident
        } else {
            app::access::server::session::SessionKind::Staff
        };
        self.session_of_kind(login, kind).await
    }

    pub async fn session_of_kind(
        &self,
        login: &str,
        kind: app::access::server::session::SessionKind,
    ) -> String {
        let db = self.db();
        let id: i64 =
            app::on_db!(db, pool => sqlx::query_scalar("SELECT id FROM users WHERE login = $1 OR phone = $1")
            .bind(login).fetch_one(pool).await)
            .unwrap_or_else(|e| panic!("demo login {login}: {e}"));
        let cfg = app::access::server::session::SessionConfig::default();
        app::access::server::session::create(
            db,
            &cfg,
            id,
            kind,
            &app::access::server::session::ClientInfo::default(),
        )
        .await
        .expect("session")
    }

    /// Row counts of every application table: equal before and after means nothing changed.
    pub async fn fingerprint(&self) -> Vec<(String, i64)> {
        let db = self.db();
        let tables: Vec<String> = app::db::schema::columns(db)
            .await
            .expect("schema")
            .into_iter()
            .map(|c| c.table)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut out = Vec::new();
        for t in tables {
            let sql = format!("SELECT COUNT(*) FROM {t}");
            let n: i64 = app::on_db!(db, pool => sqlx::query_scalar(&sql).fetch_one(pool).await)
                .expect("count");
            out.push((t, n));
        }
        out
    }

    /// Stops the server (graceful shutdown) and drops the database.
    pub async fn finish(mut self) {
        self.stop.notify_one();
        let result = self.handle.await.expect("server task");
        assert!(result.is_ok(), "server stopped with {result:?}");
        if let Some(db) = self.test_db.take() {
            db.finish().await;
        }
        if let Some(f) = self.sms_file.take() {
            let _ = std::fs::remove_file(f);
        }
    }
}

fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One async test body, run against SQLite and PostgreSQL, on a multi-thread runtime like the
/// deployed server's: on a single-thread runtime an SSR response now and then stopped mid-body
/// under load (leptos out-of-order streaming), which the release server never showed in 3 600
/// concurrent requests (see the session 6 note and `docs/benchmarks.md`).
///
/// `on_both!(name, |app| body)`, or `on_both!(name, |settings| { tune }, |app| body)` to change
/// the settings first (e.g. [`sms_to_spool`]).
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$app:ident| $body:expr) => {
        on_both!($name, |_settings| {}, |$app| $body);
    };
    ($name:ident, |$s:ident| $tune:block, |$app:ident| $body:expr) => {
        mod $name {
            use super::*;

            async fn on_both_run(kind: common::Kind) {
                let $app =
                    common::TestApp::spawn_with(kind, |$s: &mut server::settings::Settings| $tune)
                        .await;
                let $app = {
                    $body.await;
                    $app
                };
                $app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                on_both_run(common::Kind::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if app::db::testing::pg_skipped() {
                    eprintln!(
                        "WARNING: PostgreSQL variant of {} NOT RUN (PLATFORMA_SKIP_PG=1)",
                        stringify!($name)
                    );
                    return;
                }
                on_both_run(common::Kind::Postgres).await;
            }
        }
    };
}
