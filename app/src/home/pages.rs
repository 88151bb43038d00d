//! The staff home («Сегодня»): who is signed in, residents waiting for a decision, what needs
//! attention in the user's buildings, and the installation's state for `system.view`.

use super::api::home_today;
use super::model::{BuildingDebts, Expiring, ImportToFinish, ScopeCounts, Today};
use crate::access::{MeResource, Permission};
use crate::i18n::{fill, format_datetime_in, format_int, format_money, use_i18n, use_zone};
use crate::ui::{Card, Icon, IconName, LoadingState, PageHeader, load_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<MeResource>();
    view! {
        <Title text=move || i18n.t().home_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().home_title.to_owned())
            lead=Signal::derive(move || i18n.t().home_lead.to_owned())
        />
        <Transition fallback=move || view! { <LoadingState label=Signal::derive(move || i18n.t().common_loading.to_owned()) /> }>
            {move || me.get().and_then(Result::ok).map(|m| {
                let can_system = m.can(Permission::SystemView);
                let can_claims = m.can(Permission::PeopleManage);
                let roles = m.roles.join(", ");
                let operator = m.roles.is_empty() && m.is_platform_admin;
                view! {
                    <section class="mb-6 flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 rounded-xl bg-white p-4 shadow-sm ring-1 ring-ink-200" data-testid="profile-card">
                        <div class="min-w-0">
                            <p class="text-lg font-semibold text-ink-900">{m.name.clone()}</p>
                            <p class="text-sm text-ink-700">{m.company.clone().unwrap_or_default()}</p>
                        </div>
                        <p class="text-sm text-ink-600">
                            <span class="font-medium text-ink-800">{move || i18n.t().auth_roles}": "</span>
                            <span data-testid="profile-roles">
                                // Only this text follows the language: the card itself must not
                                // be rebuilt (with its resources) when the language changes.
                                {move || if operator { i18n.t().auth_platform_operator.to_owned() } else { roles.clone() }}
                            </span>
                        </p>
                    </section>
                    {can_claims.then(|| view! { <crate::residents::pages::ClaimsQueue /> })}
                    <TodayParts />
                    {can_system.then(|| view! { <div class="mt-8"><crate::system::pages::SystemCards /></div> })}
                }
            })}
        </Transition>
    }
}

/// The counts and the lists of what needs attention.
#[component]
fn TodayParts() -> impl IntoView {
    let today = Resource::new(|| (), |()| home_today());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match today.await {
                    Ok(t) => view! { <TodayView today=t /> }.into_any(),
                    Err(crate::AppError::Forbidden) => ().into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| today.refetch())),
                }
            })}
        </Transition>
    }
}

#[component]
fn TodayView(today: Today) -> impl IntoView {
    let i18n = use_i18n();
    let Today {
        scope,
        people,
        expiring,
        imports,
        debts,
    } = today;
    let shown = debts.is_some() || expiring.is_some() || imports.is_some();
    let clear = debts.as_ref().is_none_or(Vec::is_empty)
        && expiring.as_ref().is_none_or(Vec::is_empty)
        && imports.as_ref().is_none_or(Vec::is_empty);
    view! {
        {(scope.is_some() || people.is_some()).then(|| view! { <Counts scope=scope people=people /> })}
        {shown.then(|| view! {
            <section class="mt-6" data-testid="attention">
                <h2 class="mb-3 text-lg font-semibold text-ink-900">{move || i18n.t().home_attention}</h2>
                {clear.then(|| view! {
                    <p class="flex items-center gap-2 rounded-xl bg-success-50 p-4 text-success-900 ring-1 ring-success-200" data-testid="all-clear">
                        <Icon name=IconName::Check class="size-5 shrink-0" />
                        {move || i18n.t().home_all_clear}
                    </p>
                })}
                <div class="grid gap-4 lg:grid-cols-3">
                    {debts.filter(|d| !d.is_empty()).map(|d| view! { <DebtsCard debts=d /> })}
                    {expiring.filter(|e| !e.is_empty()).map(|e| view! { <ExpiringCard items=e /> })}
                    {imports.filter(|i| !i.is_empty()).map(|i| view! { <ImportsCard items=i /> })}
                </div>
            </section>
        })}
    }
}

#[component]
fn Counts(scope: Option<ScopeCounts>, people: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let link = "mt-2 inline-block text-sm font-medium text-brand-700 hover:underline";
    view! {
        <div class="grid gap-4 sm:grid-cols-3" data-testid="home-counts">
            {scope.map(|s| view! {
                <Card caption=Signal::derive(move || i18n.t().home_buildings.to_owned()) test_id="count-buildings">
                    <p class="text-3xl font-bold tabular-nums">{format_int(s.buildings)}</p>
                    <a href="/staff/buildings" class=link>{move || i18n.t().home_open_buildings}</a>
                </Card>
                <Card caption=Signal::derive(move || i18n.t().home_units.to_owned()) test_id="count-units">
                    <p class="text-3xl font-bold tabular-nums">{format_int(s.units)}</p>
                </Card>
            })}
            {people.map(|n| view! {
                <Card caption=Signal::derive(move || i18n.t().home_people.to_owned()) test_id="count-people">
                    <p class="text-3xl font-bold tabular-nums">{format_int(n)}</p>
                    <a href="/staff/people" class=link>{move || i18n.t().home_open_people}</a>
                </Card>
            })}
        </div>
    }
}

const ITEM: &str = "block rounded-lg px-2 py-1.5 hover:bg-ink-50";

#[component]
fn DebtsCard(debts: Vec<BuildingDebts>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Card caption=Signal::derive(move || i18n.t().home_debts_title.to_owned()) test_id="home-debts">
            <ul class="-mx-2 text-sm">
                {debts.into_iter().map(|d| {
                    let total = format_money(d.total);
                    view! {
                        <li>
                            <a href=format!("/staff/buildings/{}?colour=arrears", d.building_id.0) class=ITEM>
                                <span class="block font-medium text-brand-700">{d.building.clone()}</span>
                                <span class="block text-ink-700">{move || fill(i18n.t().home_debts_line, &[("units", &i18n.t().plural_units.fmt(d.units)), ("total", &total)])}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Card>
    }
}

#[component]
fn ExpiringCard(items: Vec<Expiring>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = use_zone();
    view! {
        <Card caption=Signal::derive(move || i18n.t().home_expiring_title.to_owned()) test_id="home-expiring">
            <ul class="-mx-2 text-sm">
                {items.into_iter().map(|e| {
                    let at = e.expires_at;
                    view! {
                        <li>
                            <a href=format!("/staff/units/{}", e.unit_id.0) class=ITEM>
                                <span class="block font-medium text-brand-700">{e.unit.clone()}</span>
                                <span class="block text-ink-700">{move || fill(i18n.t().home_expiring_until, &[("date", &format_datetime_in(at, zone.get(), i18n.locale()))])}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Card>
    }
}

#[component]
fn ImportsCard(items: Vec<ImportToFinish>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Card caption=Signal::derive(move || i18n.t().home_imports_title.to_owned()) test_id="home-imports">
            <ul class="-mx-2 text-sm">
                {items.into_iter().map(|j| {
                    let failed = j.status == "failed";
                    view! {
                        <li>
                            <a href=format!("/staff/people/import/{}", j.id) class=ITEM>
                                <span class="block break-all font-medium text-brand-700">{j.file_name.clone()}</span>
                                <span class="block text-ink-700">
                                    {j.building.clone()}" · "
                                    <span class=if failed { "text-danger-700" } else { "text-warning-800" }>
                                        {move || if failed { i18n.t().home_import_failed } else { i18n.t().home_import_waiting }}
                                    </span>
                                </span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Card>
    }
}
