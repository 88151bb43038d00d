//! Company types shared by the browser and the server.

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// A company's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompanyId(pub i64);

/// What a company is to the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompanyKind {
    /// A management company (УК): owns buildings, staff and residents.
    Management,
    /// A contractor doing work for a management company (lifts, cleaning, repairs).
    Contractor,
    /// A service provider (intercom, security, utilities).
    ServiceProvider,
}

impl CompanyKind {
    pub const ALL: [CompanyKind; 3] = [Self::Management, Self::Contractor, Self::ServiceProvider];

    /// The value stored in the database.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Management => "management",
            Self::Contractor => "contractor",
            Self::ServiceProvider => "service_provider",
        }
    }

    pub fn from_db(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_db() == s)
    }
}

/// A company as the staff list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: CompanyId,
    pub kind: CompanyKind,
    pub name: String,
    pub short_name: String,
    pub inn: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// The company type from the registry of types (e.g. "Лифтовая организация").
    #[serde(default)]
    pub type_id: Option<i64>,
    #[serde(default)]
    pub type_name: Option<String>,
    /// The holding this company belongs to.
    #[serde(default)]
    pub parent: Option<(CompanyId, String)>,
    /// Whether the holding may see this company in its registry.
    #[serde(default)]
    pub holding_access: bool,
    /// The IANA zone the company's times are shown in (see `i18n::Zone`).
    #[serde(default)]
    pub time_zone: String,
    /// Whether the caller may edit this company's card.
    #[serde(default)]
    pub editable: bool,
}

/// A type of company in the registry ("Управляющая компания", "Лифтовая организация", …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyType {
    pub id: i64,
    pub kind: CompanyKind,
    pub name: String,
    /// Companies of this type.
    pub companies: i64,
}

/// A company type to create (`id` empty) or rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyTypeUpdate {
    #[serde(default)]
    pub id: Option<i64>,
    pub kind: CompanyKind,
    pub name: String,
}

/// A company to create (`id` empty) or change. A company's own administrator changes names,
/// contacts and whether its holding sees it; kind, INN, type and holding are set by the
/// platform operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyUpdate {
    #[serde(default)]
    pub id: Option<CompanyId>,
    pub kind: CompanyKind,
    #[serde(default)]
    pub type_id: Option<i64>,
    #[serde(default)]
    pub parent_id: Option<CompanyId>,
    pub name: String,
    pub short_name: String,
    pub inn: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub holding_access: bool,
    /// One of `i18n::ZONES`; empty keeps the stored zone (Moscow for a new company).
    #[serde(default)]
    pub time_zone: String,
}

impl CompanyUpdate {
    /// Checks the fields: names, INN (check digits), phone (to E.164), e-mail shape, address
    /// length. Returns the company to store.
    pub fn check(&self) -> Result<NewCompany, crate::AppError> {
        use crate::AppError;
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        let phone = match opt(&self.phone) {
            Some(p) => Some(crate::values::Phone::parse(&p)?.as_str().to_owned()),
            None => None,
        };
        let email = opt(&self.email);
        if let Some(e) = &email {
            let ok = e.chars().count() <= 200
                && !e.contains(char::is_whitespace)
                && e.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty()
                        && host.contains('.')
                        && !host.starts_with('.')
                        && !host.ends_with('.')
                });
            if !ok {
                return Err(AppError::validation("email", Invalid::Format));
            }
        }
        let address = opt(&self.address);
        if address.as_ref().is_some_and(|a| a.chars().count() > 300) {
            return Err(AppError::validation("address", Invalid::TooLong));
        }
        NewCompany::parse(NewCompany {
            kind: self.kind,
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            inn: self.inn.clone(),
            phone,
            email,
            address,
        })
    }
}

/// What a resident may see of a management company: its name and how to reach its dispatchers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyContacts {
    pub short_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// A search query for the company list: trimmed, at most 100 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyQuery(String);

impl CompanyQuery {
    pub const MAX_LEN: usize = 100;

    /// Accepts any text up to [`Self::MAX_LEN`] characters; longer input is a validation error.
    pub fn parse(raw: &str) -> Result<Self, crate::AppError> {
        let q = raw.trim();
        if q.chars().count() > Self::MAX_LEN {
            return Err(crate::AppError::validation("q", Invalid::TooLong));
        }
        Ok(Self(q.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Folds case and ё→е so "ЁЛКА", "елка" and "Ёлка" match alike.
    pub fn fold(s: &str) -> String {
        s.chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ё' { 'е' } else { c })
            .collect()
    }

    /// True when the company matches (name, short name, INN or phone contain the query).
    pub fn matches(&self, c: &Company) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let needle = Self::fold(&self.0);
        [
            Some(&c.name),
            Some(&c.short_name),
            Some(&c.inn),
            c.phone.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|field| Self::fold(field).contains(&needle))
    }
}

/// A company to create. Built with [`NewCompany::parse`], which checks the INN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCompany {
    pub kind: CompanyKind,
    pub name: String,
    pub short_name: String,
    pub inn: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl NewCompany {
    /// Validates a company: names not empty (at most 300 characters), INN with valid check digits.
    pub fn parse(raw: NewCompany) -> Result<Self, crate::AppError> {
        use crate::AppError;
        let name = raw.name.trim().to_owned();
        let short_name = raw.short_name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 300 {
            return Err(AppError::validation("name", Invalid::Required));
        }
        if short_name.is_empty() || short_name.chars().count() > 300 {
            return Err(AppError::validation("short_name", Invalid::Required));
        }
        let inn = Inn::parse(&raw.inn)?;
        Ok(Self {
            name,
            short_name,
            inn: inn.0,
            ..raw
        })
    }
}

/// A Russian taxpayer number (ИНН): 10 digits for an organisation, 12 for a person or sole
/// trader, with check digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inn(String);

impl Inn {
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    pub fn parse(raw: &str) -> Result<Self, crate::AppError> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let digits: Vec<u32> = s
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()
            .ok_or_else(|| crate::AppError::validation("inn", Invalid::DigitsOnly))?;
        let ok = match digits.len() {
            10 => Self::check(&digits[..9], &Self::W10) == digits[9],
            12 => {
                Self::check(&digits[..10], &Self::W11) == digits[10]
                    && Self::check(&digits[..11], &Self::W12) == digits[11]
            }
            _ => return Err(crate::AppError::validation("inn", Invalid::Length)),
        };
        if ok {
            Ok(Self(s))
        } else {
            Err(crate::AppError::validation("inn", Invalid::Checksum))
        }
    }

    /// The check digit for `digits` under `weights`.
    pub fn check(digits: &[u32], weights: &[u32]) -> u32 {
        digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
    }

    /// Completes nine digits into a valid 10-digit organisation INN (for demo data).
    pub fn complete_org(nine: [u32; 9]) -> String {
        let check = Self::check(&nine, &Self::W10);
        nine.iter()
            .chain(std::iter::once(&check))
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company() -> Company {
        Company {
            id: CompanyId(1),
            kind: CompanyKind::Management,
            name: "Общество с ограниченной ответственностью «Зелёный двор»".into(),
            short_name: "УК «Зелёный двор»".into(),
            inn: "7701234567".into(),
            phone: Some("+74951234567".into()),
            email: None,
            address: None,
            type_id: None,
            type_name: None,
            parent: None,
            holding_access: false,
            time_zone: "Europe/Moscow".into(),
            editable: false,
        }
    }

    fn update() -> CompanyUpdate {
        CompanyUpdate {
            id: None,
            kind: CompanyKind::Contractor,
            type_id: None,
            parent_id: None,
            name: "ООО «Лифт-Сервис»".into(),
            short_name: "Лифт-Сервис".into(),
            inn: "7707083893".into(),
            phone: "8 (495) 123-45-67".into(),
            email: "dispatch@lift.example".into(),
            address: String::new(),
            holding_access: false,
            time_zone: String::new(),
        }
    }

    #[test]
    fn company_update_checks_contacts() {
        let ok = update().check().expect("valid");
        assert_eq!(ok.phone.as_deref(), Some("+74951234567"));
        assert_eq!(ok.address, None);
        for (field, bad) in [
            (
                "email",
                CompanyUpdate {
                    email: "no-at-sign".into(),
                    ..update()
                },
            ),
            (
                "email",
                CompanyUpdate {
                    email: "a@b".into(),
                    ..update()
                },
            ),
            (
                "phone",
                CompanyUpdate {
                    phone: "12".into(),
                    ..update()
                },
            ),
            (
                "inn",
                CompanyUpdate {
                    inn: "7707083894".into(),
                    ..update()
                },
            ),
            (
                "name",
                CompanyUpdate {
                    name: " ".into(),
                    ..update()
                },
            ),
        ] {
            match bad.check() {
                Err(crate::AppError::Validation { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn search_folds_case_and_yo() {
        for q in ["зеленый", "ЗЕЛЁНЫЙ", "Двор", "770123", "+7495"] {
            assert!(
                CompanyQuery::parse(q).expect("valid").matches(&company()),
                "query {q}"
            );
        }
        assert!(
            !CompanyQuery::parse("лифт")
                .expect("valid")
                .matches(&company())
        );
    }

    #[test]
    fn query_length_is_limited() {
        assert!(CompanyQuery::parse(&"я".repeat(100)).is_ok());
        assert!(CompanyQuery::parse(&"я".repeat(101)).is_err());
    }

    #[test]
    fn inn_check_digits() {
        // Real organisation and personal INNs (published registry entries of large companies).
        for good in ["7707083893", "7736207543", "500100732259"] {
            assert!(Inn::parse(good).is_ok(), "{good} is valid");
        }
        for (bad, why) in [
            ("7707083894", "checksum"),
            ("77070838", "length"),
            ("77070838AB", "digits_only"),
        ] {
            match Inn::parse(bad) {
                Err(crate::AppError::Validation { field, code }) => {
                    assert_eq!((field.as_str(), code.as_str()), ("inn", why), "{bad}");
                }
                other => panic!("{bad}: expected a validation error, got {other:?}"),
            }
        }
    }

    #[test]
    fn completed_inns_are_valid() {
        for seed in 0..200u32 {
            let nine: [u32; 9] =
                std::array::from_fn(|i| (seed * 7 + u32::try_from(i).unwrap_or(0) * 3) % 10);
            let inn = Inn::complete_org(nine);
            assert!(Inn::parse(&inn).is_ok(), "{inn}");
        }
    }

    #[test]
    fn kinds_round_trip_through_the_database_form() {
        for k in CompanyKind::ALL {
            assert_eq!(CompanyKind::from_db(k.as_db()), Some(k));
        }
        assert_eq!(CompanyKind::from_db("bank"), None);
    }
}
