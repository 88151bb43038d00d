//! Shared types of the phonebook.

use crate::AppError;
use crate::Invalid;
use crate::buildings::model::BuildingId;
use crate::people::person::{CardPhone, Email, PhoneInput};
use crate::values::Phone;
use crate::values::{db_enum, fold};
use serde::{Deserialize, Serialize};

db_enum!(
    /// What kind of contact an entry is.
    Category {
        Emergency = "emergency",
        Contractor = "contractor",
        Utility = "utility",
        Government = "government",
        Staff = "staff",
        Other = "other",
    }
);

impl Category {
    pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
        match self {
            Self::Emergency => t.phonebook_cat_emergency,
            Self::Contractor => t.phonebook_cat_contractor,
            Self::Utility => t.phonebook_cat_utility,
            Self::Government => t.phonebook_cat_government,
            Self::Staff => t.phonebook_cat_staff,
            Self::Other => t.phonebook_cat_other,
        }
    }
}

/// An entry as entered (new when `id` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub id: Option<i64>,
    pub category: Category,
    pub name: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phones: Vec<PhoneInput>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub note: String,
    /// The buildings it serves; with no buildings and no work areas, the whole company.
    #[serde(default)]
    pub buildings: Vec<BuildingId>,
    #[serde(default)]
    pub work_areas: Vec<i64>,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEntry {
    pub name: String,
    pub organization: String,
    pub title: String,
    pub phones: Vec<(Phone, String)>,
    pub email: Option<Email>,
    pub note: String,
    pub search_name: String,
}

fn tidy(s: &str, field: &'static str, max: usize) -> Result<String, AppError> {
    let v = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.chars().count() > max {
        return Err(AppError::validation(field, Invalid::TooLong));
    }
    Ok(v)
}

impl EntryForm {
    /// A name and at least one phone are required; phones in E.164 without repeats (at most
    /// five); the e-mail is optional. Errors: `Validation` naming the field (`phones.N`).
    pub fn check(&self) -> Result<CheckedEntry, AppError> {
        let name = tidy(&self.name, "name", 200)?;
        if name.is_empty() {
            return Err(AppError::validation("name", Invalid::Required));
        }
        let organization = tidy(&self.organization, "organization", 200)?;
        let title = tidy(&self.title, "title", 100)?;
        let note = self.note.trim().to_owned();
        if note.chars().count() > 1000 {
            return Err(AppError::validation("note", Invalid::TooLong));
        }
        let mut phones: Vec<(Phone, String)> = Vec::new();
        for (i, p) in self.phones.iter().enumerate() {
            if p.phone.trim().is_empty() {
                continue;
            }
            let phone = parse_service_phone(&p.phone).map_err(|e| match e {
                AppError::Validation { code, .. } => {
                    AppError::validation(format!("phones.{i}"), code)
                }
                other => other,
            })?;
            if !phones.iter().any(|(q, _)| *q == phone) {
                phones.push((phone, tidy(&p.label, "label", 40)?));
            }
        }
        if phones.is_empty() {
            return Err(AppError::validation("phones.0", Invalid::Required));
        }
        if phones.len() > 5 {
            return Err(AppError::validation("phones", Invalid::TooMany));
        }
        let email = if self.email.trim().is_empty() {
            None
        } else {
            Some(Email::parse(&self.email)?)
        };
        let search_name = fold(&format!("{name} {organization} {title}"));
        Ok(CheckedEntry {
            name,
            organization,
            title,
            phones,
            email,
            note,
            search_name,
        })
    }
}

/// Service numbers are short ("112", "104", "01") as well as full ones: a short number of 2–6
/// digits is kept as typed; anything longer is a phone number in E.164.
pub fn parse_service_phone(raw: &str) -> Result<Phone, AppError> {
    let t = raw.trim();
    if (2..=6).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Phone::short(t));
    }
    Phone::parse(t)
}

/// An entry as the phonebook shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub category: Category,
    pub name: String,
    pub organization: String,
    pub title: String,
    pub phones: Vec<CardPhone>,
    pub email: String,
    pub note: String,
    /// Buildings and work areas it serves, by name (empty: the whole company).
    pub places: Vec<String>,
    /// The form to edit it (for the edit dialog).
    pub form: EntryForm,
    /// Whether the caller may edit or delete it.
    pub can_manage: bool,
}

/// The phonebook's filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhonebookFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub category: Option<Category>,
    #[serde(default)]
    pub building: Option<BuildingId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, phone: &str) -> EntryForm {
        EntryForm {
            id: None,
            category: Category::Emergency,
            name: name.into(),
            organization: String::new(),
            title: String::new(),
            phones: vec![PhoneInput {
                phone: phone.into(),
                label: String::new(),
            }],
            email: String::new(),
            note: String::new(),
            buildings: vec![],
            work_areas: vec![],
        }
    }

    #[test]
    fn service_numbers_and_full_numbers_are_accepted() {
        assert_eq!(
            form("Единая служба спасения", "112")
                .check()
                .map(|c| c.phones[0].0.as_str().to_owned()),
            Ok("112".into())
        );
        assert_eq!(
            form("Мосгаз", "8 (495) 681-04-04")
                .check()
                .map(|c| c.phones[0].0.as_str().to_owned()),
            Ok("+74956810404".into())
        );
        assert_eq!(
            form("", "112").check().map(|_| ()),
            Err(AppError::validation("name", Invalid::Required))
        );
        assert_eq!(
            form("Без номера", " ").check().map(|_| ()),
            Err(AppError::validation("phones.0", Invalid::Required))
        );
        assert_eq!(
            form("Плохой", "12a").check().map(|_| ()),
            Err(AppError::validation("phones.0", Invalid::Characters))
        );
    }
}
