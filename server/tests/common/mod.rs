//! Test harness: the real application (same router, middleware and database code as
//! `platforma serve`) on a random port, over a fresh database of either kind.

#![allow(dead_code)]

use app::db::testing::TestDb;
use server::settings::Settings;
use server::startup::Application;
use std::sync::Arc;
use tokio::sync::Notify;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub test_db: Option<TestDb>,
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
        let test_db = match kind {
            Kind::Sqlite => TestDb::sqlite().await,
            Kind::Postgres => TestDb::postgres().await,
        };
        app::demo::seed(&test_db.db).await.expect("seed demo data");
        let mut settings = Settings::default();
        settings.server.addr = "127.0.0.1:0".into();
        settings.database.url = test_db.url();
        settings.server.site_root = std::env::temp_dir().to_string_lossy().into_owned();
        let application = Application::build(&settings).await.expect("build app");
        let base = format!("http://{}", application.addr());
        let stop = Arc::new(Notify::new());
        let handle = tokio::spawn(application.run(Some(stop.clone())));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base,
            client,
            test_db: Some(test_db),
            stop,
            handle,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Calls a server function the way the browser does (form-encoded POST).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(endpoint))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded(form))
            .send()
            .await
            .expect("POST")
    }

    /// Stops the server (graceful shutdown) and drops the database.
    pub async fn finish(mut self) {
        self.stop.notify_one();
        let result = self.handle.await.expect("server task");
        assert!(result.is_ok(), "server stopped with {result:?}");
        if let Some(db) = self.test_db.take() {
            db.finish().await;
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

/// One async test body, run against SQLite and PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $app = common::TestApp::spawn(common::Kind::Sqlite).await;
                let $app = {
                    $body.await;
                    $app
                };
                $app.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                if app::db::testing::pg_skipped() {
                    eprintln!(
                        "WARNING: PostgreSQL variant of {} NOT RUN (PLATFORMA_SKIP_PG=1)",
                        stringify!($name)
                    );
                    return;
                }
                let $app = common::TestApp::spawn(common::Kind::Postgres).await;
                let $app = {
                    $body.await;
                    $app
                };
                $app.finish().await;
            }
        }
    };
}
