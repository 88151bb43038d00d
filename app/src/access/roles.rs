//! The default roles every company gets, with their parent role and permissions. Companies may
//! edit them or add their own; `code` marks the seeded ones so upgrades can find them.

use super::permission::Permission::{
    self, AdminAudit, AdminCompanies, AdminRoles, AdminUsers, BuildingsManage, BuildingsView,
    CallsTake, CompaniesView, MailingsSend, PassesApprove, PassesCheck, PassesView, PeopleCreate,
    PeopleImport, PeopleManage, PeopleView, PeopleViewPersonalData, PhonebookManage, PhonebookView,
    ReportsView, RequestsAssign, RequestsChangeStatus, RequestsComment, RequestsCreate,
    RequestsView, SurveysPublish, SystemView,
};
use serde::{Deserialize, Serialize};

/// Where a grant holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// The whole company.
    Company,
    /// Only the chosen buildings.
    Buildings,
    /// Only the chosen work areas.
    WorkAreas,
    /// Only the user's own assignments.
    Own,
    /// A resident's own units.
    OwnUnits,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Self::Company,
        Self::Buildings,
        Self::WorkAreas,
        Self::Own,
        Self::OwnUnits,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Buildings => "buildings",
            Self::WorkAreas => "work_areas",
            Self::Own => "own",
            Self::OwnUnits => "own_units",
        }
    }

    pub fn from_db(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_db() == s)
    }
}

/// A role seeded into every company.
pub struct DefaultRole {
    pub code: &'static str,
    pub name_ru: &'static str,
    pub parent: Option<&'static str>,
    pub permissions: &'static [Permission],
    /// The scope demo users of this role get.
    pub scope: Scope,
}

/// The default roles, parents before children.
pub const DEFAULT_ROLES: &[DefaultRole] = &[
    DefaultRole {
        code: "staff",
        name_ru: "Сотрудник",
        parent: None,
        permissions: &[CompaniesView, PhonebookView],
        scope: Scope::Company,
    },
    DefaultRole {
        code: "administrator",
        name_ru: "Администратор",
        parent: Some("staff"),
        permissions: &[
            RequestsView,
            RequestsCreate,
            RequestsAssign,
            RequestsChangeStatus,
            RequestsComment,
            BuildingsView,
            BuildingsManage,
            PeopleView,
            PeopleViewPersonalData,
            PeopleCreate,
            PeopleManage,
            PeopleImport,
            PhonebookManage,
            PassesView,
            PassesApprove,
            PassesCheck,
            CallsTake,
            MailingsSend,
            SurveysPublish,
            ReportsView,
            AdminCompanies,
            AdminUsers,
            AdminRoles,
            AdminAudit,
            SystemView,
        ],
        scope: Scope::Company,
    },
    DefaultRole {
        code: "dispatcher",
        name_ru: "Диспетчер",
        parent: Some("staff"),
        permissions: &[
            RequestsView,
            RequestsCreate,
            RequestsAssign,
            RequestsChangeStatus,
            RequestsComment,
            BuildingsView,
            PeopleView,
            PeopleViewPersonalData,
            PeopleCreate,
            CallsTake,
            PassesView,
        ],
        scope: Scope::Company,
    },
    DefaultRole {
        code: "object_manager",
        name_ru: "Управляющий объектом",
        parent: Some("dispatcher"),
        permissions: &[
            PeopleManage,
            PhonebookManage,
            PassesApprove,
            ReportsView,
            MailingsSend,
            SurveysPublish,
        ],
        scope: Scope::Buildings,
    },
    DefaultRole {
        code: "customer_service",
        name_ru: "Менеджер по работе с клиентами",
        parent: Some("staff"),
        permissions: &[
            RequestsView,
            RequestsCreate,
            RequestsComment,
            BuildingsView,
            PeopleView,
            PeopleViewPersonalData,
            PeopleCreate,
            PeopleManage,
            PhonebookManage,
            PassesView,
            MailingsSend,
            SurveysPublish,
        ],
        scope: Scope::Buildings,
    },
    DefaultRole {
        code: "technician",
        name_ru: "Техник",
        parent: Some("staff"),
        permissions: &[
            RequestsView,
            RequestsChangeStatus,
            RequestsComment,
            BuildingsView,
        ],
        scope: Scope::Own,
    },
    DefaultRole {
        code: "concierge",
        name_ru: "Консьерж",
        parent: Some("staff"),
        permissions: &[
            RequestsView,
            RequestsCreate,
            BuildingsView,
            PeopleView,
            PassesView,
            PassesApprove,
            PassesCheck,
        ],
        scope: Scope::Buildings,
    },
    DefaultRole {
        code: "guard",
        name_ru: "Охранник",
        parent: None,
        permissions: &[PassesCheck],
        scope: Scope::Buildings,
    },
    DefaultRole {
        code: "marketer",
        name_ru: "Маркетолог",
        parent: Some("staff"),
        permissions: &[MailingsSend, SurveysPublish, ReportsView, BuildingsView],
        scope: Scope::Company,
    },
    DefaultRole {
        code: "hq_client_service",
        name_ru: "Клиентский сервис (головной офис)",
        parent: Some("staff"),
        permissions: &[
            RequestsView,
            ReportsView,
            MailingsSend,
            SurveysPublish,
            BuildingsView,
            PeopleView,
        ],
        scope: Scope::Company,
    },
    DefaultRole {
        code: "resident",
        name_ru: "Житель",
        parent: None,
        permissions: &[RequestsView, RequestsCreate, RequestsComment, PassesView],
        scope: Scope::OwnUnits,
    },
];

/// The default role with this code.
pub fn default_role(code: &str) -> Option<&'static DefaultRole> {
    DEFAULT_ROLES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first_and_exist() {
        for (i, r) in DEFAULT_ROLES.iter().enumerate() {
            if let Some(parent) = r.parent {
                let at = DEFAULT_ROLES.iter().position(|p| p.code == parent);
                assert!(
                    at.is_some_and(|p| p < i),
                    "{}: parent {parent} must be listed before it",
                    r.code
                );
            }
        }
    }

    #[test]
    fn guards_and_residents_inherit_nothing_from_staff() {
        for code in ["guard", "resident"] {
            assert_eq!(default_role(code).and_then(|r| r.parent), None, "{code}");
        }
        assert!(
            !default_role("guard").is_some_and(|r| r.permissions.contains(&PeopleViewPersonalData))
        );
    }

    #[test]
    fn scopes_round_trip() {
        for s in Scope::ALL {
            assert_eq!(Scope::from_db(s.as_db()), Some(s));
        }
    }
}
