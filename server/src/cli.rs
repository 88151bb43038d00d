//! The command line: `platforma [serve|migrate|create-admin|seed-demo|backup]` (and the internal
//! `read-table` the server runs to read uploaded files).
//! Every failure prints one clear line to stderr and exits non-zero; nothing panics.

use crate::settings::Settings;
use crate::startup::{Application, StartError, open_database};
use clap::{Parser, Subcommand};
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "platforma",
    version,
    about = "Platforma: requests, buildings and residents for property management companies"
)]
pub struct Cli {
    /// Configuration file (default: `$PLATFORMA_CONFIG`, else `./Leptos.toml` if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database and serve the app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a platform administrator account.
    CreateAdmin {
        /// Login (3–64 characters: a–z, 0–9, dot, dash, underscore; starts with a letter).
        #[arg(long)]
        login: String,
        /// Full name shown in the interface.
        #[arg(long, default_value = "Администратор платформы")]
        name: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Load the demo data (idempotent: only steps not yet loaded run).
    SeedDemo,
    /// Back up the database: SQLite is copied online and checked; PostgreSQL gets a `pg_dump` command.
    Backup {
        /// Where to write the copy (must not exist).
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Internal: read an uploaded file from stdin into a table on stdout, with capped memory and
    /// CPU time. The server runs it for every upload (see `app::imports::server::reader`).
    #[command(hide = true)]
    ReadTable {
        kind: String,
        encoding: String,
        memory_bytes: u64,
        cpu_seconds: u64,
    },
}

/// `platforma read-table`: caps this process's data segment (`memory_bytes` above what it uses
/// at start) and CPU time before it reads a single byte of the file, then reads it. A file that
/// needs more memory makes an allocation fail and this process abort; the server answers 422.
fn read_table(kind: &str, encoding: &str, memory_bytes: u64, cpu_seconds: u64) -> ExitCode {
    use rlimit::Resource;
    let in_use = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmData:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024);
    let limit = in_use.saturating_add(memory_bytes);
    if let Err(e) = rlimit::setrlimit(Resource::DATA, limit, limit) {
        eprintln!("platforma read-table: cannot cap memory: {e}");
        return ExitCode::FAILURE;
    }
    if let Err(e) = rlimit::setrlimit(Resource::CPU, cpu_seconds, cpu_seconds.saturating_add(5)) {
        eprintln!("platforma read-table: cannot cap CPU time: {e}");
        return ExitCode::FAILURE;
    }
    // Log lines (why a file is not readable) go to stderr; stdout carries the answer.
    let level = std::env::var("PLATFORMA_LOG_LEVEL").unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(level)
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_target(false)
        .with_ansi(false)
        .without_time()
        .try_init();
    app::imports::server::reader::read_stdin_to_stdout(kind, encoding)
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // The file reader needs no settings, no database and no runtime: the less it allocates, the
    // more of its memory cap is left for the file.
    if let Some(Command::ReadTable {
        kind,
        encoding,
        memory_bytes,
        cpu_seconds,
    }) = &cli.command
    {
        return read_table(kind, encoding, *memory_bytes, *cpu_seconds);
    }
    let settings = match Settings::load(cli.config.as_deref(), &|k| std::env::var(k).ok()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("platforma: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(&settings.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("platforma: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(%message, "command failed");
            eprintln!("platforma: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> Result<(), String> {
    let err = |e: StartError| e.to_string();
    match command {
        Command::Serve => {
            let app = Application::build_serving(&settings).await.map_err(err)?;
            let url = format!("http://{}", app.addr());
            tracing::info!(%url, database = %app::db::parse_url(&settings.database.url).map_or("?", app::db::Backend::name), "serving");
            println!("Platforma is running at {url}");
            app.run(None)
                .await
                .map_err(|e| format!("server error: {e}"))
        }
        Command::Migrate => {
            let db = open_database(&settings).await.map_err(err)?;
            let applied = db.applied_migrations().await.map_err(|e| e.to_string())?;
            println!(
                "Database is at migration {} ({} applied).",
                applied.last().map_or(0, |m| m.version),
                applied.len()
            );
            db.close().await;
            Ok(())
        }
        Command::CreateAdmin {
            login,
            name,
            password_stdin,
        } => {
            let login = app::auth::model::Login::parse(&login)
                .map_err(|_| "invalid --login: 3–64 characters a–z, 0–9, '.', '-', '_', starting with a letter".to_owned())?;
            let (password, generated) = if password_stdin {
                let mut raw = String::new();
                std::io::stdin()
                    .read_to_string(&mut raw)
                    .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
                (raw.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (generate_password(), true)
            };
            let password = app::auth::model::NewPassword::parse(&password)
                .map_err(|_| "the password must be 10 to 256 characters long".to_owned())?;
            let db = open_database(&settings).await.map_err(err)?;
            let result =
                app::auth::server::repo::create_platform_admin(&db, &login, &name, &password).await;
            db.close().await;
            match result {
                Ok(id) => {
                    println!("Created administrator '{}' (id {id}).", login.as_str());
                    if generated {
                        println!("Password (shown once, store it now): {}", password.expose());
                    }
                    Ok(())
                }
                Err(app::AppError::Validation { field, code })
                    if field == "login" && code == app::Invalid::Taken =>
                {
                    Err(format!(
                        "an account with login '{}' already exists",
                        login.as_str()
                    ))
                }
                Err(app::AppError::Validation { field, .. }) => Err(format!("invalid --{field}")),
                Err(e) => Err(format!("could not create the administrator: {e}")),
            }
        }
        Command::SeedDemo => {
            let db = open_database(&settings).await.map_err(err)?;
            let report = app::demo::seed(&db).await;
            db.close().await;
            let report = report.map_err(|e| format!("demo data failed: {e}"))?;
            for (name, outcome) in report.steps {
                match outcome {
                    app::demo::StepOutcome::Ran(summary) => {
                        println!("demo data: {name}: {summary}");
                    }
                    app::demo::StepOutcome::AlreadyDone => {
                        println!("demo data: {name}: already loaded");
                    }
                }
            }
            Ok(())
        }
        Command::Backup { to } => {
            if app::db::parse_url(&settings.database.url).map_err(|e| e.to_string())?
                == app::db::Backend::Postgres
            {
                println!(
                    "PostgreSQL is backed up with its own tool. Run:\n  pg_dump --format=custom --file={} \"$DATABASE_URL\"\nand restore with pg_restore --clean --dbname=\"$DATABASE_URL\" {}",
                    to.display(),
                    to.display()
                );
                return Ok(());
            }
            let db = app::db::Db::connect(&settings.database.url, &settings.db_options())
                .await
                .map_err(|e| e.to_string())?;
            let report = app::db::backup_sqlite(&db, &to).await;
            db.close().await;
            let report = report.map_err(|e| format!("backup failed: {e}"))?;
            println!(
                "Backup written to {} ({} bytes), integrity check: {}.",
                report.path, report.bytes, report.integrity
            );
            Ok(())
        }
        Command::ReadTable { .. } => Err("read-table runs before the runtime starts".into()),
    }
}

/// A random 20-character password from an unambiguous alphabet.
fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}
