//! Shared types of the people registry (clients of a management company): a person or an
//! organisation with phones, e-mails, relations to units, vehicles, consents and notes, and the
//! client card that gathers them. Parsers run in the browser for instant feedback and on the
//! server as the authority.

use crate::AppError;
use crate::Invalid;
use crate::buildings::model::{BuildingId, UnitId};
use crate::values::Relation;
use crate::values::{Phone, Plate};
use crate::values::{db_enum, fold};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A person's id in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub i64);

db_enum!(
    /// Whether a registry entry is a natural person or an organisation (owners can be companies).
    PersonKind {
        Person = "person",
        Organization = "organization",
    }
);

db_enum!(
    /// What a person consented to (152-ФЗ).
    ConsentKind {
        PersonalData = "personal_data",
        Mailings = "mailings",
    }
);

impl ConsentKind {
    pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
        match self {
            Self::PersonalData => t.consent_personal_data,
            Self::Mailings => t.consent_mailings,
        }
    }
}

const NAME_MAX: usize = 100;
const ORG_MAX: usize = 200;
// Room for two merged cards' contacts.
const MAX_PHONES: usize = 10;
const MAX_EMAILS: usize = 10;

/// Collapses inner whitespace and trims.
fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An e-mail address, trimmed and lower-cased. Deliberately simple: one `@`, a local part, a
/// domain with a dot, no spaces; the mail server is the final judge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Errors: `Validation { field: "email", message: "required" | "format" | "too_long" }`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let err = |m: Invalid| AppError::validation("email", m);
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(err(Invalid::Required));
        }
        if s.len() > 254 {
            return Err(err(Invalid::TooLong));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(err(Invalid::Format));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(char::is_whitespace)
            && !local.contains(['<', '>', '(', ')', ',', ';', ':', '"', '[', ']', '\\']);
        if domain_ok && local_ok {
            Ok(Self(s))
        } else {
            Err(err(Invalid::Format))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An owner's share of a unit, kept as a reduced fraction ("1/2", "1/3").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Share {
    pub num: u32,
    pub den: u32,
}

impl Share {
    /// Parses "1/2", "50%", "50 %", "0,5", "0.5" or "1" (whole unit).
    /// Errors: `Validation { field: "share", message: "format" | "range" }`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let err = |m: Invalid| AppError::validation("share", m);
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let (num, den) = if let Some((a, b)) = s.split_once('/') {
            let a: u32 = a.parse().map_err(|_| err(Invalid::Format))?;
            let b: u32 = b.parse().map_err(|_| err(Invalid::Format))?;
            (a, b)
        } else if let Some(p) = s.strip_suffix('%') {
            let (n, d) = decimal(p).ok_or_else(|| err(Invalid::Format))?;
            (n, d.checked_mul(100).ok_or_else(|| err(Invalid::Format))?)
        } else {
            decimal(&s).ok_or_else(|| err(Invalid::Format))?
        };
        if num == 0 || den == 0 || num > den || den > 1_000_000 {
            return Err(err(Invalid::Range));
        }
        let g = gcd(num, den);
        Ok(Self {
            num: num / g,
            den: den / g,
        })
    }

    /// "1/2"; a whole unit reads "1".
    pub fn display(self) -> String {
        if self.num == self.den {
            "1".into()
        } else {
            format!("{}/{}", self.num, self.den)
        }
    }
}

/// "0,25" → (25, 100); "1" → (1, 1). At most four decimals.
fn decimal(s: &str) -> Option<(u32, u32)> {
    let s = s.replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 4 {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let den = 10u32.pow(u32::try_from(frac.len()).ok()?);
    let int: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some((int.checked_mul(den)?.checked_add(frac)?, den))
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Parses a date typed as "ДД.ММ.ГГГГ" or sent by a date input as "ГГГГ-ММ-ДД"; empty is `None`.
/// Errors: `Validation { field, message: "format" }`.
pub fn parse_date(field: &'static str, raw: &str) -> Result<Option<NaiveDate>, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map(Some)
        .map_err(|_| AppError::validation(field, Invalid::Format))
}

/// A phone as typed on the person form, with an optional label ("мобильный", "рабочий").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneInput {
    pub phone: String,
    #[serde(default)]
    pub label: String,
}

/// The person form: names and contacts (create and edit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub kind: PersonKind,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub phones: Vec<PhoneInput>,
    #[serde(default)]
    pub emails: Vec<String>,
}

/// A checked person form, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPerson {
    pub kind: PersonKind,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub organization: String,
    pub phones: Vec<(Phone, String)>,
    pub emails: Vec<Email>,
    pub search_name: String,
}

impl PersonForm {
    /// Names tidied (a person needs a last or first name, an organisation its name), phones in
    /// E.164 and e-mails lower-cased, each without repeats; blank rows are dropped.
    /// Errors: `Validation` naming the field (`phones.N` / `emails.N` for a bad row).
    pub fn check(&self) -> Result<CheckedPerson, AppError> {
        let last_name = tidy(&self.last_name);
        let first_name = tidy(&self.first_name);
        let middle_name = tidy(&self.middle_name);
        let organization = tidy(&self.organization);
        for (field, v, max) in [
            ("last_name", &last_name, NAME_MAX),
            ("first_name", &first_name, NAME_MAX),
            ("middle_name", &middle_name, NAME_MAX),
            ("organization", &organization, ORG_MAX),
        ] {
            if v.chars().count() > max {
                return Err(AppError::validation(field, Invalid::TooLong));
            }
        }
        match self.kind {
            PersonKind::Person if last_name.is_empty() && first_name.is_empty() => {
                return Err(AppError::validation("last_name", Invalid::Required));
            }
            PersonKind::Organization if organization.is_empty() => {
                return Err(AppError::validation("organization", Invalid::Required));
            }
            _ => {}
        }
        let mut phones: Vec<(Phone, String)> = Vec::new();
        for (i, p) in self.phones.iter().enumerate() {
            if p.phone.trim().is_empty() {
                continue;
            }
            let phone = Phone::parse(&p.phone).map_err(|e| in_row(e, "phones", i))?;
            let label = tidy(&p.label).chars().take(40).collect();
            if !phones.iter().any(|(q, _)| *q == phone) {
                phones.push((phone, label));
            }
        }
        let mut emails: Vec<Email> = Vec::new();
        for (i, e) in self.emails.iter().enumerate() {
            if e.trim().is_empty() {
                continue;
            }
            let email = Email::parse(e).map_err(|err| in_row(err, "emails", i))?;
            if !emails.contains(&email) {
                emails.push(email);
            }
        }
        if phones.len() > MAX_PHONES {
            return Err(AppError::validation("phones", Invalid::TooMany));
        }
        if emails.len() > MAX_EMAILS {
            return Err(AppError::validation("emails", Invalid::TooMany));
        }
        let search_name = fold(&format!(
            "{last_name} {first_name} {middle_name} {organization}"
        ));
        Ok(CheckedPerson {
            kind: self.kind,
            last_name,
            first_name,
            middle_name,
            organization,
            phones,
            emails,
            search_name,
        })
    }
}

/// The same validation error, renamed to a list row ("phones.1").
fn in_row(e: AppError, list: &str, i: usize) -> AppError {
    match e {
        AppError::Validation { code, .. } => AppError::validation(format!("{list}.{i}"), code),
        other => other,
    }
}

/// "Иванов Иван Иванович" or the organisation's name.
pub fn display_name(
    kind: PersonKind,
    last: &str,
    first: &str,
    middle: &str,
    organization: &str,
) -> String {
    match kind {
        PersonKind::Organization => organization.to_owned(),
        PersonKind::Person => [last, first, middle]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// "Иванов И. И.": what staff without `people.view_personal_data` see.
pub fn short_name(
    kind: PersonKind,
    last: &str,
    first: &str,
    middle: &str,
    organization: &str,
) -> String {
    if kind == PersonKind::Organization {
        return organization.to_owned();
    }
    let initial = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!("{c}."))
            .unwrap_or_default()
    };
    let mut out = last.to_owned();
    for i in [initial(first), initial(middle)] {
        if !i.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&i);
        }
    }
    out
}

/// A person's relation to a unit as entered: owner with a share, tenant with a period, etc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitLinkForm {
    /// The unit, when the form was opened from it…
    #[serde(default)]
    pub unit_id: Option<UnitId>,
    /// …or a building and the unit's number there.
    #[serde(default)]
    pub building_id: Option<BuildingId>,
    #[serde(default)]
    pub number: String,
    pub relation: Relation,
    #[serde(default)]
    pub share: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
}

/// Which unit a relation is for: by id, or by building and number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitTarget {
    Id(UnitId),
    Number(BuildingId, String),
}

/// A checked relation: share only for owners, a period that does not end before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUnitLink {
    pub unit: UnitTarget,
    pub relation: Relation,
    pub share: Option<Share>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl UnitLinkForm {
    /// Errors: `Validation` on `unit` / `building` / `number`, `share` (only owners have one),
    /// `valid_from`, `valid_to`.
    pub fn check(&self) -> Result<CheckedUnitLink, AppError> {
        let unit = match (self.unit_id, self.building_id) {
            (Some(id), _) => UnitTarget::Id(id),
            (None, Some(b)) => {
                UnitTarget::Number(b, crate::buildings::model::parse_unit_number(&self.number)?)
            }
            (None, None) => return Err(AppError::validation("building", Invalid::Required)),
        };
        let share = if self.share.trim().is_empty() {
            None
        } else if self.relation == Relation::Owner {
            Some(Share::parse(&self.share)?)
        } else {
            return Err(AppError::validation("share", Invalid::OwnersOnly));
        };
        let valid_from = parse_date("valid_from", &self.valid_from)?;
        let valid_to = parse_date("valid_to", &self.valid_to)?;
        if let (Some(a), Some(b)) = (valid_from, valid_to)
            && a > b
        {
            return Err(AppError::validation("valid_to", Invalid::BeforeStart));
        }
        Ok(CheckedUnitLink {
            unit,
            relation: self.relation,
            share,
            valid_from,
            valid_to,
        })
    }
}

/// A new person: the form, and optionally the unit they are entered for (required for staff
/// whose `people.manage` reaches only some buildings, so they never lose sight of the record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub person: PersonForm,
    #[serde(default)]
    pub unit: Option<UnitLinkForm>,
    /// Create even though look-alikes exist (the user saw them and chose to).
    #[serde(default)]
    pub allow_duplicate: bool,
}

/// What creating a person did: created it, or found look-alikes and created nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreateOutcome {
    Created(PersonId),
    Duplicates(Vec<PersonBrief>),
}

/// A vehicle as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleForm {
    pub plate: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub color: String,
}

impl VehicleForm {
    /// The plate in its normal form, model and colour tidied (at most 60 characters each).
    pub fn check(&self) -> Result<(Plate, String, String), AppError> {
        let plate = Plate::parse(&self.plate)?;
        let model = tidy(&self.model);
        let color = tidy(&self.color);
        if model.chars().count() > 60 {
            return Err(AppError::validation("model", Invalid::TooLong));
        }
        if color.chars().count() > 60 {
            return Err(AppError::validation("color", Invalid::TooLong));
        }
        Ok((plate, model, color))
    }
}

/// A consent as recorded: kind, the day it was given and how (paper form, cabinet, call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentForm {
    pub kind: ConsentKind,
    pub given_on: String,
    #[serde(default)]
    pub source: String,
}

impl ConsentForm {
    /// The day is required and not in the future (`today` is the server's or browser's date).
    pub fn check(&self, today: NaiveDate) -> Result<(NaiveDate, String), AppError> {
        let day = parse_date("given_on", &self.given_on)?
            .ok_or_else(|| AppError::validation("given_on", Invalid::Required))?;
        if day > today {
            return Err(AppError::validation("given_on", Invalid::Future));
        }
        let source = tidy(&self.source);
        if source.chars().count() > 200 {
            return Err(AppError::validation("source", Invalid::TooLong));
        }
        Ok((day, source))
    }
}

/// A note's text: 1–2000 characters.
pub fn check_note(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::validation("body", Invalid::Required));
    }
    if body.chars().count() > 2000 {
        return Err(AppError::validation("body", Invalid::TooLong));
    }
    Ok(body.to_owned())
}

/// One line of a people list, search result or duplicate warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonBrief {
    pub id: PersonId,
    pub kind: PersonKind,
    /// Full name, or "Иванов И. И." without `people.view_personal_data`.
    pub name: String,
    /// The first phone, masked without `people.view_personal_data`.
    pub phone: Option<String>,
    /// The person's units the caller reaches, e.g. "Лесная, 12 — 5".
    pub units: Vec<String>,
    /// Whether the name and phone are shown in full.
    #[serde(default)]
    pub personal: bool,
}

/// A person's phone on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardPhone {
    /// "+7 900 123-45-67", or masked.
    pub display: String,
    /// E.164 for a `tel:` link; empty when masked.
    pub e164: String,
    pub label: String,
}

/// A person's relation to a unit on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardUnit {
    pub link_id: i64,
    pub unit_id: UnitId,
    pub building_id: BuildingId,
    /// "Лесная, 12 — кв. 5".
    pub label: String,
    pub relation: Relation,
    pub share: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// False once the period has ended.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardVehicle {
    pub id: i64,
    /// "А123ВС 77".
    pub plate: String,
    pub model: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardConsent {
    pub kind: ConsentKind,
    pub given_on: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardNote {
    pub id: i64,
    pub author: String,
    pub at: DateTime<Utc>,
    pub body: String,
}

/// One line of the card's change history (from the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub changes: String,
}

/// A resident-cabinet account that shares a phone with the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardAccount {
    pub name: String,
    pub units: Vec<String>,
}

/// The client card: everything about a person in one place. Sections that later features fill
/// (requests, calls, passes, survey answers, mailings) are added to this struct as they land.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCard {
    pub id: PersonId,
    pub kind: PersonKind,
    pub name: String,
    /// Whether names, phones and e-mails are shown in full.
    pub personal: bool,
    /// Editable name parts (empty without personal data).
    pub form: PersonForm,
    pub phones: Vec<CardPhone>,
    pub emails: Vec<String>,
    pub units: Vec<CardUnit>,
    pub vehicles: Vec<CardVehicle>,
    pub consents: Vec<CardConsent>,
    pub notes: Vec<CardNote>,
    pub history: Vec<CardEvent>,
    pub accounts: Vec<CardAccount>,
    /// Whether the caller may edit this person (`people.manage` reaching all of their units).
    pub can_manage: bool,
    pub created_at: DateTime<Utc>,
}

/// A person's relation to a unit, as the unit panel lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPerson {
    pub person: PersonBrief,
    pub relation: Relation,
    pub share: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub current: bool,
}

/// The registry's people of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPeople {
    pub people: Vec<UnitPerson>,
    /// Whether the caller may add people here.
    pub can_manage: bool,
}

/// The people list's filter: a search text, one building, a page (from 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub building: Option<BuildingId>,
    #[serde(default)]
    pub page: u32,
}

/// One page of the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub items: Vec<PersonHit>,
    pub total: i64,
    pub page_size: i64,
}

/// What the top-bar search found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub people: Vec<PersonHit>,
    pub units: Vec<UnitHit>,
}

/// A person found, and why (name, phone, plate, e-mail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonHit {
    pub person: PersonBrief,
    pub matched: SearchField,
    /// The matching value as shown (a masked phone, a plate).
    pub detail: String,
}

/// A unit found by number or personal account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitHit {
    pub unit_id: UnitId,
    pub building_id: BuildingId,
    pub label: String,
    pub account: Option<String>,
    pub matched: SearchField,
    /// Who lives there now (owners first), named as the caller may see them; empty without
    /// `people.view`.
    #[serde(default)]
    pub people: Vec<UnitHitPerson>,
}

/// A person of a unit found by the search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitHitPerson {
    pub id: PersonId,
    pub name: String,
    pub relation: Relation,
}

db_enum!(
    /// Which field a search hit matched.
    SearchField {
        Name = "name",
        Phone = "phone",
        Plate = "plate",
        Email = "email",
        Account = "account",
        Unit = "unit",
    }
);

/// A search query taken apart once: folded text, its digits (for phones and accounts) and the
/// plate-looking normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Lower case, ё as е, single spaces.
    pub text: String,
    /// The digits alone, when the query is mostly a number ("8 900 123" → "8900123").
    pub digits: Option<String>,
    /// A phone in E.164 when the query is a whole phone number.
    pub phone: Option<Phone>,
    /// The query in plate letters (Latin look-alikes as Cyrillic, upper case, no spaces).
    pub plate: Option<String>,
    /// A trailing unit number after a building's words: "лесная 12 кв 5" → ("лесная 12", "5").
    pub unit: Option<(String, String)>,
    /// The query as part of an e-mail (lower case), when it has an "@" or is one dotted word.
    pub email: Option<String>,
}

impl SearchQuery {
    /// At least two characters. Errors: `Validation { field: "q", message: "too_short" | "too_long" }`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let text = fold(raw);
        let n = text.chars().count();
        if n < 2 {
            return Err(AppError::validation("q", Invalid::TooShort));
        }
        if n > 100 {
            return Err(AppError::validation("q", Invalid::TooLong));
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let others = raw
            .chars()
            .filter(|c| !c.is_ascii_digit() && !" +-()".contains(*c))
            .count();
        let digits = (digits.len() >= 3 && others == 0).then_some(digits);
        let phone = digits.as_ref().and_then(|_| Phone::parse(raw).ok());
        let plate = crate::values::plate::plate_letters(raw);
        let unit = split_unit(&text);
        let lower = raw.trim().to_lowercase();
        let email =
            (lower.contains('@') || (lower.contains('.') && !lower.contains(' '))).then_some(lower);
        Ok(Self {
            text,
            digits,
            phone,
            plate,
            unit,
            email,
        })
    }
}

/// "лесная 12 кв 5" → ("лесная 12", "5"); "лесная 12, 5" too. A lone number is not split.
fn split_unit(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() < 2 {
        return None;
    }
    let number = *words.last()?;
    if !number.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut rest = &words[..words.len() - 1];
    if let Some(last) = rest.last()
        && ["кв", "квартира", "оф", "офис", "пом", "м/м", "мм"].contains(last)
    {
        rest = &rest[..rest.len() - 1];
    }
    if rest.is_empty() || !rest.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return None;
    }
    Some((rest.join(" "), number.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form(last: &str, first: &str) -> PersonForm {
        PersonForm {
            kind: PersonKind::Person,
            last_name: last.into(),
            first_name: first.into(),
            middle_name: String::new(),
            organization: String::new(),
            phones: vec![],
            emails: vec![],
        }
    }

    #[test]
    fn shares_read_every_usual_way() {
        for (raw, want) in [
            ("1/2", (1, 2)),
            ("2/4", (1, 2)),
            ("50%", (1, 2)),
            ("50 %", (1, 2)),
            ("0,5", (1, 2)),
            ("0.25", (1, 4)),
            ("1", (1, 1)),
            ("33/100", (33, 100)),
        ] {
            let s = Share::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
            assert_eq!((s.num, s.den), want, "{raw}");
        }
        for bad in ["", "0", "3/2", "1/0", "abc", "150%", "0,00001", "-1/2"] {
            assert!(Share::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(Share::parse("2/2").map(Share::display), Ok("1".into()));
    }

    #[test]
    fn e_mails_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse("  Ivanov@Mail.RU ").map(|e| e.0),
            Ok("ivanov@mail.ru".into())
        );
        assert!(Email::parse("почта@пример.рф").is_ok());
        for bad in [
            "", "ivanov", "a@b", "a b@c.ru", "@c.ru", "a@.ru", "a@c..ru", "a@c.ru.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn person_form_tidies_and_deduplicates() {
        let mut f = form("  Иванов ", "Иван");
        f.middle_name = "Петрович".into();
        f.phones = vec![
            PhoneInput {
                phone: "8 (900) 123-45-67".into(),
                label: "мобильный".into(),
            },
            PhoneInput {
                phone: "+7 900 1234567".into(),
                label: String::new(),
            },
            PhoneInput::default(),
        ];
        f.emails = vec!["A@b.ru".into(), "a@B.ru".into(), " ".into()];
        let c = f.check().expect("valid");
        assert_eq!(c.last_name, "Иванов");
        assert_eq!(c.phones.len(), 1);
        assert_eq!(c.phones[0].0.as_str(), "+79001234567");
        assert_eq!(c.emails.len(), 1);
        assert_eq!(c.search_name, "иванов иван петрович");
    }

    #[test]
    fn person_form_names_the_bad_row() {
        let mut f = form("Иванов", "");
        f.phones = vec![
            PhoneInput {
                phone: "9001234567".into(),
                label: String::new(),
            },
            PhoneInput {
                phone: "12".into(),
                label: String::new(),
            },
        ];
        assert_eq!(
            f.check().map(|_| ()),
            Err(AppError::validation("phones.1", Invalid::Length))
        );
        assert_eq!(
            form(" ", "").check().map(|_| ()),
            Err(AppError::validation("last_name", Invalid::Required))
        );
        let org = PersonForm {
            kind: PersonKind::Organization,
            ..form("", "")
        };
        assert_eq!(
            org.check().map(|_| ()),
            Err(AppError::validation("organization", Invalid::Required))
        );
    }

    #[test]
    fn names_show_in_full_or_as_initials() {
        let k = PersonKind::Person;
        assert_eq!(
            display_name(k, "Иванов", "Иван", "Иванович", ""),
            "Иванов Иван Иванович"
        );
        assert_eq!(
            short_name(k, "Иванов", "Иван", "Иванович", ""),
            "Иванов И. И."
        );
        assert_eq!(short_name(k, "", "Иван", "", ""), "И.");
        assert_eq!(
            short_name(PersonKind::Organization, "", "", "", "ООО «Ромашка»"),
            "ООО «Ромашка»"
        );
    }

    #[test]
    fn unit_links_check_share_and_period() {
        let link = UnitLinkForm {
            unit_id: Some(UnitId(1)),
            building_id: None,
            number: String::new(),
            relation: Relation::Owner,
            share: "1/2".into(),
            valid_from: "01.02.2024".into(),
            valid_to: String::new(),
        };
        let c = link.check().expect("valid");
        assert_eq!(c.share, Some(Share { num: 1, den: 2 }));
        assert_eq!(c.valid_from, NaiveDate::from_ymd_opt(2024, 2, 1));
        let tenant = UnitLinkForm {
            relation: Relation::Tenant,
            ..link.clone()
        };
        assert_eq!(
            tenant.check().map(|_| ()),
            Err(AppError::validation("share", Invalid::OwnersOnly))
        );
        let backwards = UnitLinkForm {
            valid_from: "2025-01-01".into(),
            valid_to: "2024-12-31".into(),
            ..link
        };
        assert_eq!(
            backwards.check().map(|_| ()),
            Err(AppError::validation("valid_to", Invalid::BeforeStart))
        );
    }

    #[test]
    fn consents_need_a_past_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        let c = ConsentForm {
            kind: ConsentKind::Mailings,
            given_on: "2026-11-22".into(),
            source: String::new(),
        };
        assert_eq!(
            c.check(today).map(|_| ()),
            Err(AppError::validation("given_on", Invalid::Future))
        );
        let ok = ConsentForm {
            given_on: "21.11.2026".into(),
            ..c
        };
        assert!(ok.check(today).is_ok());
    }

    #[test]
    fn search_queries_are_taken_apart() {
        let q = SearchQuery::parse("8 (900) 123-45-67").expect("q");
        assert_eq!(q.digits.as_deref(), Some("89001234567"));
        assert_eq!(
            q.phone.map(|p| p.as_str().to_owned()).as_deref(),
            Some("+79001234567")
        );
        let q = SearchQuery::parse("Семёнова").expect("q");
        assert_eq!(q.text, "семенова");
        assert_eq!(q.digits, None);
        let q = SearchQuery::parse("a123bc").expect("q");
        assert_eq!(q.plate.as_deref(), Some("А123ВС"));
        let q = SearchQuery::parse("Лесная 12, кв. 5").expect("q");
        assert_eq!(q.unit, Some(("лесная 12".into(), "5".into())));
        assert_eq!(
            SearchQuery::parse("5").map(|_| ()),
            Err(AppError::validation("q", Invalid::TooShort))
        );
        assert_eq!(SearchQuery::parse("12 5").expect("q").unit, None);
    }

    proptest! {
        #[test]
        fn share_parse_never_panics_and_reduces(s in "\\PC{0,12}") {
            if let Ok(sh) = Share::parse(&s) {
                prop_assert!(sh.num >= 1 && sh.num <= sh.den);
                prop_assert_eq!(gcd(sh.num, sh.den), 1);
            }
        }

        #[test]
        fn share_fractions_round_trip(num in 1u32..500, extra in 0u32..500) {
            let den = num + extra;
            let s = Share::parse(&format!("{num}/{den}")).expect("valid fraction");
            let again = Share::parse(&s.display()).expect("display parses");
            prop_assert_eq!(s, again);
        }

        #[test]
        fn email_and_query_parsers_never_panic(s in "\\PC{0,80}") {
            let _ = Email::parse(&s);
            let _ = SearchQuery::parse(&s);
            let _ = parse_date("d", &s);
        }
    }
}
