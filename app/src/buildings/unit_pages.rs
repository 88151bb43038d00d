//! The unit page (`/staff/units/:id`), opened from a cell of the шахматка, a client card or the
//! search: where the unit is, its data (editable with `buildings.manage`) and layout tools
//! (split, merge), the arrears last imported from accounting, the registry's people and the
//! cabinet residents (with `people.view`), and the history: the unit's own changes, people and
//! residents linked to it, import rows.

use super::api::{MergeUnits, SplitUnit, UnitSave, get_unit_page};
use super::model::{GridUnit, UnitDetails, UnitEvent, UnitId, UnitKind, UnitUpdate, format_area};
use super::pages::{LARGE_DEBT, building_error, entrance_label};
use crate::access::Permission;
use crate::access::can;
use crate::i18n::format_money;
use crate::i18n::{Locale, Tr, fill, format_date, label, use_i18n};
use crate::people::card_pages::{UnitPeoplePanel, link_text};
use crate::people::model::{LinkStatus, Relation};
use crate::people::pages::UnitResidentsPanel;
use crate::ui::Time;
use crate::ui::{
    Button, ButtonVariant, FormError, Section, SelectField, TextField, ToastKind, loading,
    use_toasts,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// The unit page.
#[component]
pub fn UnitPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::use_id_param();
    let page = Resource::new(move || id.get(), |id| get_unit_page(UnitId(id)));
    view! {
        <Title text=move || i18n.t().unit_page_title />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <UnitView page=p on_changed=Callback::new(move |()| page.refetch()) /> }.into_any(),
                    Err(e) => crate::ui::page_load_error(e, Callback::new(move |()| page.refetch())),
                }
            })}
        </Transition>
    }
}

/// "Квартира 5", "Машино-место М12".
fn unit_name(u: &GridUnit, t: &Tr) -> String {
    format!("{} {}", u.kind.label(t), u.number)
}

#[component]
fn UnitView(page: UnitDetails, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let u = page.unit.clone();
    let unit_id = u.id;
    // The grid's colour mode came along in `?colour=`: going back keeps it.
    let colour = leptos_router::hooks::use_query_map()
        .with_untracked(|m| m.get("colour"))
        .filter(|c| c.chars().all(|ch| ch.is_ascii_lowercase()))
        .map(|c| format!("&colour={c}"))
        .unwrap_or_default();
    let grid_href = format!(
        "/staff/buildings/{}?unit={}{colour}#unit-{}",
        page.building_id.0, unit_id.0, unit_id.0
    );
    let building_name = StoredValue::new(page.building_name.clone());
    let people_label = format!("{} — {}", page.building_name, u.number);
    let place = {
        let entrance = page.entrance.clone();
        let floor = u.floor;
        move || {
            let t = i18n.t();
            fill(
                t.unit_place_line,
                &[
                    ("entrance", &entrance_label(&entrance, t)),
                    (
                        "floor",
                        &fill(t.unit_floor_n, &[("floor", &floor.to_string())]),
                    ),
                ],
            )
        }
    };
    let title = {
        let u = u.clone();
        move || unit_name(&u, i18n.t())
    };
    let can_edit = page.can_edit;
    let layout_unit = u.clone();
    view! {
        <div class="mb-3">
            <a href=grid_href.clone() class="text-sm font-medium text-brand-700 hover:underline" data-testid="unit-back">
                "← "{move || fill(i18n.t().unit_back_to_grid, &[("name", &building_name.get_value())])}
            </a>
        </div>
        <div class="mb-6 flex flex-wrap items-start justify-between gap-3">
            <div class="min-w-0">
                <h1 class="break-words text-2xl font-bold tracking-tight text-ink-900" data-testid="unit-name">{title}</h1>
                <p class="mt-1 text-ink-600">{page.address.clone()}</p>
                <p class="text-sm text-ink-600" data-testid="unit-place">{place}</p>
            </div>
        </div>
        // On a phone the unit's data comes first (the column order swaps below lg).
        <div class="grid gap-4 lg:grid-cols-3">
            <div class="order-2 min-w-0 space-y-4 lg:order-1 lg:col-span-2">
                {page.can_see_people.then(|| view! {
                    <UnitPeoplePanel unit=unit_id unit_label=people_label.clone() />
                    <UnitResidentsPanel unit=unit_id />
                })}
                <HistorySection history=page.history.clone() />
            </div>
            <div class="order-1 grid min-w-0 content-start gap-4 md:grid-cols-2 lg:order-2 lg:grid-cols-1">
                <Section caption=label(|t| t.unit_data_title) test_id="unit-data">
                    {if can_edit {
                        view! { <UnitForm unit=u.clone() on_saved=on_changed /> }.into_any()
                    } else {
                        view! { <UnitFacts unit=u.clone() /> }.into_any()
                    }}
                </Section>
                <BalanceSection page=page.clone() />
                // A rare change: folded, so it does not push the people down on a phone.
                {can_edit.then(|| view! {
                    <details class="rounded-xl bg-white px-4 shadow-sm ring-1 ring-ink-200 sm:px-5 md:col-span-2 lg:col-span-1" data-testid="layout-tools">
                        <summary class="min-h-12 cursor-pointer py-3 text-base font-semibold text-ink-900">{move || i18n.t().unit_layout_title}</summary>
                        <div class="pb-4">
                            <LayoutTools unit=layout_unit neighbours=page.neighbours.clone() on_done=on_changed />
                        </div>
                    </details>
                })}
            </div>
        </div>
    }
}

/// The unit's data, read-only.
#[component]
fn UnitFacts(unit: GridUnit) -> impl IntoView {
    let i18n = use_i18n();
    let row = |name: fn(&Tr) -> &'static str, value: String| {
        view! {
            <div class="flex justify-between gap-3 py-1.5">
                <dt class="text-ink-600">{move || name(i18n.t())}</dt>
                <dd class="text-right font-medium text-ink-900">{value}</dd>
            </div>
        }
    };
    let kind = unit.kind;
    view! {
        <dl class="divide-y divide-ink-100 text-sm">
            {row(|t| t.unit_number, unit.number.clone())}
            <div class="flex justify-between gap-3 py-1.5">
                <dt class="text-ink-600">{move || i18n.t().unit_kind}</dt>
                <dd class="text-right font-medium text-ink-900">{move || kind.label(i18n.t())}</dd>
            </div>
            {row(|t| t.unit_area, unit.area_dm2.map_or_else(|| "—".into(), format_area))}
            {row(|t| t.unit_account, unit.account.clone().unwrap_or_else(|| "—".into()))}
        </dl>
    }
}

/// Number, type, area and personal account (`buildings.manage`).
#[component]
fn UnitForm(unit: GridUnit, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let number = RwSignal::new(unit.number.clone());
    let kind = RwSignal::new(unit.kind.as_db().to_owned());
    let area = RwSignal::new(unit.area_dm2.map(format_area).unwrap_or_default());
    let account = RwSignal::new(unit.account.clone().unwrap_or_default());
    let save = ServerAction::<UnitSave>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            toasts.push(ToastKind::Success, i18n.t().unit_saved);
            on_saved.run(());
        }
    });
    let local_error = RwSignal::new(None::<String>);
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            save.value()
                .get()
                .and_then(Result::err)
                .map(|e| building_error(&e, i18n.t()))
        })
    });
    let id = unit.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let update = UnitUpdate {
            id,
            number: number.get_untracked(),
            kind: UnitKind::from_db(&kind.get_untracked()).unwrap_or(UnitKind::Apartment),
            area: area.get_untracked(),
            account: account.get_untracked(),
        };
        match update.check() {
            Ok(_) => {
                local_error.set(None);
                save.dispatch(UnitSave { update });
            }
            Err(e) => local_error.set(Some(building_error(&e, i18n.t()))),
        }
    };
    view! {
        <form class="space-y-3" on:submit=submit novalidate data-testid="unit-form">
            <div class="grid grid-cols-2 gap-3">
                <TextField id="u-number" label=label(|t| t.unit_number) value=number autocomplete="off" />
                <SelectField id="u-kind" label=label(|t| t.unit_kind) value=kind
                    options=Signal::derive(move || UnitKind::ALL.iter().map(|k| (k.as_db().to_owned(), k.label(i18n.t()).to_owned())).collect()) />
                <TextField id="u-area" label=label(|t| t.unit_area) value=area inputmode="decimal" autocomplete="off" />
                <TextField id="u-account" label=label(|t| t.unit_account) value=account autocomplete="off" />
            </div>
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" variant=ButtonVariant::Secondary disabled=save.pending() test_id="save-unit">{move || i18n.t().unit_save}</Button>
            </div>
        </form>
    }
}

/// The arrears as last imported, with the date and the source.
#[component]
fn BalanceSection(page: UnitDetails) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section caption=label(|t| t.unit_balance_title) test_id="unit-balance">
            {match page.balance {
                None => view! { <p class="text-sm text-ink-600">{move || i18n.t().unit_balance_none}</p> }.into_any(),
                Some(b) => {
                    let amount = b.amount;
                    let tone = if amount >= LARGE_DEBT {
                        "text-danger-700"
                    } else if amount > 0 {
                        "text-warning-800"
                    } else {
                        "text-success-700"
                    };
                    let headline = move || {
                        let t = i18n.t();
                        match amount {
                            a if a > 0 => fill(t.unit_balance_debt, &[("amount", &format_money(a))]),
                            a if a < 0 => fill(t.unit_balance_prepaid, &[("amount", &format_money(-a))]),
                            _ => t.unit_balance_zero.to_owned(),
                        }
                    };
                    let source = b.source.clone();
                    let line = move || {
                        let t = i18n.t();
                        let mut parts = vec![fill(t.unit_balance_as_of, &[("date", &format_date(b.as_of, i18n.locale()))])];
                        if let Some(s) = &source {
                            parts.push(fill(t.unit_balance_source, &[("source", s)]));
                        }
                        parts.join(" ")
                    };
                    view! {
                        <p class=format!("text-lg font-semibold tabular-nums {tone}") data-testid="unit-balance-amount">{headline}</p>
                        <p class="text-sm text-ink-600">{line}</p>
                        {b.job.map(|job| view! { <ImportLink job=job class="mt-1 inline-block text-sm" /> })}
                    }.into_any()
                }
            }}
        </Section>
    }
}

/// "Импорт №12", a link to the import's report for those who may open it (`people.import`).
#[component]
fn ImportLink(job: i64, class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let may_open = can(Permission::PeopleImport);
    view! {
        <Transition fallback=|| ()>
            {move || may_open.get().then(|| view! {
                <a href=format!("/staff/people/import/{job}") class=format!("font-medium text-brand-700 hover:underline {class}")>
                    {move || fill(i18n.t().unit_balance_job, &[("job", &job.to_string())])}
                </a>
            })}
        </Transition>
    }
}

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

#[component]
fn HistorySection(history: Vec<UnitEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section caption=label(|t| t.unit_history_title) test_id="unit-history">
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
        </Section>
    }
}

/// Split this unit in two, or merge a neighbour into it.
#[component]
fn LayoutTools(unit: GridUnit, neighbours: Vec<GridUnit>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let new_number = RwSignal::new(format!("{}а", unit.number));
    let split = ServerAction::<SplitUnit>::new();
    let merge = ServerAction::<MergeUnits>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = split.value().get() {
            toasts.push(ToastKind::Success, i18n.t().unit_split_done);
            on_done.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = merge.value().get() {
            toasts.push(ToastKind::Success, i18n.t().unit_merge_done);
            on_done.run(());
        }
    });
    let error = Signal::derive(move || {
        let e = split
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| merge.value().get().and_then(Result::err));
        e.map(|e| building_error(&e, i18n.t()))
    });
    let id = unit.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        split.dispatch(SplitUnit {
            split: super::model::UnitSplit {
                id,
                new_number: new_number.get_untracked(),
            },
        });
    };
    view! {
        <div class="space-y-3">
            <form class="flex flex-wrap items-end gap-2" on:submit=submit novalidate>
                <div class="min-w-40 flex-1">
                    <TextField id="u-split-number" label=label(|t| t.unit_split_number) value=new_number autocomplete="off" />
                </div>
                <Button button_type="submit" variant=ButtonVariant::Secondary disabled=split.pending() test_id="split-unit">{move || i18n.t().unit_split}</Button>
            </form>
            <div class="flex flex-wrap gap-2">
                {neighbours.into_iter().map(|n| {
                    let with = n.id;
                    let label = n.number.clone();
                    view! {
                        <Button variant=ButtonVariant::Secondary disabled=merge.pending() test_id="merge-unit"
                            on_click=Callback::new(move |()| { merge.dispatch(MergeUnits { merge: super::model::UnitMerge { id, with } }); })>
                            {move || fill(i18n.t().unit_merge_with, &[("number", &label)])}
                        </Button>
                    }
                }).collect_view()}
            </div>
            <FormError message=error />
        </div>
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
