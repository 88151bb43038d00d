//! How a person is related to a unit (owner, tenant, …): shared by the registry, residents'
//! links and imports.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_round_trip() {
        for r in Relation::ALL {
            assert_eq!(Relation::from_db(r.as_db()), Some(r));
        }
    }
}
