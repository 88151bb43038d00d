//! The unit page (`/staff/units/:id`), opened from a cell of the шахматка, a client card or the
//! search: where the unit is, its data (editable with `buildings.manage`) and layout tools
//! (split, merge), the arrears last imported from accounting, and in the main column what the
//! shell's slot puts there (`slots::BuildingSlots::unit_main`): the registry's people and the
//! cabinet residents (with `people.view`), and the unit history.

use super::api::{MergeUnits, SplitUnit, UnitSave, get_unit_page};
use super::model::{GridUnit, UnitDetails, UnitId, UnitKind, UnitUpdate, format_area};
use super::pages::{LARGE_DEBT, building_error, entrance_label};
use crate::access::Permission;
use crate::access::can;
use crate::i18n::format_money;
use crate::i18n::{Tr, fill, format_date, label, use_i18n};
use crate::ui::{
    Button, ButtonVariant, FormError, Section, SelectField, TextField, ToastKind, use_toasts,
};
use crate::ui::{Loaded, use_submit};
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
        <Loaded resource=page page=true show=move |p| view! {
            <UnitView page=p on_changed=Callback::new(move |()| page.refetch()) />
        } />
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
                {super::slots::slot(|s| (s.unit_main)(super::slots::UnitSlot {
                    unit: unit_id,
                    label: people_label.clone(),
                    can_see_people: page.can_see_people,
                }))}
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
    let number = RwSignal::new(unit.number.clone());
    let kind = RwSignal::new(unit.kind.as_db().to_owned());
    let area = RwSignal::new(unit.area_dm2.map(format_area).unwrap_or_default());
    let account = RwSignal::new(unit.account.clone().unwrap_or_default());
    let save = ServerAction::<UnitSave>::new();
    let save_form = use_submit(save, building_error, Some(|t| t.unit_saved), move |_| {
        on_saved.run(());
    });
    let error = save_form.error;
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
        save_form.send(update.check().map(|_| UnitSave { update }));
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
pub fn ImportLink(job: i64, class: &'static str) -> impl IntoView {
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
