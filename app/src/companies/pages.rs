//! The company registry page: a searchable table (the query lives in the URL, `?q=`, so a view
//! can be shared), a details dialog with the edit form (a company's own administrator edits its
//! card; the platform operator any company, new companies and the company types).

use super::api::{CompanySave, CompanyTypeSave, company_types, list_companies};
use super::model::{Company, CompanyKind, CompanyQuery, CompanyTypeUpdate, CompanyUpdate};
use crate::AppError;
use crate::Invalid;
use crate::i18n::{Tr, fill, format_phone, label, use_i18n};
use crate::ui::use_submit;
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, ErrorState, FormError, Icon, IconName, LoadingState,
    Modal, PageHeader, SelectField, TD, TR, Table, TableHead, TextField, Tone, load_error, loading,
};
use crate::ui::{FieldText, error_text};
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
    let editing = RwSignal::new(false);
    let operator = crate::access::is_operator();
    let saved = Callback::new(move |()| {
        dialog_open.set(false);
        companies.refetch();
    });

    view! {
        <Title text=move || i18n.t().companies_title />
        <div class="flex flex-wrap items-start justify-between gap-3">
            <PageHeader
                title=Signal::derive(move || i18n.t().companies_title.to_owned())
                lead=Signal::derive(move || i18n.t().companies_lead.to_owned())
            />
            <Transition fallback=|| ()>
                {move || operator.get().then(|| view! {
                    <Button test_id="new-company" on_click=Callback::new(move |()| { selected.set(None); editing.set(true); dialog_open.set(true); })>
                        {move || i18n.t().companies_new}
                    </Button>
                })}
            </Transition>
        </div>
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
                                                editing.set(false);
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
        <Transition fallback=|| ()>
            {move || operator.get().then(|| view! {
                <TypesSection />
            })}
        </Transition>
        <Modal
            open=dialog_open
            title=Signal::derive(move || selected.get().map_or_else(|| i18n.t().companies_new.to_owned(), |c| c.short_name))
            close_label=Signal::derive(move || i18n.t().common_close.to_owned())
        >
            {move || match (selected.get(), editing.get()) {
                (Some(c), false) => {
                    let editable = c.editable;
                    view! {
                        <CompanyDetails company=c />
                        <Show when=move || editable>
                            <div class="mt-4 flex justify-end">
                                <Button variant=ButtonVariant::Secondary test_id="edit-company" on_click=Callback::new(move |()| editing.set(true))>{move || i18n.t().companies_edit}</Button>
                            </div>
                        </Show>
                    }.into_any()
                }
                (company, _) => view! { <CompanyForm company=company operator=operator.get() on_saved=saved /> }.into_any(),
            }}
        </Modal>
    }
}

/// The message for a company error, in the current language.
const COMPANY_FIELDS: &[FieldText] = &[
    ("inn", Some(Invalid::Duplicate), |t| {
        t.companies_error_inn_taken
    }),
    ("inn", None, |t| t.companies_error_inn),
    ("name", Some(Invalid::Taken), |t| {
        t.companies_error_type_taken
    }),
    ("short_name", Some(Invalid::Taken), |t| {
        t.companies_error_type_taken
    }),
    ("name", None, |t| t.companies_error_name),
    ("short_name", None, |t| t.companies_error_name),
    ("time_zone", None, |t| t.companies_error_time_zone),
    ("phone", None, |t| t.companies_error_phone),
    ("email", None, |t| t.companies_error_email),
    ("address", None, |t| t.companies_error_address),
    ("type_id", None, |t| t.companies_error_type),
    ("parent_id", Some(Invalid::Cycle), |t| {
        t.companies_error_parent_cycle
    }),
    ("parent_id", None, |t| t.companies_error_parent),
];

fn company_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, COMPANY_FIELDS)
}

/// Creates a company (operator) or edits one. The company's own administrator sees kind, INN,
/// type and holding read-only.
#[component]
fn CompanyForm(company: Option<Company>, operator: bool, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = company.as_ref().map(|c| c.id);
    let get =
        |f: fn(&Company) -> String| RwSignal::new(company.as_ref().map(f).unwrap_or_default());
    let name = get(|c| c.name.clone());
    let short_name = get(|c| c.short_name.clone());
    let inn = get(|c| c.inn.clone());
    let phone = get(|c| c.phone.clone().unwrap_or_default());
    let email = get(|c| c.email.clone().unwrap_or_default());
    let address = get(|c| c.address.clone().unwrap_or_default());
    let kind = RwSignal::new(
        company
            .as_ref()
            .map_or(CompanyKind::Contractor, |c| c.kind)
            .as_db()
            .to_owned(),
    );
    let type_id = get(|c| c.type_id.map(|t| t.to_string()).unwrap_or_default());
    let parent = get(|c| {
        c.parent
            .as_ref()
            .map(|p| p.0.0.to_string())
            .unwrap_or_default()
    });
    let holding_access = RwSignal::new(company.as_ref().is_some_and(|c| c.holding_access));
    let time_zone = RwSignal::new(
        crate::i18n::Zone::or_default(company.as_ref().map_or("", |c| c.time_zone.as_str()))
            .id
            .to_owned(),
    );
    let has_parent = company.as_ref().is_some_and(|c| c.parent.is_some());
    let types = Resource::new(|| (), |()| company_types());
    let all = Resource::new(|| (), |()| list_companies(String::new()));
    let save = ServerAction::<CompanySave>::new();
    let save_form = use_submit(
        save,
        company_error,
        Some(|t| t.companies_saved),
        move |_| on_saved.run(()),
    );
    let error = save_form.error;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let update = CompanyUpdate {
            id,
            kind: CompanyKind::from_db(&kind.get_untracked()).unwrap_or(CompanyKind::Contractor),
            type_id: type_id.get_untracked().parse().ok(),
            parent_id: parent
                .get_untracked()
                .parse()
                .ok()
                .map(super::model::CompanyId),
            name: name.get_untracked(),
            short_name: short_name.get_untracked(),
            inn: inn.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            address: address.get_untracked(),
            holding_access: holding_access.get_untracked(),
            time_zone: time_zone.get_untracked(),
        };
        save_form.send(update.check().map(|_| CompanySave { update }));
    };
    view! {
        <form class="space-y-3" on:submit=submit novalidate data-testid="company-form">
            <TextField id="c-short" label=label(|t| t.companies_short_name) value=short_name autocomplete="off" />
            <TextField id="c-name" label=label(|t| t.companies_full_name) value=name autocomplete="off" />
            <Show when=move || operator fallback=move || view! {
                <p class="text-sm text-ink-600">{move || i18n.t().companies_operator_fields}</p>
            }>
                <div class="grid gap-3 sm:grid-cols-2">
                    <SelectField id="c-kind" label=label(|t| t.companies_col_kind) value=kind
                        options=Signal::derive(move || CompanyKind::ALL.iter().map(|k| (k.as_db().to_owned(), kind_label(*k, i18n.t()).to_owned())).collect()) />
                    <TextField id="c-inn" label=label(|t| t.companies_col_inn) value=inn inputmode="numeric" autocomplete="off" />
                </div>
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match (types.await, all.await) {
                            (Ok(type_list), Ok(company_list)) => {
                                let type_options = Signal::derive(move || {
                                    let k = kind.get();
                                    let mut v = vec![(String::new(), i18n.t().companies_no_type.to_owned())];
                                    v.extend(type_list.iter().filter(|t| t.kind.as_db() == k).map(|t| (t.id.to_string(), t.name.clone())));
                                    v
                                });
                                let parent_options = Signal::derive(move || {
                                    let mut v = vec![(String::new(), i18n.t().companies_no_parent.to_owned())];
                                    v.extend(company_list.iter().filter(|c| Some(c.id) != id).map(|c| (c.id.0.to_string(), c.short_name.clone())));
                                    v
                                });
                                view! {
                                    <div class="grid gap-3 sm:grid-cols-2">
                                        <SelectField id="c-type" label=label(|t| t.companies_type) value=type_id options=type_options />
                                        <SelectField id="c-parent" label=label(|t| t.companies_parent) value=parent options=parent_options />
                                    </div>
                                }.into_any()
                            }
                            (Err(e), _) | (_, Err(e)) => load_error(e, Callback::new(move |()| { types.refetch(); all.refetch(); })),
                        }
                    })}
                </Transition>
            </Show>
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField id="c-phone" label=label(|t| t.companies_col_phone) value=phone input_type="tel" inputmode="tel" autocomplete="off" />
                <TextField id="c-email" label=label(|t| t.companies_email) value=email input_type="email" autocomplete="off" />
            </div>
            <TextField id="c-address" label=label(|t| t.companies_address) value=address autocomplete="off" />
            <SelectField id="c-zone" label=label(|t| t.companies_time_zone) value=time_zone
                options=Signal::derive(move || crate::i18n::ZONES.iter().map(|z| (z.id.to_owned(), z.label(i18n.locale()))).collect()) />
            <Show when=move || operator || has_parent>
                <label class="flex items-start gap-2 text-sm text-ink-900">
                    <input type="checkbox" class="mt-0.5 size-4 shrink-0 accent-brand-700" data-testid="holding-access"
                        prop:checked=move || holding_access.get()
                        on:change=move |ev| holding_access.set(event_target_checked(&ev)) />
                    <span>{move || i18n.t().companies_holding_access}<span class="block text-ink-600">{move || i18n.t().companies_holding_access_hint}</span></span>
                </label>
            </Show>
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=save.pending() test_id="save-company">{move || i18n.t().companies_save}</Button>
            </div>
        </form>
    }
}

/// The company types of the installation (the platform operator's list).
#[component]
fn TypesSection() -> impl IntoView {
    let i18n = use_i18n();
    let types = Resource::new(|| (), |()| company_types());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(CompanyKind::Contractor.as_db().to_owned());
    let save = ServerAction::<CompanyTypeSave>::new();
    let save_form = use_submit(
        save,
        company_error,
        Some(|t| t.companies_saved),
        move |_| {
            name.set(String::new());
            types.refetch();
        },
    );
    let error = save_form.error;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(CompanyTypeSave {
            update: CompanyTypeUpdate {
                id: None,
                kind: CompanyKind::from_db(&kind.get_untracked())
                    .unwrap_or(CompanyKind::Contractor),
                name: name.get_untracked(),
            },
        });
    };
    view! {
        <section class="mt-8 rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="company-types">
            <h2 class="text-lg font-semibold text-ink-900">{move || i18n.t().companies_types_title}</h2>
            <p class="mt-1 text-sm text-ink-600">{move || i18n.t().companies_types_lead}</p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match types.await {
                        Ok(list) if list.is_empty() => view! { <p class="mt-3 text-sm text-ink-600">{move || i18n.t().companies_types_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-3 flex flex-wrap gap-2">
                                {list.into_iter().map(|t| view! {
                                    <li data-testid="company-type"><Badge tone=kind_tone(t.kind)>{t.name.clone()}" · "{t.companies}</Badge></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => load_error(e, Callback::new(move |()| types.refetch())),
                    }
                })}
            </Transition>
            <form class="mt-4 grid items-end gap-3 sm:grid-cols-[1fr_1fr_auto]" on:submit=submit novalidate>
                <TextField id="type-name" label=label(|t| t.companies_type_name) value=name autocomplete="off" />
                <SelectField id="type-kind" label=label(|t| t.companies_col_kind) value=kind
                    options=Signal::derive(move || CompanyKind::ALL.iter().map(|k| (k.as_db().to_owned(), kind_label(*k, i18n.t()).to_owned())).collect()) />
                <Button button_type="submit" disabled=save.pending() test_id="add-type">{move || i18n.t().companies_add_type}</Button>
            </form>
            <div class="mt-2"><FormError message=error /></div>
        </section>
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
            {company.type_name.clone().map(|n| row(|t| t.companies_type, IconName::Check, Some(view! { <span>{n}</span> }.into_any())))}
            {company.parent.clone().map(|(_, n)| row(|t| t.companies_parent, IconName::Building, Some(view! { <span>{n}</span> }.into_any())))}
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
