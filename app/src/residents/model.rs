//! Shared types of residents' links to units: a resident account reaches a unit only through an
//! invitation staff sent to the resident's phone, or through a claim staff confirmed.

use crate::AppError;
use crate::Invalid;
use crate::buildings::model::{BuildingId, UnitId};
use crate::values::Relation;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn statuses_round_trip() {
        for s in LinkStatus::ALL {
            assert_eq!(LinkStatus::from_db(s.as_db()), Some(s));
        }
    }
}
