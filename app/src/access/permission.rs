//! The permission catalogue: every fine-grained right a role can bundle. It grows with each
//! feature; codes are stored in the database (`role_permissions.permission`), so a code never
//! changes once shipped. Labels are in the translation files under `[perm]`.

use serde::{Deserialize, Serialize};

macro_rules! permissions {
    ($( $variant:ident = $code:literal, $module:ident, $label:ident; )*) => {
        /// A right that a role may grant.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Permission {
            $( $variant, )*
        }

        impl Permission {
            /// Every permission, in catalogue order.
            pub const ALL: &'static [Permission] = &[ $( Permission::$variant, )* ];

            /// The stable code stored in the database, e.g. `requests.view`.
            pub fn code(self) -> &'static str {
                match self { $( Permission::$variant => $code, )* }
            }

            /// The module the permission belongs to (groups the role editor).
            pub fn module(self) -> Module {
                match self { $( Permission::$variant => Module::$module, )* }
            }

            /// The label in the current language.
            pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
                match self { $( Permission::$variant => t.$label, )* }
            }
        }
    };
}

permissions! {
    RequestsView = "requests.view", Requests, perm_requests_view;
    RequestsCreate = "requests.create", Requests, perm_requests_create;
    RequestsAssign = "requests.assign", Requests, perm_requests_assign;
    RequestsChangeStatus = "requests.change_status", Requests, perm_requests_change_status;
    RequestsComment = "requests.comment", Requests, perm_requests_comment;
    BuildingsView = "buildings.view", Buildings, perm_buildings_view;
    BuildingsManage = "buildings.manage", Buildings, perm_buildings_manage;
    PeopleView = "people.view", People, perm_people_view;
    PeopleViewPersonalData = "people.view_personal_data", People, perm_people_view_personal_data;
    PeopleCreate = "people.create", People, perm_people_create;
    PeopleManage = "people.manage", People, perm_people_manage;
    PeopleImport = "people.import", People, perm_people_import;
    PhonebookView = "phonebook.view", Phonebook, perm_phonebook_view;
    PhonebookManage = "phonebook.manage", Phonebook, perm_phonebook_manage;
    PassesView = "passes.view", Passes, perm_passes_view;
    PassesApprove = "passes.approve", Passes, perm_passes_approve;
    PassesCheck = "passes.check", Passes, perm_passes_check;
    CallsTake = "calls.take", Calls, perm_calls_take;
    MailingsSend = "mailings.send", Communication, perm_mailings_send;
    SurveysPublish = "surveys.publish", Communication, perm_surveys_publish;
    ReportsView = "reports.view", Reports, perm_reports_view;
    CompaniesView = "companies.view", Admin, perm_companies_view;
    AdminCompanies = "admin.companies", Admin, perm_admin_companies;
    AdminUsers = "admin.users", Admin, perm_admin_users;
    AdminRoles = "admin.roles", Admin, perm_admin_roles;
    AdminAudit = "admin.audit", Admin, perm_admin_audit;
    SystemView = "system.view", Admin, perm_system_view;
}

impl Permission {
    /// Parses a stored code; unknown codes (from a newer or older release) are `None`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.code() == code)
    }
}

/// Groups of permissions, in the order the role editor shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Module {
    Requests,
    Buildings,
    People,
    Phonebook,
    Passes,
    Calls,
    Communication,
    Reports,
    Admin,
}

impl Module {
    pub const ALL: [Module; 9] = [
        Self::Requests,
        Self::Buildings,
        Self::People,
        Self::Phonebook,
        Self::Passes,
        Self::Calls,
        Self::Communication,
        Self::Reports,
        Self::Admin,
    ];

    /// The module's name in the current language.
    pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
        match self {
            Self::Requests => t.module_requests,
            Self::Buildings => t.module_buildings,
            Self::People => t.module_people,
            Self::Phonebook => t.module_phonebook,
            Self::Passes => t.module_passes,
            Self::Calls => t.module_calls,
            Self::Communication => t.module_communication,
            Self::Reports => t.module_reports,
            Self::Admin => t.module_admin,
        }
    }

    /// Whether the module is built in this release. The catalogue names the permissions of
    /// modules still to come (so that role codes stay stable), but the role editor offers only
    /// installed modules: the others are listed as "not installed", their grants kept as they are.
    pub fn installed(self) -> bool {
        match self {
            Self::Buildings | Self::People | Self::Phonebook | Self::Admin => true,
            Self::Requests | Self::Passes | Self::Calls | Self::Communication | Self::Reports => {
                false
            }
        }
    }

    /// The permissions of this module, in catalogue order.
    pub fn permissions(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(move |p| p.module() == self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for p in Permission::ALL {
            assert!(seen.insert(p.code()), "duplicate code {}", p.code());
            assert_eq!(Permission::from_code(p.code()), Some(*p));
            assert!(p.code().contains('.'), "{} is module.action", p.code());
        }
        assert_eq!(Permission::from_code("nope.nothing"), None);
    }

    #[test]
    fn every_permission_has_a_label_in_both_languages() {
        for p in Permission::ALL {
            assert!(!p.label(&crate::i18n::RU).is_empty());
            assert!(!p.label(&crate::i18n::EN).is_empty());
        }
    }
}
