//! Data minimisation for guard posts: whatever a guard-tablet session calls, its answer may only
//! hold fields named in [`GUARD_FIELDS`]. A residents' phone, e-mail or name that slips into a
//! response (a new field, a reused type) makes the call fail closed (403 and an error in the log)
//! instead of reaching the gate. The check runs in `api::finish` for every server function, during
//! SSR too, so no endpoint can forget it.

/// Every field name a guard post may receive. The passes work adds what a pass itself shows
/// (number, plate, the visitor's name as written on the pass, the unit, validity, status).
pub const GUARD_FIELDS: &[&str] = &[
    // The post's own account (`auth/me`, sign-in): the guard's name, not a resident's.
    "name",
    "company",
    "is_resident",
    "guard_post",
    "is_platform_admin",
    "has_password",
    "roles",
    "permissions",
    "home",
];

/// Set when a request is served to a guard-tablet session. The server puts a fresh flag into
/// every request's context (with the `AppContext`) and `Ctx::authorize` raises it: a flag rather
/// than a context provided mid-render, so nothing is added to the reactive tree during SSR.
#[derive(Debug, Clone, Default)]
pub struct GuardPost(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl GuardPost {
    pub fn raise(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_raised(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The first field of `value` (at any depth) that is not in [`GUARD_FIELDS`], as a path.
pub fn forbidden_field(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if GUARD_FIELDS.contains(&k.as_str()) {
                forbidden_field(v).map(|inner| format!("{k}.{inner}"))
            } else {
                Some(k.clone())
            }
        }),
        serde_json::Value::Array(items) => items.iter().find_map(forbidden_field),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_listed_fields_pass() {
        assert_eq!(
            forbidden_field(&json!({"name": "Пост 1", "roles": ["guard"], "home": "/guard"})),
            None
        );
        assert_eq!(
            forbidden_field(&json!([{"name": "Иванов", "phone": "+79001234567"}])),
            Some("phone".into())
        );
        assert_eq!(
            forbidden_field(&json!({"company": {"email": "a@b.ru"}})),
            Some("company.email".into())
        );
        assert_eq!(forbidden_field(&json!("text")), None);
    }
}
