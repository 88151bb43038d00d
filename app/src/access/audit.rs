//! The audit log as people read it: every action code, object kind and changed field in the
//! current language, shared by the administrator's log, the client card and the unit page.
//! The log itself is written by `server::audit` (`field: old → new` lines); nothing here
//! touches the database.

use crate::i18n::{Locale, Tr, Zone};

/// Every action the log records, in the order the filter offers them.
pub const ACTIONS: &[&str] = &[
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.sign_in_guard_post",
    "auth.sign_in_code",
    "auth.code_sent",
    "auth.code_sign_in_failed",
    "auth.sign_out",
    "auth.sign_out_everywhere",
    "auth.password_changed",
    "session.revoke",
    "user.create",
    "user.create_invited",
    "user.activate",
    "user.deactivate",
    "user.reset_password",
    "user.access",
    "role.update",
    "group.create",
    "group.update",
    "position.create",
    "position.update",
    "company.create",
    "company.update",
    "company_type.create",
    "company_type.update",
    "work_area.create",
    "work_area.update",
    "building.create",
    "building.floor_add",
    "unit.update",
    "unit.split",
    "unit.merge",
    "person.create",
    "person.update",
    "person.view",
    "person.unit_link",
    "person.unit_unlink",
    "person.vehicle_add",
    "person.vehicle_remove",
    "person.consent_give",
    "person.consent_withdraw",
    "person.note",
    "person.merge",
    "person.import",
    "resident.link",
    "resident.invite",
    "resident.link_status",
    "resident.invitation_revoke",
    "resident.claim",
    "resident.invitations_accepted",
    "import.upload",
    "import.start",
    "import.refuse",
    "import.apply",
    "import.created",
    "import.updated",
    "phonebook.create",
    "phonebook.update",
    "phonebook.delete",
];

/// The action as a phrase ("Вход в систему"); an unknown code is shown as it is.
pub fn action_label(t: &Tr, action: &str) -> String {
    let label = match action {
        "auth.sign_in" => t.audit_auth_sign_in,
        "auth.sign_in_failed" => t.audit_auth_sign_in_failed,
        "auth.sign_in_guard_post" => t.audit_auth_sign_in_guard_post,
        "auth.sign_in_code" => t.audit_auth_sign_in_code,
        "auth.code_sent" => t.audit_auth_code_sent,
        "auth.code_sign_in_failed" => t.audit_auth_code_sign_in_failed,
        "auth.sign_out" => t.audit_auth_sign_out,
        "auth.sign_out_everywhere" => t.audit_auth_sign_out_everywhere,
        "auth.password_changed" => t.audit_auth_password_changed,
        "session.revoke" => t.audit_session_revoke,
        "user.create" => t.audit_user_create,
        "user.create_invited" => t.audit_user_create_invited,
        "user.activate" => t.audit_user_activate,
        "user.deactivate" => t.audit_user_deactivate,
        "user.reset_password" => t.audit_user_reset_password,
        "user.access" => t.audit_user_access,
        "role.update" => t.audit_role_update,
        "group.create" => t.audit_group_create,
        "group.update" => t.audit_group_update,
        "position.create" => t.audit_position_create,
        "position.update" => t.audit_position_update,
        "company.create" => t.audit_company_create,
        "company.update" => t.audit_company_update,
        "company_type.create" => t.audit_company_type_create,
        "company_type.update" => t.audit_company_type_update,
        "work_area.create" => t.audit_work_area_create,
        "work_area.update" => t.audit_work_area_update,
        "building.create" => t.audit_building_create,
        "building.floor_add" => t.audit_building_floor_add,
        "unit.update" => t.audit_unit_update,
        "unit.split" => t.audit_unit_split,
        "unit.merge" => t.audit_unit_merge,
        "person.create" => t.audit_person_create,
        "person.update" => t.audit_person_update,
        "person.view" => t.audit_person_view,
        "person.unit_link" => t.audit_person_unit_link,
        "person.unit_unlink" => t.audit_person_unit_unlink,
        "person.vehicle_add" => t.audit_person_vehicle_add,
        "person.vehicle_remove" => t.audit_person_vehicle_remove,
        "person.consent_give" => t.audit_person_consent_give,
        "person.consent_withdraw" => t.audit_person_consent_withdraw,
        "person.note" => t.audit_person_note,
        "person.merge" => t.audit_person_merge,
        "person.import" => t.audit_person_import,
        "resident.link" => t.audit_resident_link,
        "resident.invite" => t.audit_resident_invite,
        "resident.link_status" => t.audit_resident_link_status,
        "resident.invitation_revoke" => t.audit_resident_invitation_revoke,
        "resident.claim" => t.audit_resident_claim,
        "resident.invitations_accepted" => t.audit_resident_invitations_accepted,
        "import.upload" => t.audit_import_upload,
        "import.start" => t.audit_import_start,
        "import.refuse" => t.audit_import_refuse,
        "import.apply" => t.audit_import_apply,
        "import.created" => t.audit_import_created,
        "import.updated" => t.audit_import_updated,
        "phonebook.create" => t.audit_phonebook_create,
        "phonebook.update" => t.audit_phonebook_update,
        "phonebook.delete" => t.audit_phonebook_delete,
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// The kind of object an entry is about ("Клиент", "Роль"); unknown kinds are shown as they are.
pub fn entity_label(t: &Tr, entity: &str) -> String {
    let label = match entity {
        "user" => t.audit_entity_user,
        "role" => t.audit_entity_role,
        "group" => t.audit_entity_group,
        "position" => t.audit_entity_position,
        "company" => t.audit_entity_company,
        "company_type" => t.audit_entity_company_type,
        "work_area" => t.audit_entity_work_area,
        "building" => t.audit_entity_building,
        "unit" => t.audit_entity_unit,
        "person" => t.audit_entity_person,
        "resident_unit" => t.audit_entity_resident_unit,
        "invitation" => t.audit_entity_invitation,
        "import_job" => t.audit_entity_import_job,
        "phonebook_entry" => t.audit_entity_phonebook_entry,
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// Where the object of an entry is shown, when it has a page of its own.
pub fn object_href(entity: &str, id: &str) -> Option<String> {
    let id: i64 = id.parse().ok()?;
    Some(match entity {
        "role" => format!("/staff/admin/roles/{id}"),
        "building" => format!("/staff/buildings/{id}"),
        "unit" => format!("/staff/units/{id}"),
        "person" => format!("/staff/people/{id}"),
        "import_job" => format!("/staff/people/import/{id}"),
        _ => return None,
    })
}

/// A changed field's name ("Телефоны"), or `None` for a field this table does not know.
pub fn field_label(t: &Tr, field: &str) -> Option<&'static str> {
    Some(match field {
        "name" | "display_name" => t.audit_field_name,
        "login" => t.audit_field_login,
        "password" => t.audit_field_password,
        "phone" => t.audit_field_phone,
        "phones" => t.audit_field_phones,
        "email" | "emails" => t.audit_field_email,
        "inn" => t.audit_field_inn,
        "address" => t.audit_field_address,
        "kind" | "type_id" => t.audit_field_kind,
        "company" => t.audit_field_company,
        "roles" | "role_id" => t.audit_field_roles,
        "groups" => t.audit_field_groups,
        "grants" | "permissions" => t.audit_field_permissions,
        "parent_id" => t.audit_field_parent,
        "position_id" => t.audit_field_position,
        "is_active" => t.audit_field_active,
        "buildings" => t.audit_field_buildings,
        "number" => t.audit_field_number,
        "area" => t.audit_field_area,
        "account" => t.audit_field_account,
        "floor" | "floors" => t.audit_field_floors,
        "entrance" => t.audit_field_entrance,
        "unit" | "units" => t.audit_field_unit,
        "status" => t.audit_field_status,
        "vehicle" | "plate" => t.audit_field_vehicle,
        "description" => t.audit_field_description,
        "file" => t.audit_field_file,
        "session" => t.audit_field_session,
        "scope" => t.audit_field_scope,
        "short_name" => t.audit_field_short_name,
        "holding_access" => t.audit_field_holding_access,
        "time_zone" => t.audit_field_time_zone,
        _ => return None,
    })
}

/// The `field: old → new` lines of an entry in the current language: a known field gets its
/// name, an empty side shows "—", `true`/`false` read as yes/no, a time zone as its city. Lines that are not changes
/// (a note's text, a report) are kept as they are.
pub fn change_lines(t: &Tr, locale: Locale, changes: &str) -> Vec<String> {
    let value = |v: &str| -> String {
        match v {
            "∅" | "" => "—".to_owned(),
            "true" => t.common_yes.to_owned(),
            "false" => t.common_no.to_owned(),
            other => Zone::find(other).map_or_else(|| other.to_owned(), |z| z.label(locale)),
        }
    };
    changes
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let Some((field, change)) = line.split_once(": ") else {
                return line.to_owned();
            };
            let name = field_label(t, field).map_or_else(|| field.to_owned(), str::to_owned);
            match change.split_once(" → ") {
                Some(("∅", new)) => format!("{name}: {}", value(new)),
                Some((old, new)) => format!("{name}: {} → {}", value(old), value(new)),
                None => format!("{name}: {}", value(change)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn codes_read_as_words_in_both_languages() {
        let ru = Locale::Ru.table();
        let en = Locale::En.table();
        assert_eq!(action_label(ru, "auth.sign_in"), "Вход в систему");
        assert_eq!(action_label(en, "auth.sign_in"), "Signed in");
        assert_eq!(action_label(ru, "something.new"), "something.new");
        for a in ACTIONS {
            assert_ne!(action_label(ru, a), *a, "{a} has no Russian label");
        }
        assert_eq!(entity_label(ru, "import_job"), "Импорт");
        assert_eq!(
            object_href("person", "5").as_deref(),
            Some("/staff/people/5")
        );
        assert_eq!(object_href("person", "x"), None);
        assert_eq!(object_href("user", "5"), None);
    }

    #[test]
    fn changes_name_their_fields_and_hide_the_empty_marker() {
        let ru = Locale::Ru.table();
        assert_eq!(
            change_lines(
                ru,
                Locale::Ru,
                "area: ∅ → 18\nis_active: true → false\nodd line\nwhat: a → b"
            ),
            vec![
                "Площадь, м²: 18".to_owned(),
                "Активен: да → нет".to_owned(),
                "odd line".to_owned(),
                "what: a → b".to_owned(),
            ]
        );
        assert_eq!(
            change_lines(ru, Locale::Ru, "number: 7 → ∅"),
            vec!["Номер: 7 → —".to_owned()]
        );
        assert_eq!(
            change_lines(
                ru,
                Locale::Ru,
                "time_zone: Europe/Moscow → Asia/Vladivostok"
            ),
            vec!["Часовой пояс: Москва (UTC+3) → Владивосток (UTC+10)".to_owned()]
        );
    }
}
