//! The `platforma` binary: subcommands, clear errors for bad settings, graceful shutdown.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_platforma");

fn tmpdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("platforma-cli-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn platforma(db_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db_url)
        .env_remove("PLATFORMA_CONFIG")
        .env("PLATFORMA_LOG_LEVEL", "warn")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run platforma")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn an_unsupported_database_url_is_explained() {
    let out = platforma("mysql://root:secret@localhost/x", &["migrate"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("not supported") && err.contains("sqlite://"),
        "{err}"
    );
    assert!(!err.contains("secret"), "the password is not echoed: {err}");
}

#[test]
fn an_unreachable_database_is_explained() {
    let out = platforma("postgres://nobody@127.0.0.1:1/none", &["migrate"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("cannot open the database at postgres://nobody@127.0.0.1:1/none"),
        "{err}"
    );
}

#[test]
fn a_bad_setting_names_the_variable() {
    let out = Command::new(BIN)
        .arg("migrate")
        .env("PLATFORMA_LOG_FORMAT", "xml")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("PLATFORMA_LOG_FORMAT"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_port_in_use_is_explained() {
    let dir = tmpdir();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let out = Command::new(BIN)
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db.sqlite", dir.display()),
        )
        .env("PLATFORMA_SERVER_ADDR", &addr)
        .current_dir(&dir)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("address {addr} is already in use")),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn migrate_seed_and_backup_sqlite() {
    let dir = tmpdir();
    let url = format!("sqlite://{}/data/platforma.db", dir.display());
    let out = platforma(&url, &["migrate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The newest migration is the number of files shipped for SQLite.
    let latest = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))
        .expect("migrations dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count();
    assert!(
        text(&out.stdout).contains(&format!("Database is at migration {latest}")),
        "{}",
        text(&out.stdout)
    );

    let out = platforma(&url, &["seed-demo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("demo data: companies: 5 companies"),
        "{}",
        text(&out.stdout)
    );
    let out = platforma(&url, &["seed-demo"]);
    assert!(
        text(&out.stdout).contains("demo data: companies: already loaded"),
        "{}",
        text(&out.stdout)
    );

    let copy = dir.join("backups/copy.db");
    let out = platforma(&url, &["backup", "--to", copy.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("integrity check: ok"),
        "{}",
        text(&out.stdout)
    );
    // The copy is a working database with the same data.
    let out = platforma(&format!("sqlite://{}", copy.display()), &["seed-demo"]);
    assert!(
        text(&out.stdout).contains("already loaded"),
        "{}",
        text(&out.stdout)
    );
    // Never overwrite.
    let out = platforma(&url, &["backup", "--to", copy.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_of_postgres_prints_the_pg_dump_command() {
    let out = platforma(
        "postgres://u@127.0.0.1:5432/platforma",
        &["backup", "--to", "/tmp/x.dump"],
    );
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("pg_dump --format=custom --file=/tmp/x.dump"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn create_admin_generates_or_reads_a_password() {
    let dir = tmpdir();
    let url = format!("sqlite://{}/db.sqlite", dir.display());
    let out = platforma(&url, &["create-admin", "--login", "Admin"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Created administrator 'admin'"), "{stdout}");
    assert!(stdout.contains("Password (shown once"), "{stdout}");

    let out = platforma(&url, &["create-admin", "--login", "admin"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );

    let mut child = Command::new(BIN)
        .args(["create-admin", "--login", "ops", "--password-stdin"])
        .env("DATABASE_URL", &url)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"short\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(!out.status.success(), "a short password is refused");
    assert!(
        text(&out.stderr).contains("10 to 256 characters"),
        "{}",
        text(&out.stderr)
    );

    let out = platforma(&url, &["create-admin", "--login", "9lives"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("invalid --login"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tmpdir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut child = Command::new(BIN)
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db.sqlite", dir.display()),
        )
        .env("PLATFORMA_SERVER_ADDR", format!("127.0.0.1:{port}"))
        .env("PLATFORMA_LOG_LEVEL", "info")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().expect("output");
    assert!(
        exit.success(),
        "exit status {exit:?}: {}",
        text(&out.stderr)
    );
    let logs = text(&out.stdout) + &text(&out.stderr);
    assert!(
        logs.contains("shutting down") && logs.contains("stopped"),
        "{logs}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
