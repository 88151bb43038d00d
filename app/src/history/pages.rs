//! The unit history's section on the unit page: each entry with its action, the person it is
//! about (a link, as the caller may see them), when and by whom, and its details in words.

use super::api::unit_history;
use super::model::UnitEvent;
use crate::buildings::model::{UnitId, UnitKind};
use crate::buildings::unit_pages::ImportLink;
use crate::i18n::{Locale, Tr, fill, label, use_i18n};
use crate::people::widgets::link_text;
use crate::residents::model::LinkStatus;
use crate::ui::{Loaded, Section, Time};
use crate::values::Relation;
use leptos::prelude::*;

fn status_label(t: &Tr, s: &str) -> String {
    match LinkStatus::from_db(s) {
        Some(LinkStatus::Active) => t.residents_status_active.to_owned(),
        Some(LinkStatus::Pending) => t.residents_status_pending.to_owned(),
        Some(LinkStatus::Rejected) => t.residents_status_rejected.to_owned(),
        Some(LinkStatus::Ended) => t.residents_status_ended.to_owned(),
        None => s.to_owned(),
    }
}

/// "5 (1) + 6 (1а)" → "1 + 1а"; "42 (1 → 1 + 1а)" → "1 → 1 + 1а": the numbers, not the ids.
fn numbers_only(value: &str) -> String {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        out.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    if out.is_empty() {
        value.to_owned()
    } else {
        out.join(" + ")
    }
}

/// A history entry's details as lines in the current language. Names, phones and e-mails of
/// people are left out (the person is named beside the entry, as the caller may see them).
pub fn event_details(t: &Tr, locale: Locale, e: &UnitEvent) -> Vec<String> {
    if e.action.starts_with("import.") {
        let mut parts = e.changes.splitn(3, '\n');
        let (file, row, detail) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let mut out = vec![fill(t.unit_event_file, &[("file", file), ("row", row)])];
        let d = crate::imports::pages::detail_text(detail, t);
        if !d.is_empty() {
            out.push(d);
        }
        return out;
    }
    e.changes
        .lines()
        .filter_map(|line| {
            let (field, change) = line.split_once(": ")?;
            let (old, new) = change.split_once(" → ")?;
            let old = (old != "∅").then_some(old);
            let new = (new != "∅").then_some(new);
            let value = |v: Option<&str>, f: &dyn Fn(&str) -> String| v.map_or("—".to_owned(), f);
            match field {
                "number" | "area" | "account" => {
                    let name = match field {
                        "number" => t.unit_number,
                        "area" => t.unit_area,
                        _ => t.unit_account,
                    };
                    let same = |v: &str| v.to_owned();
                    Some(format!(
                        "{name}: {} → {}",
                        value(old, &same),
                        value(new, &same)
                    ))
                }
                "kind" => {
                    let kind = |v: &str| {
                        UnitKind::from_db(v).map_or_else(|| v.to_owned(), |k| k.label(t).to_owned())
                    };
                    Some(format!(
                        "{}: {} → {}",
                        t.unit_kind,
                        value(old, &kind),
                        value(new, &kind)
                    ))
                }
                "status" => {
                    let status = |v: &str| status_label(t, v);
                    Some(format!("{} → {}", value(old, &status), value(new, &status)))
                }
                "relation" => new
                    .or(old)
                    .and_then(Relation::from_db)
                    .map(|r| r.label(t).to_owned()),
                "unit" => new.or(old).and_then(|v| link_text(t, locale, v)),
                "new_unit" | "merged" => new.map(numbers_only),
                // Names, phones, e-mails: personal data, and the person is named separately.
                _ => None,
            }
        })
        .collect()
}

/// The unit's history, newest first, loaded on its own (the unit page shows it through the
/// shell). Reloaded whenever the unit page is (after a change on it).
#[component]
pub fn UnitHistory(unit: UnitId) -> impl IntoView {
    let history = Resource::new(move || unit, unit_history);
    view! {
        <Section caption=label(|t| t.unit_history_title) test_id="unit-history">
            <Loaded resource=history show=|h| view! { <HistoryList history=h /> } />
        </Section>
    }
}

#[component]
fn HistoryList(history: Vec<UnitEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {history.is_empty().then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().unit_history_none}</p> })}
        <ol class="space-y-3 text-sm">
                {history.into_iter().map(|e| {
                    let action = e.action.clone();
                    let at = e.at;
                    let actor = e.actor.clone();
                    let details = {
                        let e = e.clone();
                        move || event_details(i18n.t(), i18n.locale(), &e)
                    };
                    view! {
                        <li class="border-l-2 border-ink-200 pl-3" data-testid="unit-event">
                            <p class="text-ink-900">
                                <span class="font-medium">{move || crate::access::audit::action_label(i18n.t(), &action)}</span>
                                {e.person.map(|p| view! {
                                    " · "<a href=format!("/staff/people/{}", p.id) class="font-medium text-brand-700 hover:underline" data-testid="event-person">{p.name}</a>
                                })}
                            </p>
                            <p class="text-xs text-ink-600">
                                <Time at=at />" · "
                                {let actor = actor.clone(); move || if actor.is_empty() { i18n.t().unit_history_system.to_owned() } else { actor.clone() }}
                            </p>
                            <ul class="text-xs text-ink-700">
                                {move || details().into_iter().map(|d| view! { <li class="break-words">{d}</li> }).collect_view()}
                            </ul>
                            {e.job.map(|job| view! { <ImportLink job=job class="text-xs" /> })}
                        </li>
                    }
                }).collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ru() -> &'static Tr {
        Locale::Ru.table()
    }

    fn event(action: &str, changes: &str) -> UnitEvent {
        UnitEvent {
            at: Utc::now(),
            actor: String::new(),
            action: action.into(),
            changes: changes.into(),
            person: None,
            job: None,
        }
    }

    #[test]
    fn unit_changes_read_in_russian() {
        let e = event(
            "unit.update",
            "number: 5 → 5а\nkind: apartment → storage\narea: ∅ → 52,3",
        );
        assert_eq!(
            event_details(ru(), Locale::Ru, &e),
            vec![
                "Номер: 5 → 5а",
                "Тип: Квартира → Кладовая",
                "Площадь, м²: — → 52,3"
            ]
        );
    }

    #[test]
    fn person_links_show_relation_share_and_dates_not_names() {
        let e = event(
            "person.create",
            "name: ∅ → Иванов Иван\nphones: ∅ → +79001234567\nunit: ∅ → owner #5",
        );
        assert_eq!(event_details(ru(), Locale::Ru, &e), vec!["Собственник"]);
        let e = event("person.unit_link", "unit: ∅ → owner #5 1/2 2024-01-01–");
        assert_eq!(
            event_details(ru(), Locale::Ru, &e),
            vec!["Собственник · доля 1/2 · с 1 января 2024"]
        );
        let e = event("person.unit_unlink", "unit: tenant #5 → ∅");
        assert_eq!(event_details(ru(), Locale::Ru, &e), vec!["Арендатор"]);
    }

    #[test]
    fn layout_changes_show_numbers_not_ids() {
        let e = event("unit.split", "new_unit: ∅ → 42 (1 → 1 + 1а)");
        assert_eq!(event_details(ru(), Locale::Ru, &e), vec!["1 → 1 + 1а"]);
        let e = event("unit.merge", "merged: ∅ → 5 (1) + 6 (1а)");
        assert_eq!(event_details(ru(), Locale::Ru, &e), vec!["1 + 1а"]);
        assert_eq!(numbers_only("broken (no close"), "broken (no close");
    }

    #[test]
    fn residents_and_imports() {
        let e = event("resident.link_status", "status: pending → active");
        assert_eq!(
            event_details(ru(), Locale::Ru, &e),
            vec!["ждёт подтверждения → в кабинете"]
        );
        let e = event("resident.invite", "unit: ∅ → 17\nrelation: ∅ → tenant");
        assert_eq!(event_details(ru(), Locale::Ru, &e), vec!["Арендатор"]);
        let e = event(
            "import.updated",
            "export.xlsx\n12\nlink:created;arrears:set",
        );
        let lines = event_details(ru(), Locale::Ru, &e);
        assert_eq!(lines[0], "файл «export.xlsx», строка 12");
        assert_eq!(lines.len(), 2);
        assert_eq!(
            crate::access::audit::action_label(ru(), "import.created"),
            "Импорт: добавлено"
        );
        assert_eq!(
            crate::access::audit::action_label(ru(), "unknown.action"),
            "unknown.action"
        );
    }
}
