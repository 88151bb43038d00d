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
    // The zone of the post's company (times on the desk), not personal data.
    "time_zone",
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

/// The first place in `value` that a guard post may not receive, as a path: a key not in
/// [`GUARD_FIELDS`] at any depth, or a value (text, number, flag) that no allowlisted key names —
/// a bare string, or one inside an array or tuple at the top. Arrays are looked through: their
/// items stand under the key that holds the array. `null` carries nothing and always passes.
pub fn forbidden_field(value: &serde_json::Value) -> Option<String> {
    forbidden_under(value, false)
}

/// A value that no allowlisted key names.
const UNNAMED: &str = "<value>";

fn forbidden_under(value: &serde_json::Value, named: bool) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if GUARD_FIELDS.contains(&k.as_str()) {
                forbidden_under(v, true).map(|inner| format!("{k}.{inner}"))
            } else {
                Some(k.clone())
            }
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            forbidden_under(v, named).map(|inner| {
                if inner == UNNAMED {
                    format!("[{i}]")
                } else {
                    format!("[{i}].{inner}")
                }
            })
        }),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            (!named).then(|| UNNAMED.to_owned())
        }
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
            Some("[0].phone".into())
        );
        assert_eq!(
            forbidden_field(&json!({"company": {"email": "a@b.ru"}})),
            Some("company.email".into())
        );
        assert_eq!(forbidden_field(&json!(null)), None);
        assert_eq!(forbidden_field(&json!({"roles": ["guard", "staff"]})), None);
        assert_eq!(
            forbidden_field(&json!({"name": {"phone": "+7900"}})),
            Some("name.phone".into())
        );
    }

    #[test]
    fn unnamed_values_do_not_pass() {
        // A bare string, a tuple of strings, numbers in an array: nothing says what they are.
        assert_eq!(forbidden_field(&json!("Иванов")), Some("<value>".into()));
        assert_eq!(
            forbidden_field(&json!([["Иванов", "+79001234567"]])),
            Some("[0].[0]".into())
        );
        assert_eq!(forbidden_field(&json!([1, 2])), Some("[0]".into()));
        assert_eq!(forbidden_field(&json!(true)), Some("<value>".into()));
        assert_eq!(
            forbidden_field(&json!([{"name": "Пост"}, "+79001234567"])),
            Some("[1]".into())
        );
    }
}
