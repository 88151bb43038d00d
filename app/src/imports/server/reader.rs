//! Where uploaded files are read: in a separate process of the server's own binary
//! (`platforma read-table`), whose memory and CPU time are capped by the operating system, a few
//! at a time.
//!
//! Why a process: spreadsheet libraries trust what a file declares. A 1.5 KB XLSX naming cells A1
//! and XFD1048576, an XLS whose dimensions record claims 65 535 × 65 535 cells, or an ODS repeating
//! a row a million times ask for gigabytes before any limit of ours is checked, and an allocation
//! that fails aborts the whole process: every company would be down. In a reader process the same
//! file only ends that process; the server answers 422 with a reason and carries on.
//!
//! Bounds: one reader per company at a time and `parallel` per server (a caller waits up to
//! [`WAIT`] for a slot, then gets 429); each reader may allocate `memory_bytes` (the data segment
//! limit, `RLIMIT_DATA`) and use [`CPU_SECONDS`] of CPU; the server waits [`READ_TIMEOUT`] and
//! stops a reader whose caller went away (the request timed out or the browser left), because the
//! child is killed when its handle is dropped. What comes back is a bounded table (rows, columns,
//! cells and text are capped while reading, see `read`), at most [`MAX_OUTPUT`] bytes of JSON,
//! kept as it is with the job.
//!
//! Without an executable (unit tests, tools) the file is read in this process on a blocking
//! thread, with the same slots and the same reading code.

use super::read::{Table, read_table};
use crate::AppError;
use crate::Invalid;
use crate::imports::model::{Encoding, FileKind};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a caller waits for a free reading slot before it is told to retry.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long one file may take to read (inside the 30 s request timeout).
pub const READ_TIMEOUT: Duration = Duration::from_secs(25);
/// CPU seconds a reader process may use.
pub const CPU_SECONDS: u64 = 30;
/// The largest answer a reader may give (the JSON of a table within the read limits fits).
pub const MAX_OUTPUT: usize = 96 * 1024 * 1024;

/// How files are read (from `[imports]` in Leptos.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderConfig {
    /// The binary to run as `<exe> read-table`; `None`: read in this process.
    pub exe: Option<PathBuf>,
    /// Memory one reader process may allocate.
    pub memory_bytes: u64,
    /// Readers at the same time on this server.
    pub parallel: usize,
}

impl Default for ReaderConfig {
    fn default() -> Self {
        Self {
            exe: None,
            memory_bytes: 256 * 1024 * 1024,
            parallel: 2,
        }
    }
}

/// The readers of this server: configuration and free slots.
#[derive(Debug, Clone)]
pub struct Readers {
    cfg: Arc<ReaderConfig>,
    slots: Arc<Semaphore>,
    companies: Arc<Mutex<HashMap<i64, Arc<Semaphore>>>>,
}

impl Default for Readers {
    fn default() -> Self {
        Self::new(ReaderConfig::default())
    }
}

impl Readers {
    /// The readers the server set up at start (kept in `AppContext::modules`); a context built
    /// without them (tools) shares one process-wide set with the default configuration, so the
    /// limits on parallel reads still hold.
    pub fn of(app: &crate::api::AppContext) -> Readers {
        static FALLBACK: std::sync::OnceLock<Readers> = std::sync::OnceLock::new();
        app.modules
            .get::<Readers>()
            .unwrap_or_else(|| FALLBACK.get_or_init(Readers::default))
            .clone()
    }
}

/// A table read from a file, with its JSON (what the job keeps: the reader's own output, so a
/// large table is not encoded twice).
pub struct ReadTable {
    pub table: Table,
    pub json: String,
}

/// The exit code of a reader that refused the file (its reason, an `AppError`, is on stdout).
const REFUSED: u8 = 3;

/// A held reading slot (the company's and one of the server's); released when dropped.
pub struct Slot {
    _server: tokio::sync::OwnedSemaphorePermit,
    _company: tokio::sync::OwnedSemaphorePermit,
}

impl Readers {
    pub fn new(cfg: ReaderConfig) -> Self {
        let parallel = cfg.parallel.max(1);
        Self {
            cfg: Arc::new(cfg),
            slots: Arc::new(Semaphore::new(parallel)),
            companies: Arc::default(),
        }
    }

    /// Waits (up to [`WAIT`]) for the company's slot and one of the server's. Used for reading a
    /// file and for loading a stored table, the two things that take memory in proportion to a
    /// file. Errors: `TooManyRequests` when no slot frees up in time.
    pub async fn slot(&self, company: i64) -> Result<Slot, AppError> {
        let company_slot = {
            let Ok(mut map) = self.companies.lock() else {
                return Err(AppError::Internal);
            };
            // Forget companies that are not reading (a one-permit semaphore nobody holds).
            if map.len() > 1000 {
                map.retain(|_, s| s.available_permits() == 0);
            }
            map.entry(company)
                .or_insert_with(|| Arc::new(Semaphore::new(1)))
                .clone()
        };
        let busy = || {
            tracing::info!(company, "file reading refused: no free reading slot");
            AppError::TooManyRequests(WAIT.as_secs())
        };
        let acquire = async {
            let company = company_slot.acquire_owned().await.map_err(|_| busy())?;
            let server = self
                .slots
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| busy())?;
            Ok::<_, AppError>(Slot {
                _server: server,
                _company: company,
            })
        };
        tokio::time::timeout(WAIT, acquire)
            .await
            .map_err(|_| busy())?
    }

    /// Reads a file for `company` into a bounded table. Errors: the `Validation`s of
    /// [`read_table`], `file/too_complex` (the reader ran out of memory or failed),
    /// `file/too_slow` (it took longer than [`READ_TIMEOUT`]), `TooManyRequests` (no free slot).
    pub async fn read(
        &self,
        company: i64,
        bytes: Arc<Vec<u8>>,
        kind: FileKind,
        encoding: Encoding,
    ) -> Result<ReadTable, AppError> {
        let _slot = self.slot(company).await?;
        if let Some(exe) = &self.cfg.exe {
            return self.read_in_process_of(exe, &bytes, kind, encoding).await;
        }
        let read = tokio::task::spawn_blocking(move || {
            let table = read_table(&bytes, kind, encoding)?;
            let json = table_json(&table)?;
            Ok(ReadTable { table, json })
        });
        match tokio::time::timeout(READ_TIMEOUT, read).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "file reader task failed");
                Err(AppError::validation("file", Invalid::TooComplex))
            }
            Err(_) => Err(AppError::validation("file", Invalid::TooSlow)),
        }
    }

    async fn read_in_process_of(
        &self,
        exe: &std::path::Path,
        bytes: &[u8],
        kind: FileKind,
        encoding: Encoding,
    ) -> Result<ReadTable, AppError> {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let spawn_failed = |e: &dyn std::fmt::Display| {
            tracing::error!(exe = %exe.display(), error = %e, "the file reader process could not run");
            AppError::Internal
        };
        let mut child = tokio::process::Command::new(exe)
            .arg("read-table")
            .arg(kind.as_db())
            .arg(encoding.as_db())
            .arg(self.cfg.memory_bytes.to_string())
            .arg(CPU_SECONDS.to_string())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .env_clear()
            .env("PLATFORMA_LOG_LEVEL", "info")
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| spawn_failed(&e))?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(spawn_failed(&"no pipes"));
        };
        let work = async {
            let feed = async {
                // A reader that dies early closes its end: what it says matters, not the pipe.
                let _ = stdin.write_all(bytes).await;
                drop(stdin);
            };
            let mut out = Vec::new();
            let mut err = Vec::new();
            let read_out = async {
                let _ = stdout
                    .take(u64::try_from(MAX_OUTPUT).unwrap_or(u64::MAX) + 1)
                    .read_to_end(&mut out)
                    .await;
            };
            let read_err = async {
                let _ = stderr.take(64 * 1024).read_to_end(&mut err).await;
            };
            tokio::join!(feed, read_out, read_err);
            let status = child.wait().await;
            (status, out, err)
        };
        let Ok((status, out, err)) = tokio::time::timeout(READ_TIMEOUT, work).await else {
            // `child` is dropped on return: the process is killed.
            tracing::info!("file reader stopped: it took longer than {READ_TIMEOUT:?}");
            return Err(AppError::validation("file", Invalid::TooSlow));
        };
        let status = status.map_err(|e| spawn_failed(&e))?;
        let unreadable = |e: &dyn std::fmt::Display| {
            tracing::error!(error = %e, "the file reader's answer is not readable");
            AppError::Internal
        };
        if out.len() <= MAX_OUTPUT {
            if status.success() {
                let table: Table = serde_json::from_slice(&out).map_err(|e| unreadable(&e))?;
                let json = String::from_utf8(out).map_err(|e| unreadable(&e))?;
                return Ok(ReadTable { table, json });
            }
            if status.code() == Some(i32::from(REFUSED)) {
                let reason: AppError = serde_json::from_slice(&out).map_err(|e| unreadable(&e))?;
                let said = String::from_utf8_lossy(&err);
                tracing::info!(error = %reason, reader = %said.trim(), "file refused by the reader");
                return Err(reason);
            }
        }
        let tail = String::from_utf8_lossy(&err);
        let tail = tail.trim();
        let tail = &tail[tail.len().saturating_sub(300)..];
        tracing::info!(status = %status, output_bytes = out.len(), stderr = %tail, "file reader failed: out of memory, CPU time or a bug in the file");
        Err(AppError::validation("file", Invalid::TooComplex))
    }
}

/// The JSON a job keeps of its table.
pub fn table_json(table: &Table) -> Result<String, AppError> {
    serde_json::to_string(table).map_err(|e| {
        tracing::error!(error = %e, "a table could not be encoded");
        AppError::Internal
    })
}

/// The reader process: reads the file from standard input under the given limits and writes the
/// table as JSON to standard output (exit 0), or the reason it refused the file (an `AppError`
/// as JSON, exit 3). Called by `platforma read-table KIND ENCODING MEMORY_BYTES CPU_SECONDS`
/// after it has capped its own memory and CPU time.
pub fn read_stdin_to_stdout(kind: &str, encoding: &str) -> std::process::ExitCode {
    use std::io::{Read as _, Write as _};
    let (Some(kind), Some(encoding)) = (FileKind::from_db(kind), Encoding::from_db(encoding))
    else {
        eprintln!(
            "usage: platforma read-table csv|xlsx|xls|ods auto|utf8|cp1251 MEMORY_BYTES CPU_SECONDS"
        );
        return std::process::ExitCode::from(2);
    };
    let mut bytes = Vec::new();
    let limit = u64::try_from(crate::imports::model::MAX_FILE_BYTES).unwrap_or(u64::MAX);
    if let Err(e) = std::io::stdin().take(limit + 1).read_to_end(&mut bytes) {
        eprintln!("reading standard input: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let result = if bytes.len() > crate::imports::model::MAX_FILE_BYTES {
        Err(AppError::validation("file", Invalid::TooLarge))
    } else {
        read_table(&bytes, kind, encoding)
    };
    drop(bytes);
    let mut out = std::io::stdout().lock();
    let (written, code) = match &result {
        Ok(table) => (
            serde_json::to_writer(&mut out, table),
            std::process::ExitCode::SUCCESS,
        ),
        Err(e) => (
            serde_json::to_writer(&mut out, e),
            std::process::ExitCode::from(REFUSED),
        ),
    };
    match written.map(|()| out.flush()) {
        Ok(Ok(())) => code,
        _ => std::process::ExitCode::FAILURE,
    }
}
