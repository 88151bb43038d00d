//! Reading an uploaded file into a table of text cells: the format is told by the first bytes
//! (XLSX/ODS are zip archives, XLS an OLE container, anything else is taken as CSV); CSV text is
//! UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251, and its delimiter is `;`, `,`
//! or a tab, whichever the header line uses most. Spreadsheets are read with calamine (first
//! sheet). Every failure is a `Validation` on `file` or `encoding` that the UI explains; nothing
//! here panics on hostile input (see the property tests).
//!
//! Memory stays bounded by what the table may hold, not by what the file claims: XLSX is read
//! cell by cell as it streams out of the archive (never as a dense rectangle from A1 to the last
//! cell), CSV line numbers are counted as the reader goes, and reading stops at the first limit
//! passed (rows, columns, cells, text: `imports::model`). XLS and ODS, which calamine can only
//! load whole, are read like the rest in the reader process (`reader`), whose memory is capped.

use crate::AppError;
use crate::Invalid;
use crate::imports::model::{Encoding, FileKind, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_TEXT_BYTES};

/// A file's cells: the header row and the data rows with their row numbers in the file
/// (1-based, as a spreadsheet shows them). Entirely empty rows are left out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
    /// For CSV: the encoding the text was read in.
    pub encoding_used: Option<Encoding>,
}

fn file_err(code: Invalid) -> AppError {
    AppError::validation("file", code)
}

/// The format, from the first bytes.
pub fn detect_kind(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") {
        // An ODF package stores its media type uncompressed as the first entry.
        let head = &bytes[..bytes.len().min(200)];
        if head
            .windows(b"opendocument.spreadsheet".len())
            .any(|w| w == b"opendocument.spreadsheet")
        {
            FileKind::Ods
        } else {
            FileKind::Xlsx
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        FileKind::Xls
    } else {
        FileKind::Csv
    }
}

/// Windows-1251 bytes 0x80–0xBF (0xC0–0xFF are А–я in order).
const CP1251_HIGH: &str = "\u{0402}\u{0403}\u{201a}\u{0453}\u{201e}\u{2026}\u{2020}\u{2021}\u{20ac}\u{2030}\u{0409}\u{2039}\u{040a}\u{040c}\u{040b}\u{040f}\u{0452}\u{2018}\u{2019}\u{201c}\u{201d}\u{2022}\u{2013}\u{2014}\u{fffd}\u{2122}\u{0459}\u{203a}\u{045a}\u{045c}\u{045b}\u{045f}\u{00a0}\u{040e}\u{045e}\u{0408}\u{00a4}\u{0490}\u{00a6}\u{00a7}\u{0401}\u{00a9}\u{0404}\u{00ab}\u{00ac}\u{00ad}\u{00ae}\u{0407}\u{00b0}\u{00b1}\u{0406}\u{0456}\u{0491}\u{00b5}\u{00b6}\u{00b7}\u{0451}\u{2116}\u{0454}\u{00bb}\u{0458}\u{0405}\u{0455}\u{0457}";

/// Decodes Windows-1251 (every byte is some character).
pub fn decode_cp1251(bytes: &[u8]) -> String {
    let high: Vec<char> = CP1251_HIGH.chars().collect();
    bytes
        .iter()
        .map(|&b| match b {
            0..=0x7F => char::from(b),
            0x80..=0xBF => high[usize::from(b - 0x80)],
            _ => char::from_u32(0x410 + u32::from(b - 0xC0)).unwrap_or('\u{fffd}'),
        })
        .collect()
}

/// The text of a CSV file in the chosen encoding (`Auto`: UTF-8 if the bytes are valid UTF-8,
/// Windows-1251 otherwise). Errors: `encoding/not_utf8` when UTF-8 was chosen and the bytes
/// are not; `file/binary` for bytes that are no text at all.
pub fn decode_text(bytes: &[u8], chosen: Encoding) -> Result<(String, Encoding), AppError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        // Excel's "Unicode text": UTF-16LE with a BOM.
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect();
        return Ok((text, Encoding::Utf8));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(file_err(Invalid::Binary));
    }
    let utf8 = std::str::from_utf8(bytes);
    match (chosen, utf8) {
        (Encoding::Auto | Encoding::Utf8, Ok(s)) => Ok((s.to_owned(), Encoding::Utf8)),
        (Encoding::Utf8, Err(_)) => Err(AppError::validation("encoding", Invalid::NotUtf8)),
        (Encoding::Auto | Encoding::Cp1251, _) => Ok((decode_cp1251(bytes), Encoding::Cp1251)),
    }
}

/// `;`, tab or `,`: whichever the first non-empty line has most of outside quotes.
fn delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b';', b'\t', b','][best]
}

fn tidy(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_owned()
}

fn into_table(
    rows: impl Iterator<Item = Result<(u32, Vec<String>), AppError>>,
    encoding_used: Option<Encoding>,
) -> Result<Table, AppError> {
    let mut headers: Option<Vec<String>> = None;
    let mut data = Vec::new();
    let mut text = 0usize;
    for row in rows {
        let (no, cells) = row?;
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() > MAX_COLUMNS && cells[MAX_COLUMNS..].iter().any(|c| !c.is_empty()) {
            return Err(file_err(Invalid::TooManyColumns));
        }
        let mut cells = cells;
        cells.truncate(MAX_COLUMNS);
        text += cells.iter().map(String::len).sum::<usize>();
        if text > MAX_TEXT_BYTES {
            return Err(file_err(Invalid::TooManyCells));
        }
        if headers.is_none() {
            headers = Some(cells);
        } else {
            if data.len() >= MAX_ROWS {
                return Err(file_err(Invalid::TooManyRows));
            }
            data.push((no, cells));
        }
    }
    let mut headers = headers.ok_or_else(|| file_err(Invalid::Empty))?;
    if data.is_empty() {
        return Err(file_err(Invalid::NoRows));
    }
    let width = data
        .iter()
        .map(|(_, r)| r.len())
        .chain(std::iter::once(headers.len()))
        .max()
        .unwrap_or(0);
    // Trailing columns with neither a header nor a value are dropped.
    let used = (0..width)
        .rev()
        .find(|&i| {
            headers.get(i).is_some_and(|h| !h.is_empty())
                || data
                    .iter()
                    .any(|(_, r)| r.get(i).is_some_and(|c| !c.is_empty()))
        })
        .map_or(0, |i| i + 1);
    // Checked before the rows are padded to the full width.
    if data.len().saturating_mul(used) > MAX_CELLS {
        return Err(file_err(Invalid::TooManyCells));
    }
    headers.resize(used, String::new());
    for (_, r) in &mut data {
        r.resize(used, String::new());
    }
    Ok(Table {
        headers,
        rows: data,
        encoding_used,
    })
}

fn read_csv(bytes: &[u8], chosen: Encoding) -> Result<Table, AppError> {
    let (text, used) = decode_text(bytes, chosen)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Row numbers as a spreadsheet opening the file shows them: blank lines count too. Counted as
    // the reader advances (positions only grow), so no index of every line is built.
    let all = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1usize);
    let rows = reader.records().map(move |r| {
        let r = r.map_err(|e| {
            tracing::info!(error = %e, "CSV file not readable");
            file_err(Invalid::CsvBroken)
        })?;
        let mut byte = r
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(all.len());
        // The reader's position may stand before the blank lines it skipped.
        while matches!(all.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte > counted_to {
            line += all[counted_to..byte]
                .split(|b| *b == b'\n')
                .count()
                .saturating_sub(1);
            counted_to = byte;
        }
        if r.len() > MAX_COLUMNS && r.iter().skip(MAX_COLUMNS).any(|c| !tidy(c).is_empty()) {
            return Err(file_err(Invalid::TooManyColumns));
        }
        Ok((
            u32::try_from(line).unwrap_or(u32::MAX),
            r.iter().take(MAX_COLUMNS).map(tidy).collect(),
        ))
    });
    into_table(rows, Some(used))
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => tidy(s),
        #[expect(
            clippy::cast_possible_truncation,
            reason = "only whole numbers well inside i64 take this branch"
        )]
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => tidy(&other.to_string()),
    }
}

fn broken(e: &dyn std::fmt::Display) -> AppError {
    tracing::info!(error = %e, "spreadsheet not readable");
    file_err(Invalid::Broken)
}

/// XLSX, cell by cell as the sheet streams out of the archive: only non-empty cells are kept, so
/// a sheet with one cell in A1 and one in XFD1048576 costs two cells, not the rectangle between.
fn read_xlsx(bytes: &[u8]) -> Result<Table, AppError> {
    use calamine::Reader as _;
    use std::collections::BTreeMap;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_err(Invalid::Empty))?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| broken(&e))?;
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut text = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| broken(&e))? {
        let (r, c) = cell.get_position();
        let value = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if value.is_empty() {
            continue;
        }
        let c = usize::try_from(c).unwrap_or(usize::MAX);
        if c >= MAX_COLUMNS {
            return Err(file_err(Invalid::TooManyColumns));
        }
        text += value.len();
        if text > MAX_TEXT_BYTES {
            return Err(file_err(Invalid::TooManyCells));
        }
        // The header and MAX_ROWS data rows; one more non-empty row is one too many.
        if !rows.contains_key(&r) && rows.len() > MAX_ROWS {
            return Err(file_err(Invalid::TooManyRows));
        }
        let row = rows.entry(r).or_default();
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = value;
    }
    into_table(
        rows.into_iter()
            .map(|(r, cells)| Ok((r.saturating_add(1), cells))),
        None,
    )
}

/// XLS and ODS: calamine loads the first sheet whole (run in the memory-capped reader process).
fn read_sheet(bytes: &[u8], kind: FileKind) -> Result<Table, AppError> {
    use calamine::Reader as _;
    let cursor = std::io::Cursor::new(bytes);
    let range = if kind == FileKind::Ods {
        calamine::Ods::new(cursor)
            .map_err(|e| broken(&e))?
            .worksheet_range_at(0)
            .ok_or_else(|| file_err(Invalid::Empty))?
            .map_err(|e| broken(&e))?
    } else {
        calamine::Xls::new(cursor)
            .map_err(|e| broken(&e))?
            .worksheet_range_at(0)
            .ok_or_else(|| file_err(Invalid::Empty))?
            .map_err(|e| broken(&e))?
    };
    let first_row = range.start().map_or(0, |(r, _)| r);
    let first_col = range.start().map_or(0, |(_, c)| c);
    let lead = usize::try_from(first_col).unwrap_or(usize::MAX);
    if lead >= MAX_COLUMNS {
        return Err(file_err(Invalid::TooManyColumns));
    }
    let rows = range.rows().enumerate().map(|(i, r)| {
        let no = u32::try_from(i)
            .unwrap_or(u32::MAX)
            .saturating_add(first_row)
            .saturating_add(1);
        // Columns keep their places even when the sheet does not start at column A; cells past
        // the column limit are looked at, not copied.
        if r.iter()
            .skip(MAX_COLUMNS - lead)
            .any(|c| !cell_text(c).is_empty())
        {
            return Err(file_err(Invalid::TooManyColumns));
        }
        let cells = std::iter::repeat_n(String::new(), lead)
            .chain(r.iter().take(MAX_COLUMNS - lead).map(cell_text))
            .collect();
        Ok((no, cells))
    });
    into_table(rows, None)
}

/// Reads the file as its first bytes say. Errors (`Validation`): `file/empty`, `file/no_rows`,
/// `file/broken`, `file/binary`, `file/csv_broken`, `file/too_many_rows`,
/// `file/too_many_columns`, `file/too_many_cells`, `encoding/not_utf8`.
pub fn read_table(bytes: &[u8], kind: FileKind, encoding: Encoding) -> Result<Table, AppError> {
    if bytes.is_empty() {
        return Err(file_err(Invalid::Empty));
    }
    match kind {
        FileKind::Csv => read_csv(bytes, encoding),
        FileKind::Xlsx => read_xlsx(bytes),
        FileKind::Xls | FileKind::Ods => read_sheet(bytes, kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A minimal XLSX with these cells (inline strings), `(row, column)` from 0.
    fn xlsx_with(cells: &std::collections::BTreeMap<(u32, u32), String>) -> Vec<u8> {
        use std::fmt::Write as _;
        use std::io::Write as _;
        fn col_name(mut c: u32) -> String {
            let mut name = Vec::new();
            loop {
                name.push(char::from(b'A' + u8::try_from(c % 26).expect("letter")));
                if c < 26 {
                    break;
                }
                c = c / 26 - 1;
            }
            name.iter().rev().collect()
        }
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        let mut row = None;
        for ((r, c), v) in cells {
            if row != Some(*r) {
                if row.is_some() {
                    sheet.push_str("</row>");
                }
                let _ = write!(sheet, r#"<row r="{}">"#, r + 1);
                row = Some(*r);
            }
            let _ = write!(
                sheet,
                r#"<c r="{}{}" t="inlineStr"><is><t>{v}</t></is></c>"#,
                col_name(*c),
                r + 1
            );
        }
        if row.is_some() {
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in files {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            w.write_all(body.as_bytes()).expect("write");
        }
        w.finish().expect("zip").into_inner()
    }

    #[test]
    fn the_probes_two_far_cells_cost_two_cells() {
        let cells = [
            ((0, 0), "Кв".to_owned()),
            ((1_048_575, 16_383), "x".to_owned()),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            read_table(&xlsx_with(&cells), FileKind::Xlsx, Encoding::Auto),
            Err(file_err(Invalid::TooManyColumns))
        );
        let cells = [
            ((0, 0), "Кв".to_owned()),
            ((0, 3), "ФИО".to_owned()),
            ((1_048_575, 3), "Иванов".to_owned()),
        ]
        .into_iter()
        .collect();
        let t = read_table(&xlsx_with(&cells), FileKind::Xlsx, Encoding::Auto).expect("read");
        assert_eq!(t.headers, vec!["Кв", "", "", "ФИО"]);
        assert_eq!(
            t.rows,
            vec![(
                1_048_576,
                vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    "Иванов".to_owned()
                ]
            )]
        );
    }

    #[test]
    fn cp1251_decodes_russian_text() {
        let bytes = [
            209, 229, 236, 184, 237, 238, 226, 224, 32, 185, 49, 50, 32, 171, 194, 229, 234, 242,
            238, 240, 187,
        ];
        assert_eq!(decode_cp1251(&bytes), "Семёнова №12 «Вектор»");
        let (text, used) = decode_text(&bytes, Encoding::Auto).expect("auto");
        assert_eq!(
            (text.as_str(), used),
            ("Семёнова №12 «Вектор»", Encoding::Cp1251)
        );
        assert_eq!(
            decode_text(&bytes, Encoding::Utf8),
            Err(AppError::validation("encoding", Invalid::NotUtf8))
        );
    }

    #[test]
    fn utf8_with_bom_and_utf16_are_read() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("Кв;ФИО\n1;Ёлкин\n".as_bytes());
        let t = read_table(&bytes, FileKind::Csv, Encoding::Auto).expect("utf8");
        assert_eq!(t.headers, vec!["Кв", "ФИО"]);
        assert_eq!(t.rows, vec![(2, vec!["1".to_owned(), "Ёлкин".to_owned()])]);
        assert_eq!(t.encoding_used, Some(Encoding::Utf8));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Кв\tФИО\r\n1\tЁлкин\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let t = read_table(&utf16, FileKind::Csv, Encoding::Auto).expect("utf16");
        assert_eq!(t.headers, vec!["Кв", "ФИО"]);
        assert_eq!(t.rows[0].1[1], "Ёлкин");
    }

    #[test]
    fn delimiters_quotes_and_blank_rows() {
        let text = "Кв,ФИО,Телефон\n\n7,\"Семёнова, Ольга\",\"+7 916 555-12-34; 8 900 000 00 00\"\n8,Орлов,\n";
        let t = read_table(text.as_bytes(), FileKind::Csv, Encoding::Auto).expect("csv");
        assert_eq!(t.headers.len(), 3);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].0, 3, "row numbers count the blank line");
        assert_eq!(t.rows[0].1[1], "Семёнова, Ольга");
        let t = read_table(b"a;b;c\n1;2\n", FileKind::Csv, Encoding::Auto).expect("short row");
        assert_eq!(t.rows[0].1, vec!["1", "2", ""]);
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let err = |r: Result<Table, AppError>| r.expect_err("refused");
        assert_eq!(
            err(read_table(b"", FileKind::Csv, Encoding::Auto)),
            file_err(Invalid::Empty)
        );
        assert_eq!(
            err(read_table(b"\n ;; \n", FileKind::Csv, Encoding::Auto)),
            file_err(Invalid::Empty)
        );
        assert_eq!(
            err(read_table(b"a;b\n", FileKind::Csv, Encoding::Auto)),
            file_err(Invalid::NoRows)
        );
        assert_eq!(
            err(read_table(b"a\0b\n1\n", FileKind::Csv, Encoding::Auto)),
            file_err(Invalid::Binary)
        );
        let mut truncated = b"PK\x03\x04".to_vec();
        truncated.extend_from_slice(&[7u8; 300]);
        assert_eq!(detect_kind(&truncated), FileKind::Xlsx);
        assert_eq!(
            err(read_table(&truncated, FileKind::Xlsx, Encoding::Auto)),
            file_err(Invalid::Broken)
        );
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3];
        assert_eq!(detect_kind(&ole), FileKind::Xls);
        assert_eq!(
            err(read_table(&ole, FileKind::Xls, Encoding::Auto)),
            file_err(Invalid::Broken)
        );
        let wide = format!("{}\n{}\n", "a;".repeat(150), "1;".repeat(150));
        assert_eq!(
            err(read_table(wide.as_bytes(), FileKind::Csv, Encoding::Auto)),
            file_err(Invalid::TooManyColumns)
        );
    }

    #[test]
    fn the_sample_spreadsheet_is_read() {
        let bytes = include_bytes!("../../../../docs/import-sample.xlsx");
        assert_eq!(detect_kind(bytes), FileKind::Xlsx);
        let t = read_table(bytes, FileKind::Xlsx, Encoding::Auto).expect("sample");
        assert!(
            t.headers.iter().any(|h| h.contains("Лицевой")),
            "{:?}",
            t.headers
        );
        assert!(t.rows.len() >= 10);
        // Numbers typed as numbers come out without a decimal point.
        assert!(t.rows.iter().all(|(_, r)| !r[0].ends_with(".0")));
    }

    proptest! {
        #[test]
        fn any_bytes_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for kind in [FileKind::Csv, FileKind::Xlsx, FileKind::Xls, FileKind::Ods] {
                if let Ok(t) = read_table(&bytes, kind, Encoding::Auto) {
                    prop_assert!(!t.rows.is_empty());
                    prop_assert!(t.rows.iter().all(|(_, r)| r.len() == t.headers.len()));
                }
            }
        }

        /// Workbooks with cells anywhere on the sheet (up to XFD1048576): read cell by cell,
        /// never as the rectangle between them. Cells past the limits are refused; the rest keep
        /// their values in their places.
        #[test]
        fn xlsx_cells_anywhere(cells in proptest::collection::btree_map((0u32..1_048_576, 0u32..16_384), "[a-zА-я0-9 ]{1,8}", 1..12)) {
            let bytes = xlsx_with(&cells);
            match read_table(&bytes, FileKind::Xlsx, Encoding::Auto) {
                Ok(t) => {
                    prop_assert!(cells.keys().all(|(_, c)| (*c as usize) < MAX_COLUMNS));
                    prop_assert!(t.headers.len() <= MAX_COLUMNS);
                    prop_assert!(t.rows.iter().all(|(_, r)| r.len() == t.headers.len()));
                    for (no, row) in &t.rows {
                        for (c, v) in row.iter().enumerate() {
                            if !v.is_empty() {
                                let key = (no - 1, u32::try_from(c).expect("column"));
                                let expected = cells.get(&key).map(|s| s.trim().to_owned());
                                prop_assert_eq!(Some(v.trim().to_owned()), expected);
                            }
                        }
                    }
                }
                Err(e) => {
                    let reasons = ["too_many_columns", "no_rows", "empty"];
                    prop_assert!(
                        matches!(&e, AppError::Validation { code, .. } if reasons.contains(&code.as_str())),
                        "{e:?}"
                    );
                }
            }
        }

        #[test]
        fn zip_looking_garbage_is_refused(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            prop_assert!(read_table(&bytes, detect_kind(&bytes), Encoding::Auto).is_err());
        }
    }
}
