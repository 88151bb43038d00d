//! The staff overview (the workspace's home) and the system page.

use super::api::system_overview;
use super::model::SystemInfo;
use crate::i18n::{Tr, fill, format_int, use_i18n};
use crate::ui::Time;
use crate::ui::{
    Badge, Card, ErrorState, LoadingState, PageHeader, TD, TR, Table, TableHead, Tone,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// "меньше минуты", "3 ч 15 мин", "2 дня 3 ч 15 мин".
pub fn format_uptime(secs: i64, t: &Tr) -> String {
    let secs = secs.max(0);
    if secs < 60 {
        return t.system_uptime_under_minute.to_owned();
    }
    let (days, hours, minutes) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    let hm = fill(
        t.system_uptime_hm,
        &[
            ("hours", &hours.to_string()),
            ("minutes", &minutes.to_string()),
        ],
    );
    if days == 0 {
        hm
    } else {
        format!("{} {hm}", t.plural_days.fmt(days))
    }
}

#[cfg(test)]
mod tests {
    use super::format_uptime;
    use crate::i18n::{EN, RU};

    #[test]
    fn uptime_reads_naturally() {
        assert_eq!(format_uptime(5, &RU), "меньше минуты");
        assert_eq!(format_uptime(3 * 3600 + 15 * 60, &RU), "3 ч 15 мин");
        assert_eq!(format_uptime(2 * 86_400 + 60, &RU), "2 дня 0 ч 1 мин");
        assert_eq!(format_uptime(86_400, &EN), "1 day 0 h 0 min");
    }
}

/// Loads the overview and renders `ok` with it, with loading and error states.
#[component]
fn WithOverview(ok: fn(SystemInfo) -> AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |()| system_overview());
    view! {
        <Suspense fallback=move || view! { <LoadingState label=Signal::derive(move || i18n.t().common_loading.to_owned()) /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => ok(o),
                    Err(err) => view! {
                        <ErrorState
                            title=Signal::derive(move || i18n.t().common_error_title.to_owned())
                            text=Signal::derive(move || err.describe(i18n.t()))
                            retry_label=Signal::derive(move || i18n.t().common_retry.to_owned())
                            on_retry=Callback::new(move |()| data.refetch())
                        />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn db_badge(ok: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Badge tone=if ok { Tone::Success } else { Tone::Danger }>
            {move || if ok { i18n.t().overview_database_ok } else { i18n.t().overview_database_down }}
        </Badge>
    }
}

/// The installation's state as four cards (for holders of `system.view`).
#[component]
pub fn SystemCards() -> impl IntoView {
    view! {
        <WithOverview ok=|o| {
            let i18n = use_i18n();
            let companies = o.companies;
            let uptime = o.uptime_secs;
            view! {
                <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
                    <Card caption=Signal::derive(move || i18n.t().overview_companies_card.to_owned()) test_id="card-companies">
                        <p class="text-3xl font-bold tabular-nums">{format_int(companies)}</p>
                        <a href="/staff/companies" class="mt-2 inline-block text-sm font-medium text-brand-700 hover:underline">
                            {move || i18n.t().overview_open_companies}
                        </a>
                    </Card>
                    <Card caption=Signal::derive(move || i18n.t().overview_database_card.to_owned()) test_id="card-database">
                        <p class="text-xl font-semibold">{o.database.clone()}</p>
                        <div class="mt-2">{db_badge(o.database_ok)}</div>
                    </Card>
                    <Card caption=Signal::derive(move || i18n.t().overview_version_card.to_owned())>
                        <p class="text-xl font-semibold tabular-nums">{o.version.clone()}</p>
                        <p class="mt-2 text-sm text-ink-600">{move || i18n.t().plural_migrations.fmt(i64::try_from(o.migrations.len()).unwrap_or(0))}</p>
                    </Card>
                    <Card caption=Signal::derive(move || i18n.t().overview_uptime_card.to_owned())>
                        <p class="text-xl font-semibold tabular-nums">{move || format_uptime(uptime, i18n.t())}</p>
                        <a href="/staff/system" class="mt-2 inline-block text-sm font-medium text-brand-700 hover:underline">
                            {move || i18n.t().overview_open_system}
                        </a>
                    </Card>
                </div>
            }.into_any()
        } />
    }
}

#[component]
pub fn SystemPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().system_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().system_title.to_owned())
            lead=Signal::derive(move || i18n.t().system_lead.to_owned())
        />
        <WithOverview ok=|o| {
            let i18n = use_i18n();
            let started = o.started_at;
            let uptime = o.uptime_secs;
            let pending = o.pending_migrations;
            let rows = o.migrations.clone();
            view! {
                <div class="grid gap-6 lg:grid-cols-3">
                    <div class="space-y-4">
                        <Card caption=Signal::derive(move || i18n.t().system_server.to_owned())>
                            <dl class="space-y-2 text-sm">
                                <div class="flex justify-between gap-4"><dt class="text-ink-600">{move || i18n.t().system_database}</dt><dd class="font-medium">{o.database.clone()}</dd></div>
                                <div class="flex justify-between gap-4"><dt class="text-ink-600">{move || i18n.t().system_status}</dt><dd>{db_badge(o.database_ok)}</dd></div>
                                <div class="flex justify-between gap-4"><dt class="text-ink-600">{move || i18n.t().system_started_at}</dt><dd class="text-right font-medium"><Time at=started /></dd></div>
                                <div class="flex justify-between gap-4"><dt class="text-ink-600">{move || i18n.t().system_uptime}</dt><dd class="text-right font-medium">{move || format_uptime(uptime, i18n.t())}</dd></div>
                            </dl>
                        </Card>
                        <Card caption=Signal::derive(move || i18n.t().system_endpoints.to_owned())>
                            <ul class="space-y-2 text-sm">
                                <li><a class="font-mono text-brand-700 hover:underline" href="/healthz">"/healthz"</a>" — "{move || i18n.t().system_healthz}</li>
                                <li><a class="font-mono text-brand-700 hover:underline" href="/readyz">"/readyz"</a>" — "{move || i18n.t().system_readyz}</li>
                                <li><a class="font-mono text-brand-700 hover:underline" href="/metrics">"/metrics"</a>" — "{move || i18n.t().system_metrics}</li>
                            </ul>
                        </Card>
                    </div>
                    <section class="space-y-3 lg:col-span-2">
                        <div class="flex flex-wrap items-center justify-between gap-2">
                            <h2 class="text-lg font-semibold">{move || i18n.t().system_migrations}</h2>
                            {if pending == 0 {
                                view! { <Badge tone=Tone::Success>{move || i18n.t().system_no_pending}</Badge> }.into_any()
                            } else {
                                view! { <Badge tone=Tone::Warning>{move || fill(i18n.t().system_pending, &[("count", &pending.to_string())])}</Badge> }.into_any()
                            }}
                        </div>
                        <Table caption=Signal::derive(move || i18n.t().system_migrations.to_owned())>
                            <TableHead labels=Signal::derive(move || vec![i18n.t().system_migration_version, i18n.t().system_migration_description]) />
                            <tbody>
                                {rows.into_iter().map(|(v, d)| view! {
                                    <tr class=TR>
                                        <td class=format!("{TD} font-mono tabular-nums")>{format!("{v:04}")}</td>
                                        <td class=TD>{d}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </Table>
                    </section>
                </div>
            }.into_any()
        } />
    }
}
