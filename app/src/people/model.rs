//! Shared types of residents' links to units: a resident account reaches a unit only through an
//! invitation staff sent to the resident's phone, or through a claim staff confirmed.

use crate::AppError;
use crate::Invalid;
use crate::buildings::model::{BuildingId, UnitId};
use serde::{Deserialize, Serialize};

/// How a person is related to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Relation {
    Owner,
    Tenant,
    Occupant,
    Representative,
}

impl Relation {
    pub const ALL: [Relation; 4] = [
        Self::Owner,
        Self::Tenant,
        Self::Occupant,
        Self::Representative,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Tenant => "tenant",
            Self::Occupant => "occupant",
            Self::Representative => "representative",
        }
    }

    pub fn from_db(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_db() == s)
    }

    pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
        match self {
            Self::Owner => t.relation_owner,
            Self::Tenant => t.relation_tenant,
            Self::Occupant => t.relation_occupant,
            Self::Representative => t.relation_representative,
        }
    }
}

/// Where a resident's link to a unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkStatus {
    /// A claim waiting for staff.
    Pending,
    /// The resident reaches the unit.
    Active,
    /// Staff turned the claim down.
    Rejected,
    /// Staff ended the link (moved out, sold).
    Ended,
}

impl LinkStatus {
    pub const ALL: [LinkStatus; 4] = [Self::Pending, Self::Active, Self::Rejected, Self::Ended];

    pub fn as_db(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Rejected => "rejected",
            Self::Ended => "ended",
        }
    }

    pub fn from_db(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_db() == s)
    }
}

/// A unit as its resident sees it in the cabinet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyUnit {
    pub link_id: i64,
    pub unit_id: UnitId,
    /// The management company the unit is with (a resident may live with several).
    pub company: String,
    pub address: String,
    pub number: String,
    pub relation: Relation,
    pub status: LinkStatus,
}

/// A building a resident may claim a unit in (buildings of the companies they live with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimBuilding {
    pub id: BuildingId,
    /// The management company of the building.
    pub company: String,
    pub address: String,
}

/// An invitation waiting for the signed-in resident: a company asks them to join a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyInvitation {
    pub company: String,
    pub address: String,
    pub number: String,
    pub relation: Relation,
}

/// A resident's claim: "I live in flat 12 of this building as its owner".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClaim {
    pub building_id: BuildingId,
    pub number: String,
    pub relation: Relation,
    /// Anything that helps staff check it (e.g. "собственник с 2019, договор № …").
    #[serde(default)]
    pub note: String,
}

impl NewClaim {
    /// Checks the unit number and the note (at most 500 characters).
    pub fn check(&self) -> Result<(String, String), AppError> {
        let number = crate::buildings::model::parse_unit_number(&self.number)?;
        let note = self.note.trim().to_owned();
        if note.chars().count() > 500 {
            return Err(AppError::validation("note", Invalid::TooLong));
        }
        Ok((number, note))
    }
}

/// Staff invite a phone number to a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub unit_id: UnitId,
    pub phone: String,
    pub name: String,
    pub relation: Relation,
}

impl NewInvitation {
    /// Checks the phone (to E.164) and the name (1–200 characters).
    pub fn check(&self) -> Result<(crate::values::Phone, String), AppError> {
        let phone = crate::values::Phone::parse(&self.phone)?;
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(AppError::validation("name", Invalid::Required));
        }
        if name.chars().count() > 200 {
            return Err(AppError::validation("name", Invalid::TooLong));
        }
        Ok((phone, name))
    }
}

/// A resident's link as staff see it on the unit page or in the claims queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub id: i64,
    pub unit_id: UnitId,
    /// Building and unit, e.g. "Лесная, 5 — кв. 12".
    pub unit_label: String,
    pub name: String,
    /// Shown only with `people.view_personal_data`; otherwise masked ("+7 *** ***-45-67").
    pub phone: String,
    pub relation: Relation,
    pub status: LinkStatus,
    /// True for a claim, false for an accepted invitation.
    pub claimed: bool,
    pub note: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
}

/// An invitation not yet accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub relation: Relation,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Who is linked to a unit and who is invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResidents {
    pub links: Vec<LinkInfo>,
    pub invitations: Vec<InvitationInfo>,
    /// Whether the caller may invite, confirm and end links here.
    pub can_manage: bool,
}

/// Masks a phone for staff without `people.view_personal_data`: the last four digits stay.
pub fn mask_phone(e164: &str) -> String {
    let digits: Vec<char> = e164.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return "***".into();
    }
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("*** ***-{}-{}", &tail[..2], &tail[2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_phones_keep_four_digits() {
        assert_eq!(mask_phone("+79001234567"), "*** ***-45-67");
        assert_eq!(mask_phone("+7"), "***");
    }

    #[test]
    fn invitation_checks_phone_and_name() {
        let ok = NewInvitation {
            unit_id: UnitId(1),
            phone: "8 (900) 123-45-67".into(),
            name: "  Иванова   Анна ".into(),
            relation: Relation::Owner,
        };
        let (phone, name) = ok.check().expect("valid");
        assert_eq!(phone.as_str(), "+79001234567");
        assert_eq!(name, "Иванова Анна");
        let no_name = NewInvitation {
            name: " ".into(),
            ..ok.clone()
        };
        assert!(no_name.check().is_err());
        let bad_phone = NewInvitation {
            phone: "12".into(),
            ..ok
        };
        assert!(bad_phone.check().is_err());
    }

    #[test]
    fn relations_and_statuses_round_trip() {
        for r in Relation::ALL {
            assert_eq!(Relation::from_db(r.as_db()), Some(r));
        }
        for s in LinkStatus::ALL {
            assert_eq!(LinkStatus::from_db(s.as_db()), Some(s));
        }
    }
}
