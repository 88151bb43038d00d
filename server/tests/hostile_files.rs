//! Hostile uploads against the real `platforma serve` process: the files an outside probe used to
//! crash or bloat the server (built here, byte for byte), each answered 422 with its reason while
//! the server's own memory stays within a stated bound and the server keeps serving.
//!
//! The bound: no upload of at most the size limit raises the server process's peak RSS by more
//! than [`BOUND_MB`] MiB. Files are read by a separate `platforma read-table` process whose memory
//! is capped (`imports.reader_memory_mb`), so what grows here is only the request itself.

mod common;

use std::io::{BufRead as _, BufReader, Write};
use std::process::{Child, Command, Stdio};

use common::BIN;

/// The stated bound on the server's memory growth for one upload, in MiB.
const BOUND_MB: u64 = 256;

/// The real server on a fresh SQLite database with the demo data.
struct Server {
    child: Child,
    base: String,
    dir: std::path::PathBuf,
    client: reqwest::Client,
}

impl Server {
    fn start() -> Self {
        let dir =
            std::env::temp_dir().join(format!("platforma-hostile-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db = format!("sqlite://{}/db.sqlite", dir.display());
        for args in [["migrate"].as_slice(), ["seed-demo"].as_slice()] {
            let out = Command::new(BIN)
                .args(args)
                .env("DATABASE_URL", &db)
                .env_remove("PLATFORMA_CONFIG")
                .env("PLATFORMA_LOG_LEVEL", "warn")
                .current_dir(&dir)
                .output()
                .expect("run platforma");
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut child = Command::new(BIN)
            .arg("serve")
            .env("DATABASE_URL", &db)
            .env_remove("PLATFORMA_CONFIG")
            .env("PLATFORMA_SERVER_ADDR", "127.0.0.1:0")
            .env("PLATFORMA_SERVER_SITE_ROOT", &dir)
            .env("PLATFORMA_LOG_LEVEL", "warn")
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the first line");
        let base = line
            .trim()
            .rsplit(' ')
            .next()
            .expect("Platforma is running at URL")
            .to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{line}");
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_mins(2))
            .build()
            .expect("client");
        Self {
            child,
            base,
            dir,
            client,
        }
    }

    /// A field of the server process's `/proc/PID/status`, in KiB.
    fn status_kb(&self, field: &str) -> u64 {
        let text = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        text.lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in {text}"))
    }

    /// Resets the peak RSS (`VmHWM`) to the current RSS.
    fn reset_peak(&self) {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5").expect("clear_refs");
    }

    async fn post(
        &self,
        endpoint: &str,
        token: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}{endpoint}", self.base))
            .header("origin", &self.base)
            .form(form);
        if let Some(t) = token {
            req = req.header("cookie", format!("platforma_session={t}"));
        }
        req.send().await.expect("POST")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes one archive entry's bytes.
type Body = Box<dyn FnOnce(&mut dyn Write)>;

/// A zip archive; `entries` are written in order, each by its own writer function (so a large
/// entry streams into the compressor instead of being built in memory first).
fn zip(entries: Vec<(&str, bool, Body)>) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, stored, write) in entries {
        let opts = SimpleFileOptions::default()
            .compression_method(if stored {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            })
            .large_file(false);
        w.start_file(name, opts).expect("zip entry");
        write(&mut w);
    }
    w.finish().expect("zip").into_inner()
}

fn text(s: &'static str) -> Body {
    Box::new(move |w| w.write_all(s.as_bytes()).expect("write"))
}

/// A minimal XLSX: one sheet whose XML `sheet` writes; `shared` is `xl/sharedStrings.xml`.
fn xlsx(sheet: Body, shared: Option<&'static str>) -> Vec<u8> {
    let mut entries: Vec<(&str, bool, Body)> = vec![
        (
            "[Content_Types].xml",
            false,
            text(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                r#"<Default Extension="xml" ContentType="application/xml"/>"#,
                r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
                r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
                r#"</Types>"#
            )),
        ),
        (
            "_rels/.rels",
            false,
            text(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
                r#"</Relationships>"#
            )),
        ),
        (
            "xl/workbook.xml",
            false,
            text(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
                r#"<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            )),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            false,
            text(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
                r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
                r#"</Relationships>"#
            )),
        ),
        ("xl/worksheets/sheet1.xml", false, sheet),
    ];
    if let Some(s) = shared {
        entries.push(("xl/sharedStrings.xml", false, text(s)));
    }
    zip(entries)
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// The probe's 1.5 KB workbook: two cells, A1 and XFD1048576 (a dense reader allocates the
/// rectangle between them: 549 GB).
fn two_far_cells() -> Vec<u8> {
    xlsx(
        text(concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Кв</t></is></c></row>"#,
            r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
            "</sheetData></worksheet>"
        )),
        None,
    )
}

/// A sheet that is 1 GiB of whitespace, about 1 MB compressed.
fn gigabyte_of_whitespace() -> Vec<u8> {
    xlsx(
        Box::new(|w| {
            w.write_all(SHEET_HEAD.as_bytes()).expect("write");
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..1024 {
                w.write_all(&chunk).expect("write");
            }
            w.write_all(SHEET_TAIL.as_bytes()).expect("write");
        }),
        None,
    )
}

/// Forty million empty rows (the probe's file got its 408 after 30 s while parsing went on).
fn forty_million_rows() -> Vec<u8> {
    xlsx(
        Box::new(|w| {
            w.write_all(SHEET_HEAD.as_bytes()).expect("write");
            let chunk = "<row/>".repeat(100_000);
            for _ in 0..400 {
                w.write_all(chunk.as_bytes()).expect("write");
            }
            w.write_all(SHEET_TAIL.as_bytes()).expect("write");
        }),
        None,
    )
}

/// A million rows with a value each: reading stops at the row limit.
fn a_million_rows() -> Vec<u8> {
    xlsx(
        Box::new(|w| {
            w.write_all(SHEET_HEAD.as_bytes()).expect("write");
            let row = r#"<row><c t="inlineStr"><is><t>7</t></is></c></row>"#.repeat(10_000);
            for _ in 0..100 {
                w.write_all(row.as_bytes()).expect("write");
            }
            w.write_all(SHEET_TAIL.as_bytes()).expect("write");
        }),
        None,
    )
}

/// A shared-strings table that claims a trillion strings (a reader reserves room for them).
fn a_trillion_strings() -> Vec<u8> {
    xlsx(
        text(concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>"#,
            "</sheetData></worksheet>"
        )),
        Some(concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000">"#,
            r#"<si><t>Кв</t></si></sst>"#
        )),
    )
}

/// An ODS whose one row is 16 384 cells wide and repeated 6 000 times: 98 million cells, just
/// under calamine's own limit of 100 million (3 GB as a dense range).
fn repeated_ods() -> Vec<u8> {
    zip(vec![
        (
            "mimetype",
            true,
            text("application/vnd.oasis.opendocument.spreadsheet"),
        ),
        (
            "META-INF/manifest.xml",
            false,
            text(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
                r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
                r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#
            )),
        ),
        (
            "content.xml",
            false,
            text(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
                r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
                r#"<office:body><office:spreadsheet><table:table table:name="Лист1">"#,
                r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
                r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
            )),
        ),
    ])
}

/// BIFF8 record bytes.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(
        &u16::try_from(data.len())
            .expect("short record")
            .to_le_bytes(),
    );
    r.extend_from_slice(data);
    r
}

/// An XLS whose dimensions record claims 4 294 967 280 rows × 256 columns (a reader reserves
/// room for every cell before reading one).
fn huge_dimensions_xls() -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend_from_slice(&kind.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        record(0x0809, &d)
    };
    let name = b"Sheet1";
    let globals_len = bof(0x0005).len() + 4 + 6 + 2 + name.len() + record(0x000A, &[]).len();
    let mut sheet_entry = u32::try_from(globals_len)
        .expect("offset")
        .to_le_bytes()
        .to_vec();
    sheet_entry.extend_from_slice(&[0, 0, u8::try_from(name.len()).expect("len"), 0]);
    sheet_entry.extend_from_slice(name);
    let mut stream = bof(0x0005);
    stream.extend(record(0x0085, &sheet_entry));
    stream.extend(record(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    stream.extend(bof(0x0010));
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&0x00FFu16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    stream.extend(record(0x0200, &dims));
    stream.extend(record(0x000A, &[]));
    // Version 3 (512-byte sectors), as Excel writes it.
    let mut file =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .expect("cfb");
    {
        let mut s = file.create_stream("/Workbook").expect("stream");
        s.write_all(&stream).expect("write");
        // Large enough to live in regular sectors, like real workbooks.
        s.write_all(&vec![0u8; 8192]).expect("pad");
    }
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// `(name, file bytes, the reason the server must give)`.
fn hostile_files() -> Vec<(&'static str, Vec<u8>, &'static [&'static str])> {
    vec![
        ("A1 + XFD1048576", two_far_cells(), &["too_many_columns"]),
        (
            "1 GiB of whitespace",
            gigabyte_of_whitespace(),
            &["too_complex"],
        ),
        // Read to the end in about 12 s by a debug build (1 s optimised): "empty", or "too_slow"
        // when a loaded test machine passes the reading time limit. Either way bounded.
        (
            "40 million empty rows",
            forty_million_rows(),
            &["empty", "too_slow"],
        ),
        ("a million rows", a_million_rows(), &["too_many_rows"]),
        (
            "a trillion shared strings",
            a_trillion_strings(),
            &["too_complex"],
        ),
        (
            "ODS, 98 million repeated cells",
            repeated_ods(),
            &["too_complex", "too_many_columns"],
        ),
        (
            "XLS claiming 4 billion rows",
            huge_dimensions_xls(),
            &["too_complex"],
        ),
        (
            "CSV of 20 million empty lines",
            {
                let mut f = b"a;b\n".to_vec();
                f.extend(std::iter::repeat_n(b'\n', 20 * 1024 * 1024 - 8));
                f
            },
            &["no_rows"],
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_files_are_refused_within_the_memory_bound() {
    use base64::Engine as _;
    let server = Server::start();
    let r = server
        .post(
            "/api/auth/sign-in",
            None,
            &[
                ("login", "admin"),
                ("password", "demo-platforma"),
                ("mode", "Staff"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let token = common::set_cookie(&r, "platforma_session").expect("session");
    let buildings: serde_json::Value = server
        .post("/api/buildings/list", Some(&token), &[])
        .await
        .json()
        .await
        .expect("json");
    let building = buildings
        .as_array()
        .expect("list")
        .iter()
        .find(|b| b["name"] == "Лесная, 12")
        .map(|b| b["id"].to_string())
        .expect("Лесная, 12");
    let idle_kb = server.status_kb("VmRSS:");
    let mut report = Vec::new();
    for (name, file, reasons) in hostile_files() {
        assert!(
            file.len() <= 20 * 1024 * 1024,
            "{name}: {} bytes",
            file.len()
        );
        let content = base64::engine::general_purpose::STANDARD.encode(&file);
        drop(file);
        server.reset_peak();
        let before_kb = server.status_kb("VmRSS:");
        let r = server
            .post(
                "/api/imports/upload",
                Some(&token),
                &[
                    ("building", building.as_str()),
                    ("source", ""),
                    ("file_name", "hostile.xlsx"),
                    ("content", content.as_str()),
                ],
            )
            .await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        let peak_kb = server.status_kb("VmHWM:");
        let grown_mb = peak_kb.saturating_sub(before_kb) / 1024;
        report.push(format!(
            "{name}: {status} {body} — server peak +{grown_mb} MiB"
        ));
        assert_eq!(status, 422, "{name}: {body}");
        assert!(
            reasons
                .iter()
                .any(|r| body.contains(&format!("\"code\":\"{r}\""))),
            "{name}: expected one of {reasons:?}, got {body}"
        );
        assert!(
            grown_mb <= BOUND_MB,
            "{name}: the server's peak RSS grew by {grown_mb} MiB (bound {BOUND_MB} MiB)"
        );
        // Still serving, nothing stored.
        let r = server.post("/api/auth/me", Some(&token), &[]).await;
        assert_eq!(r.status(), 200, "{name}: the server still answers");
        let jobs: serde_json::Value = server
            .post("/api/imports/list", Some(&token), &[])
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(
            jobs.as_array().map(Vec::len),
            Some(0),
            "{name}: nothing stored"
        );
    }
    eprintln!(
        "idle RSS {} MiB; per file:\n{}",
        idle_kb / 1024,
        report.join("\n")
    );
}
