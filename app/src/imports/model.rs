//! Import types shared by the browser and the server: the fields a column can map to (with
//! header suggestions), the row parser every cell goes through, and what the import screens
//! show (jobs, preview, report). Problems are short codes (`"phone:format"`) that the server
//! stores in the report and the UI translates.

use crate::AppError;
use crate::Invalid;
use crate::buildings::model::{BuildingId, UnitKind, parse_account, parse_area};
use crate::people::person::{CheckedPerson, PersonForm, PersonKind, PhoneInput, Share};
use crate::values::Relation;
use crate::values::{db_enum, fold};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An import job's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ImportJobId(pub i64);

/// The largest file accepted (bytes).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most data rows in one file.
pub const MAX_ROWS: usize = 100_000;
/// The most columns in one file.
pub const MAX_COLUMNS: usize = 100;
/// The most cells of a file's table (data rows × used columns): bounds what is kept per job.
pub const MAX_CELLS: usize = 2_000_000;
/// The most text in a file's cells (bytes of UTF-8).
pub const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;
/// Longest cell text kept (longer cells are a problem of their row).
pub const MAX_CELL_CHARS: usize = 300;

db_enum!(
    /// What a column of the file holds.
    ImportField {
        Account = "account",
        Unit = "unit",
        Entrance = "entrance",
        Floor = "floor",
        UnitKind = "unit_kind",
        Area = "area",
        FullName = "full_name",
        LastName = "last_name",
        FirstName = "first_name",
        MiddleName = "middle_name",
        Relation = "relation",
        Phone = "phone",
        Email = "email",
        Share = "share",
        Arrears = "arrears",
    }
);

db_enum!(
    /// The text encoding of a CSV file.
    Encoding {
        Auto = "auto",
        Utf8 = "utf8",
        Cp1251 = "cp1251",
    }
);

db_enum!(
    /// The file format, told by its first bytes rather than its name.
    FileKind {
        Csv = "csv",
        Xlsx = "xlsx",
        Xls = "xls",
        Ods = "ods",
    }
);

db_enum!(
    /// Where a job is: mapped and previewed, waiting, running, finished or stopped.
    JobStatus {
        Uploaded = "uploaded",
        Queued = "queued",
        Applying = "applying",
        Done = "done",
        Failed = "failed",
    }
);

db_enum!(
    /// What a row did.
    RowOutcome {
        Created = "created",
        Updated = "updated",
        Unchanged = "unchanged",
        Rejected = "rejected",
    }
);

impl ImportField {
    /// Fields that may map from several columns (a second phone column, say).
    pub fn repeatable(self) -> bool {
        matches!(self, Self::Phone | Self::Email)
    }

    /// A field for a column header as accounting systems spell it ("Л/С", "№ кв.", "Телефон
    /// моб.", "Доля в праве"), or none.
    pub fn suggest(header: &str) -> Option<Self> {
        let h = words(header);
        let words: Vec<&str> = h.split(' ').collect();
        let has = |w: &str| words.contains(&w);
        let starts = |p: &str| words.iter().any(|w| w.starts_with(p));
        if h.is_empty() {
            return None;
        }
        let field = if starts("лицев") || (has("л") && has("с")) || has("лс") || has("account")
        {
            Self::Account
        } else if starts("площад") || has("area") {
            Self::Area
        } else if starts("подъезд") || starts("секци") || has("entrance") {
            Self::Entrance
        } else if starts("этаж") || has("floor") {
            Self::Floor
        } else if starts("тип") || starts("вид") || starts("назначен") {
            Self::UnitKind
        } else if starts("телеф") || has("тел") || starts("мобил") || has("phone") {
            Self::Phone
        } else if starts("mail") || (has("e") && has("mail")) || starts("почт") || has("email")
        {
            Self::Email
        } else if starts("дол") && !starts("долг") {
            Self::Share
        } else if starts("задолж") || starts("долг") || starts("сальдо") || has("debt")
        {
            Self::Arrears
        } else if starts("фамил") {
            Self::LastName
        } else if starts("отчеств") {
            Self::MiddleName
        } else if has("имя") {
            Self::FirstName
        } else if starts("статус") || starts("отношен") || has("кем") || starts("роль")
        {
            Self::Relation
        } else if has("фио")
            || (has("ф") && has("и") && has("о"))
            || starts("собственн")
            || starts("владел")
            || starts("наименован")
            || starts("плательщ")
            || starts("абонент")
            || has("name")
        {
            Self::FullName
        } else if starts("кв") || starts("помещ") || has("unit") || has("номер") {
            Self::Unit
        } else {
            return None;
        };
        Some(field)
    }
}

/// Folded text split into plain words ("Л/С" → "л с", "E-mail" → "e mail").
fn words(raw: &str) -> String {
    fold(raw)
        .split(['/', '-', ' '])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field of each column (`None`: the column is skipped).
pub type Mapping = Vec<Option<ImportField>>;

/// Mapping as sent by the browser: field codes separated by commas, empty for a skipped column.
pub fn mapping_from_codes(codes: &str, columns: usize) -> Result<Mapping, AppError> {
    let mut m: Mapping = codes
        .split(',')
        .map(|c| match c.trim() {
            "" => Ok(None),
            c => ImportField::from_db(c)
                .map(Some)
                .ok_or_else(|| AppError::validation("mapping", Invalid::UnknownField)),
        })
        .collect::<Result<_, _>>()?;
    if codes.is_empty() {
        m.clear();
    }
    if m.len() > columns {
        return Err(AppError::validation("mapping", Invalid::TooManyColumns));
    }
    m.resize(columns, None);
    Ok(m)
}

/// The mapping as codes, the inverse of [`mapping_from_codes`].
pub fn mapping_codes(m: &Mapping) -> String {
    m.iter()
        .map(|f| f.map_or("", ImportField::as_db))
        .collect::<Vec<_>>()
        .join(",")
}

/// A mapping must say which unit a row is about (a unit number or a personal account), may
/// not map a field twice (phones and e-mails excepted), and takes a full name or its parts,
/// not both. Errors: `Validation { field: "mapping", message: "unit_required" | "twice" |
/// "name_twice" }`.
pub fn check_mapping(m: &Mapping) -> Result<(), AppError> {
    let fields: Vec<ImportField> = m.iter().flatten().copied().collect();
    if !fields
        .iter()
        .any(|f| matches!(f, ImportField::Unit | ImportField::Account))
    {
        return Err(AppError::validation("mapping", Invalid::UnitRequired));
    }
    for (i, f) in fields.iter().enumerate() {
        if !f.repeatable() && fields[i + 1..].contains(f) {
            return Err(AppError::validation("mapping", Invalid::Twice));
        }
    }
    let parts = fields.iter().any(|f| {
        matches!(
            f,
            ImportField::LastName | ImportField::FirstName | ImportField::MiddleName
        )
    });
    if parts && fields.contains(&ImportField::FullName) {
        return Err(AppError::validation("mapping", Invalid::NameTwice));
    }
    Ok(())
}

/// One row, parsed: the unit it is about, the person in it (if any) and the arrears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub account: Option<String>,
    pub number: Option<String>,
    pub entrance: Option<String>,
    pub floor: Option<i32>,
    pub kind: Option<UnitKind>,
    pub area: Option<i64>,
    pub person: Option<CheckedPerson>,
    pub relation: Relation,
    pub share: Option<Share>,
    /// Kopecks; negative for a prepayment.
    pub arrears: Option<i64>,
}

/// A problem code "field:code".
pub fn problem(field: &str, code: &str) -> String {
    format!("{field}:{code}")
}

fn code_of(e: &AppError) -> String {
    match e {
        AppError::Validation { code, .. } => code.as_str().to_owned(),
        _ => "format".into(),
    }
}

/// Legal forms that mark a name as an organisation's.
const ORG_MARKS: &[&str] = &[
    "ооо", "оао", "зао", "пао", "ао", "ип", "тсж", "тсн", "жск", "гуп", "муп", "фгуп", "нко",
    "ано", "llc", "ltd",
];

/// "Иванов Иван Иванович" → last, first, middle; "ООО «Вектор»" → an organisation.
pub fn split_full_name(raw: &str) -> PersonForm {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let folded = fold(&s);
    let first_word = folded.split(' ').next().unwrap_or_default();
    let org = ORG_MARKS.contains(&first_word)
        || s.contains(['«', '"'])
        || folded.starts_with("общество с");
    let mut form = PersonForm {
        kind: PersonKind::Person,
        last_name: String::new(),
        first_name: String::new(),
        middle_name: String::new(),
        organization: String::new(),
        phones: Vec::new(),
        emails: Vec::new(),
    };
    if org {
        form.kind = PersonKind::Organization;
        form.organization = s;
        return form;
    }
    let mut words = s.split(' ');
    words
        .next()
        .unwrap_or_default()
        .clone_into(&mut form.last_name);
    words
        .next()
        .unwrap_or_default()
        .clone_into(&mut form.first_name);
    form.middle_name = words.collect::<Vec<_>>().join(" ");
    form
}

/// "собственник", "арендатор", "зарегистрирован", "представитель" and their short forms; an
/// empty cell means an owner.
pub fn parse_relation(raw: &str) -> Option<Relation> {
    let s = words(raw);
    if s.is_empty() {
        return Some(Relation::Owner);
    }
    let w = s.split(' ').next().unwrap_or_default();
    let starts = |p: &[&str]| p.iter().any(|x| w.starts_with(x));
    if starts(&["собств", "владел", "owner"]) || w == "с" {
        Some(Relation::Owner)
    } else if starts(&["аренд", "нанимат", "съемщ", "tenant"]) {
        Some(Relation::Tenant)
    } else if starts(&["зарегистр", "пропис", "прожив", "жил", "член", "occupant"])
    {
        Some(Relation::Occupant)
    } else if starts(&["представ", "доверен", "representative"]) {
        Some(Relation::Representative)
    } else {
        None
    }
}

/// "квартира", "нежилое", "машино-место", "кладовая" and their short forms.
pub fn parse_unit_kind(raw: &str) -> Option<UnitKind> {
    let s = words(raw);
    let w = s.split(' ').next().unwrap_or_default();
    let starts = |p: &[&str]| p.iter().any(|x| w.starts_with(x));
    if starts(&["кв", "жил", "apartment"]) {
        Some(UnitKind::Apartment)
    } else if starts(&["нежил", "офис", "магазин", "нп", "коммерч"]) {
        Some(UnitKind::NonResidential)
    } else if starts(&["машин", "мм", "паркинг", "стоян", "parking"]) || s.starts_with("м м")
    {
        Some(UnitKind::Parking)
    } else if starts(&["кладов", "келлер", "storage"]) {
        Some(UnitKind::Storage)
    } else {
        None
    }
}

/// An amount of money as exports write it ("12 345,67", "-500", "1234.5 ₽", "(500,00)" for a
/// negative in accounting style), in kopecks. Errors: `Validation { field: "arrears", message:
/// "format" | "range" }`.
pub fn parse_money(raw: &str) -> Result<i64, AppError> {
    let err = |m: Invalid| AppError::validation("arrears", m);
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    for suffix in ["₽", "руб.", "руб", "р.", "р"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_owned();
            break;
        }
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner.to_owned();
    }
    if let Some(rest) = s.strip_prefix(['-', '−']) {
        negative = !negative;
        s = rest.to_owned();
    }
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
    {
        return Err(err(Invalid::Format));
    }
    if whole.len() > 12 {
        return Err(err(Invalid::Range));
    }
    let whole: i64 = whole.parse().map_err(|_| err(Invalid::Format))?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| err(Invalid::Format))? * 10,
        _ => frac.parse().map_err(|_| err(Invalid::Format))?,
    };
    let v = whole * 100 + frac;
    Ok(if negative { -v } else { v })
}

fn parse_floor(raw: &str) -> Result<i32, AppError> {
    let err = || AppError::validation("floor", Invalid::Format);
    let s = raw.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    let v: i32 = s.replace('−', "-").parse().map_err(|_| err())?;
    if (-10..=200).contains(&v) {
        Ok(v)
    } else {
        Err(AppError::validation("floor", Invalid::Range))
    }
}

/// Parses one row by the mapping. Every problem of the row is reported at once, so the user
/// can fix a file in one go.
pub fn parse_row(cells: &[String], mapping: &Mapping) -> Result<ParsedRow, Vec<String>> {
    let mut problems: Vec<String> = Vec::new();
    let mut row = ParsedRow {
        account: None,
        number: None,
        entrance: None,
        floor: None,
        kind: None,
        area: None,
        person: None,
        relation: Relation::Owner,
        share: None,
        arrears: None,
    };
    let mut name: Option<PersonForm> = None;
    let mut phones: Vec<String> = Vec::new();
    let mut emails: Vec<String> = Vec::new();
    let mut share_raw = String::new();
    for (cell, field) in cells.iter().zip(mapping) {
        let Some(field) = *field else { continue };
        let v = cell.trim();
        if v.is_empty() {
            continue;
        }
        let code = field.as_db();
        if v.chars().count() > MAX_CELL_CHARS {
            problems.push(problem(code, "too_long"));
            continue;
        }
        match field {
            ImportField::Account => match parse_account(v) {
                Ok(a) => row.account = a,
                Err(e) => problems.push(problem(code, &code_of(&e))),
            },
            ImportField::Unit => {
                match crate::buildings::model::parse_unit_number(v.strip_suffix(".0").unwrap_or(v))
                {
                    Ok(n) => row.number = Some(n),
                    Err(e) => problems.push(problem(code, &code_of(&e))),
                }
            }
            ImportField::Entrance => {
                if v.chars().count() > 30 {
                    problems.push(problem(code, "too_long"));
                } else {
                    row.entrance = Some(v.strip_suffix(".0").unwrap_or(v).to_owned());
                }
            }
            ImportField::Floor => match parse_floor(v) {
                Ok(f) => row.floor = Some(f),
                Err(e) => problems.push(problem(code, &code_of(&e))),
            },
            ImportField::UnitKind => match parse_unit_kind(v) {
                Some(k) => row.kind = Some(k),
                None => problems.push(problem(code, "unknown")),
            },
            ImportField::Area => match parse_area(v) {
                Ok(a) => row.area = a,
                Err(e) => problems.push(problem(code, &code_of(&e))),
            },
            ImportField::FullName => name = Some(split_full_name(v)),
            ImportField::LastName | ImportField::FirstName | ImportField::MiddleName => {
                let form = name.get_or_insert_with(|| split_full_name(""));
                let slot = match field {
                    ImportField::LastName => &mut form.last_name,
                    ImportField::FirstName => &mut form.first_name,
                    _ => &mut form.middle_name,
                };
                v.clone_into(slot);
            }
            ImportField::Relation => match parse_relation(v) {
                Some(r) => row.relation = r,
                None => problems.push(problem(code, "unknown")),
            },
            ImportField::Phone => phones.extend(
                v.split([',', ';', '\n'])
                    .map(|p| p.trim().strip_suffix(".0").unwrap_or(p.trim()).to_owned())
                    .filter(|p| !p.is_empty()),
            ),
            ImportField::Email => emails.extend(
                v.split([',', ';', ' ', '\n'])
                    .map(str::to_owned)
                    .filter(|p| !p.is_empty()),
            ),
            ImportField::Share => v.clone_into(&mut share_raw),
            ImportField::Arrears => match parse_money(v) {
                Ok(a) => row.arrears = Some(a),
                Err(e) => problems.push(problem(code, &code_of(&e))),
            },
        }
    }
    if row.number.is_none() && row.account.is_none() && problems.is_empty() {
        problems.push(problem("unit", "required"));
    }
    let has_contacts = !phones.is_empty() || !emails.is_empty();
    let name_given = name.is_some();
    match name {
        Some(mut form) => {
            form.phones = phones
                .into_iter()
                .map(|phone| PhoneInput {
                    phone,
                    label: String::new(),
                })
                .collect();
            form.emails = emails;
            match form.check() {
                Ok(p) => row.person = Some(p),
                Err(AppError::Validation { field, code }) => {
                    let field = match field.split('.').next().unwrap_or_default() {
                        "phones" => "phone",
                        "emails" => "email",
                        "organization" | "last_name" | "first_name" | "middle_name" => "full_name",
                        other => other,
                    }
                    .to_owned();
                    problems.push(problem(&field, code.as_str()));
                }
                Err(_) => problems.push(problem("full_name", "format")),
            }
        }
        None if has_contacts => problems.push(problem("full_name", "required")),
        None => {}
    }
    if !share_raw.is_empty() {
        match Share::parse(&share_raw) {
            Ok(s) if row.relation == Relation::Owner => row.share = Some(s),
            Ok(_) => problems.push(problem("share", "owners_only")),
            Err(e) => problems.push(problem("share", &code_of(&e))),
        }
        if !name_given && !problems.iter().any(|p| p.starts_with("full_name")) {
            problems.push(problem("full_name", "required"));
        }
    }
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(problems)
    }
}

/// A column as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewColumn {
    pub header: String,
    /// The first few non-empty values.
    pub samples: Vec<String>,
    pub field: Option<ImportField>,
}

/// A row of the report: its number in the file (the header is row 1) and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub row_no: u32,
    pub outcome: RowOutcome,
    /// Codes separated by ';' ("unit:created;person:created").
    pub detail: String,
    /// The unit and the person as the file wrote them, and the refused values.
    pub summary: RowSummary,
}

/// What the report says of a line of the file besides its number: the unit and the person as
/// written there, and for each field a problem names, the value as typed (so a rejected row
/// says what to fix). Kept with the report row as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSummary {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub person: String,
    /// (field code, the value as typed), for the fields the row's problems name.
    #[serde(default)]
    pub values: Vec<(String, String)>,
}

/// The longest value a summary keeps (longer ones end in "…").
const SUMMARY_CHARS: usize = 60;

fn clipped(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > SUMMARY_CHARS {
        let mut out: String = s.chars().take(SUMMARY_CHARS - 1).collect();
        out.push('…');
        out
    } else {
        s.to_owned()
    }
}

/// The summary of one line: `cells` as read, `mapping` as chosen, `problems` as `field:code`.
pub fn row_summary(cells: &[String], mapping: &Mapping, problems: &[String]) -> RowSummary {
    let cell = |wanted: ImportField| {
        cells
            .iter()
            .zip(mapping)
            .find(|(c, f)| **f == Some(wanted) && !c.trim().is_empty())
            .map(|(c, _)| clipped(c))
    };
    let unit = cell(ImportField::Unit)
        .or_else(|| cell(ImportField::Account))
        .unwrap_or_default();
    let person = cell(ImportField::FullName).unwrap_or_else(|| {
        [
            ImportField::LastName,
            ImportField::FirstName,
            ImportField::MiddleName,
        ]
        .into_iter()
        .filter_map(cell)
        .collect::<Vec<_>>()
        .join(" ")
    });
    let mut values: Vec<(String, String)> = Vec::new();
    for p in problems {
        let field = p.split(':').next().unwrap_or_default();
        if values.iter().any(|(f, _)| f == field) {
            continue;
        }
        let typed: Vec<String> = cells
            .iter()
            .zip(mapping)
            .filter(|(c, f)| {
                f.is_some_and(|f| {
                    f.as_db() == field
                        || field == "full_name"
                            && matches!(
                                f,
                                ImportField::LastName
                                    | ImportField::FirstName
                                    | ImportField::MiddleName
                            )
                }) && !c.trim().is_empty()
            })
            .map(|(c, _)| clipped(c))
            .collect();
        if !typed.is_empty() {
            values.push((field.to_owned(), typed.join(", ")));
        }
    }
    RowSummary {
        unit,
        person,
        values,
    }
}

/// A job as lists and the job page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: ImportJobId,
    pub building_id: BuildingId,
    pub building: String,
    pub source: Option<String>,
    pub file_name: String,
    pub file_kind: FileKind,
    pub encoding: Encoding,
    pub status: JobStatus,
    pub valid_only: bool,
    pub rows_total: u32,
    pub rows_done: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub rejected: u32,
    /// A problem code when the job stopped ("rows:rejected", "apply:interrupted").
    pub error: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The mapping step and its check: columns, what the rows would do, and the problems found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub job: ImportJob,
    pub columns: Vec<PreviewColumn>,
    /// For CSV: the encoding the text was read in.
    pub encoding_used: Option<Encoding>,
    /// A problem of the mapping as a whole (`mapping:unit_required`); rows are not checked then.
    pub mapping_problem: Option<String>,
    pub would_create: u32,
    pub would_update: u32,
    pub unchanged: u32,
    pub rejected: u32,
    /// The first rejected rows with their problems.
    pub problems: Vec<ReportRow>,
    /// The first rows as they would be read.
    pub sample: Vec<SampleRow>,
}

/// A row as read with the mapping, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRow {
    pub row_no: u32,
    pub unit: String,
    pub account: String,
    pub person: String,
    pub relation: Option<Relation>,
    pub share: String,
    pub phones: String,
    pub arrears: Option<i64>,
}

/// One page of a job's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPage {
    pub rows: Vec<ReportRow>,
    pub total: u32,
}

/// Rows per report page.
pub const REPORT_PAGE: u32 = 100;

/// An accounting system the company imports from, with its saved mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSource {
    pub id: i64,
    pub name: String,
}

/// A source name: 1–100 characters. Errors: `Validation { field: "source", .. }`.
pub fn check_source_name(raw: &str) -> Result<String, AppError> {
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err(AppError::validation("source", Invalid::Required));
    }
    if s.chars().count() > 100 {
        return Err(AppError::validation("source", Invalid::TooLong));
    }
    Ok(s)
}

/// A unit's balance as last imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Kopecks; positive is a debt.
    pub amount: i64,
    pub as_of: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::format_money;
    use proptest::prelude::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_summary_names_the_unit_the_person_and_the_refused_values() {
        let mapping: Mapping = vec![
            Some(ImportField::Unit),
            Some(ImportField::FullName),
            Some(ImportField::Phone),
            None,
        ];
        let cells: Vec<String> = ["8", "Васильев Сергей Михайлович", "8 999 123 45", "x"]
            .map(String::from)
            .into();
        let s = row_summary(
            &cells,
            &mapping,
            &["phone:length".into(), "phone:format".into()],
        );
        assert_eq!(s.unit, "8");
        assert_eq!(s.person, "Васильев Сергей Михайлович");
        assert_eq!(
            s.values,
            vec![("phone".to_owned(), "8 999 123 45".to_owned())]
        );
        // Split names are joined; a long value is clipped; a problem without a column has no value.
        let mapping: Mapping = vec![
            Some(ImportField::Account),
            Some(ImportField::LastName),
            Some(ImportField::FirstName),
            Some(ImportField::Email),
        ];
        let long = "я".repeat(80);
        let cells: Vec<String> = vec!["5012".into(), "Орехов".into(), "Виктор".into(), long];
        let s = row_summary(
            &cells,
            &mapping,
            &["email:format".into(), "share:range".into()],
        );
        assert_eq!(s.unit, "5012");
        assert_eq!(s.person, "Орехов Виктор");
        assert_eq!(s.values.len(), 1);
        assert_eq!(s.values[0].1.chars().count(), 60);
        assert!(s.values[0].1.ends_with('…'));
    }

    #[test]
    fn headers_of_accounting_exports_are_recognised() {
        for (h, f) in [
            ("Л/С", ImportField::Account),
            ("Лицевой счёт", ImportField::Account),
            ("Номер лицевого счета", ImportField::Account),
            ("№ кв.", ImportField::Unit),
            ("Номер помещения", ImportField::Unit),
            ("Квартира", ImportField::Unit),
            ("Подъезд", ImportField::Entrance),
            ("Этаж", ImportField::Floor),
            ("Тип помещения", ImportField::UnitKind),
            ("Площадь, м²", ImportField::Area),
            ("Общая площадь помещения", ImportField::Area),
            ("ФИО собственника", ImportField::FullName),
            ("Собственник", ImportField::FullName),
            ("Фамилия", ImportField::LastName),
            ("Имя", ImportField::FirstName),
            ("Отчество", ImportField::MiddleName),
            ("Статус", ImportField::Relation),
            ("Телефон моб.", ImportField::Phone),
            ("Тел.", ImportField::Phone),
            ("E-mail", ImportField::Email),
            ("Эл. почта", ImportField::Email),
            ("Доля в праве", ImportField::Share),
            ("Задолженность, руб.", ImportField::Arrears),
            ("Сальдо на конец периода", ImportField::Arrears),
        ] {
            assert_eq!(ImportField::suggest(h), Some(f), "header {h:?}");
        }
        assert_eq!(ImportField::suggest("Примечание"), None);
        assert_eq!(ImportField::suggest(""), None);
    }

    #[test]
    fn mapping_codes_round_trip_and_are_checked() {
        let m = mapping_from_codes("unit,,full_name,phone,phone", 6).expect("codes");
        assert_eq!(m.len(), 6);
        assert_eq!(mapping_codes(&m), "unit,,full_name,phone,phone,");
        assert!(check_mapping(&m).is_ok());
        assert!(mapping_from_codes("unit,wat", 2).is_err());
        assert!(mapping_from_codes("unit,unit,unit", 2).is_err());
        let no_unit = mapping_from_codes("full_name,phone", 2).expect("codes");
        assert_eq!(
            check_mapping(&no_unit),
            Err(AppError::validation("mapping", Invalid::UnitRequired))
        );
        let twice = mapping_from_codes("unit,area,area", 3).expect("codes");
        assert_eq!(
            check_mapping(&twice),
            Err(AppError::validation("mapping", Invalid::Twice))
        );
        let names = mapping_from_codes("unit,full_name,last_name", 3).expect("codes");
        assert_eq!(
            check_mapping(&names),
            Err(AppError::validation("mapping", Invalid::NameTwice))
        );
        assert_eq!(mapping_from_codes("", 2).expect("empty"), vec![None, None]);
    }

    #[test]
    fn a_full_row_is_read() {
        let m = mapping_from_codes(
            "account,unit,entrance,floor,unit_kind,area,full_name,relation,phone,email,share,arrears",
            12,
        )
        .expect("codes");
        let row = parse_row(
            &cells(&[
                "ЛС 10-0007",
                "7",
                "1",
                "3",
                "кв.",
                "54,3",
                "Семёнова  Ольга Викторовна",
                "собственник",
                "8 (916) 555-12-34; +7 916 555 00 01",
                "Olga@Mail.ru",
                "1/2",
                "12 345,67 ₽",
            ]),
            &m,
        )
        .expect("valid row");
        assert_eq!(row.account.as_deref(), Some("ЛС10-0007"));
        assert_eq!(row.number.as_deref(), Some("7"));
        assert_eq!(row.floor, Some(3));
        assert_eq!(row.kind, Some(UnitKind::Apartment));
        assert_eq!(row.area, Some(5430));
        let p = row.person.expect("person");
        assert_eq!(
            (
                p.last_name.as_str(),
                p.first_name.as_str(),
                p.middle_name.as_str()
            ),
            ("Семёнова", "Ольга", "Викторовна")
        );
        assert_eq!(p.phones.len(), 2);
        assert_eq!(p.phones[0].0.as_str(), "+79165551234");
        assert_eq!(p.emails[0].as_str(), "olga@mail.ru");
        assert_eq!(row.share, Some(Share { num: 1, den: 2 }));
        assert_eq!(row.arrears, Some(1_234_567));
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let m =
            mapping_from_codes("unit,full_name,phone,share,relation,arrears", 6).expect("codes");
        let problems = parse_row(
            &cells(&["7", "Иванов", "12345", "2/1", "арендатор", "много"]),
            &m,
        )
        .expect_err("bad row");
        assert!(
            problems.iter().any(|p| p.starts_with("phone:")),
            "{problems:?}"
        );
        assert!(
            !problems.contains(&"full_name:required".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"arrears:format".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("share:")),
            "{problems:?}"
        );
        let problems = parse_row(&cells(&["", "", "+79001234567", "", "", ""]), &m)
            .expect_err("no unit, no name");
        assert!(
            problems.contains(&"unit:required".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"full_name:required".to_owned()),
            "{problems:?}"
        );
        let problems = parse_row(&cells(&["7", "Петров", "", "1/2", "арендатор", ""]), &m)
            .expect_err("tenant share");
        assert_eq!(problems, vec!["share:owners_only".to_owned()]);
    }

    #[test]
    fn names_split_and_organisations_are_told_apart() {
        let f = split_full_name("ООО «Вектор»");
        assert_eq!(f.kind, PersonKind::Organization);
        assert_eq!(f.organization, "ООО «Вектор»");
        let f = split_full_name("Ли Вэй");
        assert_eq!((f.last_name.as_str(), f.first_name.as_str()), ("Ли", "Вэй"));
        let f = split_full_name("Оглы Ахмед Рашид оглы");
        assert_eq!(f.middle_name, "Рашид оглы");
    }

    #[test]
    fn relation_and_kind_words() {
        assert_eq!(parse_relation(""), Some(Relation::Owner));
        assert_eq!(parse_relation("Собственник"), Some(Relation::Owner));
        assert_eq!(parse_relation("наниматель"), Some(Relation::Tenant));
        assert_eq!(parse_relation("Зарегистрирован"), Some(Relation::Occupant));
        assert_eq!(
            parse_relation("Представитель"),
            Some(Relation::Representative)
        );
        assert_eq!(parse_relation("сосед"), None);
        assert_eq!(parse_unit_kind("Машино-место"), Some(UnitKind::Parking));
        assert_eq!(parse_unit_kind("м/м"), Some(UnitKind::Parking));
        assert_eq!(
            parse_unit_kind("Нежилое помещение"),
            Some(UnitKind::NonResidential)
        );
        assert_eq!(parse_unit_kind("кладовка"), Some(UnitKind::Storage));
        assert_eq!(parse_unit_kind("кв"), Some(UnitKind::Apartment));
        assert_eq!(parse_unit_kind("ангар"), None);
    }

    #[test]
    fn money_as_exports_write_it() {
        for (s, v) in [
            ("0", 0),
            ("12 345,67", 1_234_567),
            ("1234.5", 123_450),
            ("-500", -50_000),
            ("−500,10 ₽", -50_010),
            ("(500,00)", -50_000),
            ("1\u{a0}000 руб.", 100_000),
        ] {
            assert_eq!(parse_money(s), Ok(v), "{s:?}");
        }
        for s in ["", "abc", "1,234,5", "1.234", "12,3,4", "1e5"] {
            assert!(parse_money(s).is_err(), "{s:?}");
        }
        assert_eq!(format_money(1_234_567), "12\u{a0}345,67\u{a0}₽");
        assert_eq!(format_money(-50), "−0,50\u{a0}₽");
        assert_eq!(format_money(-50_010), "−500,10\u{a0}₽");
    }

    proptest! {
        #[test]
        fn money_round_trips(k in -1_000_000_000_000i64..1_000_000_000_000) {
            let text = format_money(k).replace('\u{a0}', " ");
            prop_assert_eq!(parse_money(&text), Ok(k));
        }

        #[test]
        fn any_row_is_read_or_refused_without_panicking(
            row in proptest::collection::vec(".{0,40}", 0..14),
        ) {
            let m = mapping_from_codes(
                "account,unit,entrance,floor,unit_kind,area,full_name,relation,phone,email,share,arrears",
                12,
            ).expect("codes");
            let _ = parse_row(&row, &m);
        }

        #[test]
        fn any_header_gets_a_suggestion_or_none(h in ".{0,60}") {
            let _ = ImportField::suggest(&h);
        }
    }
}
