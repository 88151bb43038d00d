//! Company types shared by the browser and the server.

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
            return Err(crate::AppError::validation("q", "too_long"));
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
            return Err(AppError::validation("name", "required"));
        }
        if short_name.is_empty() || short_name.chars().count() > 300 {
            return Err(AppError::validation("short_name", "required"));
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
            .ok_or_else(|| crate::AppError::validation("inn", "digits_only"))?;
        let ok = match digits.len() {
            10 => Self::check(&digits[..9], &Self::W10) == digits[9],
            12 => {
                Self::check(&digits[..10], &Self::W11) == digits[10]
                    && Self::check(&digits[..11], &Self::W12) == digits[11]
            }
            _ => return Err(crate::AppError::validation("inn", "length")),
        };
        if ok {
            Ok(Self(s))
        } else {
            Err(crate::AppError::validation("inn", "checksum"))
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
                Err(crate::AppError::Validation { field, message }) => {
                    assert_eq!((field.as_str(), message.as_str()), ("inn", why), "{bad}");
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
