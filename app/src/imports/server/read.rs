//! Reading an uploaded file into a table of text cells: the format is told by the first bytes
//! (XLSX/ODS are zip archives, XLS an OLE container, anything else is taken as CSV); CSV text is
//! UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251, and its delimiter is `;`, `,`
//! or a tab, whichever the header line uses most. Spreadsheets are read with calamine (first
//! sheet). Every failure is a `Validation` on `file` or `encoding` that the UI explains; nothing
//! here panics on hostile input (see the property tests).

use crate::AppError;
use crate::imports::model::{Encoding, FileKind, MAX_COLUMNS, MAX_ROWS};

/// A file's cells: the header row and the data rows with their row numbers in the file
/// (1-based, as a spreadsheet shows them). Entirely empty rows are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
    /// For CSV: the encoding the text was read in.
    pub encoding_used: Option<Encoding>,
}

fn file_err(code: &str) -> AppError {
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
        return Err(file_err("binary"));
    }
    let utf8 = std::str::from_utf8(bytes);
    match (chosen, utf8) {
        (Encoding::Auto | Encoding::Utf8, Ok(s)) => Ok((s.to_owned(), Encoding::Utf8)),
        (Encoding::Utf8, Err(_)) => Err(AppError::validation("encoding", "not_utf8")),
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
    for row in rows {
        let (no, cells) = row?;
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() > MAX_COLUMNS {
            return Err(file_err("too_many_columns"));
        }
        if headers.is_none() {
            headers = Some(cells);
        } else {
            if data.len() >= MAX_ROWS {
                return Err(file_err("too_many_rows"));
            }
            data.push((no, cells));
        }
    }
    let mut headers = headers.ok_or_else(|| file_err("empty"))?;
    if data.is_empty() {
        return Err(file_err("no_rows"));
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
    // Row numbers as a spreadsheet opening the file shows them: blank lines count too.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let rows = reader.records().map(|r| {
        let r = r.map_err(|e| {
            tracing::info!(error = %e, "CSV file not readable");
            file_err("csv_broken")
        })?;
        let mut byte = r
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        // The reader's position may stand before the blank lines it skipped.
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let line = newlines.partition_point(|&n| n < byte) + 1;
        Ok((
            u32::try_from(line).unwrap_or(u32::MAX),
            r.iter().map(tidy).collect(),
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

fn read_sheet(bytes: &[u8]) -> Result<Table, AppError> {
    use calamine::Reader as _;
    let broken = |e: &dyn std::fmt::Display| {
        tracing::info!(error = %e, "spreadsheet not readable");
        file_err("broken")
    };
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| broken(&e))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| file_err("empty"))?
        .map_err(|e| broken(&e))?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    let first_col = range.start().map_or(0, |(_, c)| c);
    let lead = usize::try_from(first_col).unwrap_or(0);
    if lead >= MAX_COLUMNS {
        return Err(file_err("too_many_columns"));
    }
    let rows = range.rows().enumerate().map(|(i, r)| {
        let no = u32::try_from(i)
            .unwrap_or(u32::MAX)
            .saturating_add(first_row)
            .saturating_add(1);
        // Columns keep their places even when the sheet does not start at column A.
        let cells = std::iter::repeat_n(String::new(), lead)
            .chain(r.iter().map(cell_text))
            .collect();
        Ok((no, cells))
    });
    into_table(rows, None)
}

/// Reads the file as its first bytes say. Errors (`Validation`): `file/empty`, `file/no_rows`,
/// `file/broken`, `file/binary`, `file/csv_broken`, `file/too_many_rows`,
/// `file/too_many_columns`, `encoding/not_utf8`.
pub fn read_table(bytes: &[u8], kind: FileKind, encoding: Encoding) -> Result<Table, AppError> {
    if bytes.is_empty() {
        return Err(file_err("empty"));
    }
    match kind {
        FileKind::Csv => read_csv(bytes, encoding),
        FileKind::Xlsx | FileKind::Xls | FileKind::Ods => read_sheet(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            Err(AppError::validation("encoding", "not_utf8"))
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
            file_err("empty")
        );
        assert_eq!(
            err(read_table(b"\n ;; \n", FileKind::Csv, Encoding::Auto)),
            file_err("empty")
        );
        assert_eq!(
            err(read_table(b"a;b\n", FileKind::Csv, Encoding::Auto)),
            file_err("no_rows")
        );
        assert_eq!(
            err(read_table(b"a\0b\n1\n", FileKind::Csv, Encoding::Auto)),
            file_err("binary")
        );
        let mut truncated = b"PK\x03\x04".to_vec();
        truncated.extend_from_slice(&[7u8; 300]);
        assert_eq!(detect_kind(&truncated), FileKind::Xlsx);
        assert_eq!(
            err(read_table(&truncated, FileKind::Xlsx, Encoding::Auto)),
            file_err("broken")
        );
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3];
        assert_eq!(detect_kind(&ole), FileKind::Xls);
        assert_eq!(
            err(read_table(&ole, FileKind::Xls, Encoding::Auto)),
            file_err("broken")
        );
        let wide = format!("{}\n{}\n", "a;".repeat(150), "1;".repeat(150));
        assert_eq!(
            err(read_table(wide.as_bytes(), FileKind::Csv, Encoding::Auto)),
            file_err("too_many_columns")
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

        #[test]
        fn zip_looking_garbage_is_refused(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            prop_assert!(read_table(&bytes, detect_kind(&bytes), Encoding::Auto).is_err());
        }
    }
}
