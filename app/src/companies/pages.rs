//! The company registry page: a searchable table (the query lives in the URL, `?q=`, so a view
//! can be shared) and a details dialog.

use super::api::list_companies;
use super::model::{Company, CompanyKind, CompanyQuery};
use crate::i18n::{Tr, fill, format_phone, use_i18n};
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, ErrorState, Icon, IconName, LoadingState, Modal,
    PageHeader, TD, TR, Table, TableHead, TextField, Tone,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

fn kind_label(kind: CompanyKind, t: &Tr) -> &'static str {
    match kind {
        CompanyKind::Management => t.companies_kind_management,
        CompanyKind::Contractor => t.companies_kind_contractor,
        CompanyKind::ServiceProvider => t.companies_kind_service_provider,
    }
}

fn kind_tone(kind: CompanyKind) -> Tone {
    match kind {
        CompanyKind::Management => Tone::Brand,
        CompanyKind::Contractor => Tone::Info,
        CompanyKind::ServiceProvider => Tone::Neutral,
    }
}

#[component]
pub fn CompaniesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let url_q = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let input = RwSignal::new(url_q.get_untracked());
    // Keep the field in step when the URL changes (top-bar search, back button).
    Effect::new(move |_| input.set(url_q.get()));
    let input_error = Signal::derive(move || {
        CompanyQuery::parse(&input.get())
            .err()
            .map(|e| e.describe(i18n.t()))
    });
    let navigate = use_navigate();
    // Typing updates the URL (replacing history), which reloads the list.
    Effect::new(move |_| {
        let value = input.get();
        if value != url_q.get_untracked() && CompanyQuery::parse(&value).is_ok() {
            let target = if value.trim().is_empty() {
                "/staff/companies".to_owned()
            } else {
                format!("/staff/companies?q={}", urlencode(value.trim()))
            };
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    let companies = Resource::new(move || url_q.get(), list_companies);
    let selected = RwSignal::new(None::<Company>);
    let dialog_open = RwSignal::new(false);

    view! {
        <Title text=move || i18n.t().companies_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().companies_title.to_owned())
            lead=Signal::derive(move || i18n.t().companies_lead.to_owned())
        />
        <div class="mb-4 max-w-md">
            <TextField
                id="company-search"
                input_type="search"
                label=Signal::derive(move || i18n.t().companies_search_label.to_owned())
                hint=Signal::derive(move || i18n.t().companies_search_hint.to_owned())
                value=input
                error=input_error
                autocomplete="off"
            />
        </div>
        <Transition fallback=move || view! { <LoadingState label=Signal::derive(move || i18n.t().common_loading.to_owned()) /> }>
            {move || Suspend::new(async move {
                match companies.await {
                    Ok(list) if list.is_empty() && url_q.get_untracked().trim().is_empty() => view! {
                        <EmptyState
                            icon=IconName::Building
                            title=Signal::derive(move || i18n.t().companies_empty_title.to_owned())
                            text=Signal::derive(move || i18n.t().companies_empty_text.to_owned())
                        />
                    }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState
                            icon=IconName::Search
                            title=Signal::derive(move || i18n.t().companies_nothing_found_title.to_owned())
                            text=Signal::derive(move || fill(i18n.t().companies_nothing_found_text, &[("q", &url_q.get())]))
                        >
                            <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| input.set(String::new()))>
                                {move || i18n.t().companies_clear_search}
                            </Button>
                        </EmptyState>
                    }.into_any(),
                    Ok(list) => {
                        let count = i64::try_from(list.len()).unwrap_or(0);
                        view! {
                            <p class="mb-2 text-sm text-ink-600" data-testid="companies-count">{move || i18n.t().plural_companies.fmt(count)}</p>
                            <Table caption=Signal::derive(move || i18n.t().companies_table_caption.to_owned())>
                                <TableHead labels=Signal::derive(move || {
                                    let t = i18n.t();
                                    vec![t.companies_col_name, t.companies_col_kind, t.companies_col_inn, t.companies_col_phone]
                                }) />
                                <tbody>
                                    {list.into_iter().map(|c| {
                                        let open = {
                                            let c = c.clone();
                                            move || {
                                                selected.set(Some(c.clone()));
                                                dialog_open.set(true);
                                            }
                                        };
                                        let open_from_button = open.clone();
                                        view! {
                                            <tr class=format!("{TR} cursor-pointer") on:click=move |_| open() data-testid="company-row">
                                                <td class=TD>
                                                    <button type="button" class="text-left font-medium text-brand-800 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600" on:click=move |ev| { ev.stop_propagation(); open_from_button() }>
                                                        {c.short_name.clone()}
                                                    </button>
                                                </td>
                                                <td class=TD><Badge tone=kind_tone(c.kind)>{move || kind_label(c.kind, i18n.t())}</Badge></td>
                                                <td class=format!("{TD} font-mono tabular-nums")>{c.inn.clone()}</td>
                                                <td class=format!("{TD} whitespace-nowrap tabular-nums")>{c.phone.as_deref().map(format_phone)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </Table>
                        }.into_any()
                    }
                    Err(err) => view! {
                        <ErrorState
                            title=Signal::derive(move || i18n.t().common_error_title.to_owned())
                            text=Signal::derive(move || err.describe(i18n.t()))
                            retry_label=Signal::derive(move || i18n.t().common_retry.to_owned())
                            on_retry=Callback::new(move |()| companies.refetch())
                        />
                    }.into_any(),
                }
            })}
        </Transition>
        <Modal
            open=dialog_open
            title=Signal::derive(move || selected.get().map_or_else(|| i18n.t().companies_details.to_owned(), |c| c.short_name))
            close_label=Signal::derive(move || i18n.t().common_close.to_owned())
        >
            {move || selected.get().map(|c| view! { <CompanyDetails company=c /> })}
        </Modal>
    }
}

#[component]
fn CompanyDetails(company: Company) -> impl IntoView {
    let i18n = use_i18n();
    let row = |label: fn(&Tr) -> &'static str, icon: IconName, value: Option<AnyView>| {
        view! {
            <div class="flex gap-3 py-2">
                <Icon name=icon class="mt-0.5 size-5 shrink-0 text-ink-400" />
                <div>
                    <dt class="text-xs font-medium uppercase tracking-wide text-ink-500">{move || label(i18n.t())}</dt>
                    <dd class="mt-0.5 text-ink-900">{value.unwrap_or_else(|| view! { <span class="text-ink-500">{move || i18n.t().common_not_specified}</span> }.into_any())}</dd>
                </div>
            </div>
        }
    };
    let phone = company.phone.clone().map(|p| view! { <a class="text-brand-700 hover:underline" href=format!("tel:{p}")>{format_phone(&p)}</a> }.into_any());
    let email = company.email.clone().map(|m| view! { <a class="text-brand-700 hover:underline" href=format!("mailto:{m}")>{m.clone()}</a> }.into_any());
    view! {
        <div class="mb-3"><Badge tone=kind_tone(company.kind)>{move || kind_label(company.kind, i18n.t())}</Badge></div>
        <dl class="divide-y divide-ink-100" data-testid="company-details">
            {row(|t| t.companies_full_name, IconName::Building, Some(view! { <span>{company.name.clone()}</span> }.into_any()))}
            {row(|t| t.companies_col_inn, IconName::Check, Some(view! { <span class="font-mono">{company.inn.clone()}</span> }.into_any()))}
            {row(|t| t.companies_col_phone, IconName::Phone, phone)}
            {row(|t| t.companies_email, IconName::Mail, email)}
            {row(|t| t.companies_address, IconName::MapPin, company.address.clone().map(|a| view! { <span>{a}</span> }.into_any()))}
        </dl>
    }
}

/// Percent-encodes a query value for the URL.
fn urlencode(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
