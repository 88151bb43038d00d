//! People screens: the people list with search (`/staff/people`), a new person
//! (`/staff/people/new`, with look-alike warning), the client card (`/staff/people/:id`), the
//! card by phone number (`/staff/people/by-phone/:number`, the screen pop of a call), possible
//! duplicates (`/staff/people/duplicates`), the top-bar search results (`/staff/search`) and the
//! people block of the unit panel in the шахматка.

use super::api::{
    ConsentSet, ConsentWithdraw, CreatePerson, MergePeople, NoteAdd, PersonUnitLink,
    PersonUnitUnlink, UpdatePerson, VehicleAdd, VehicleRemove, get_person_card, list_people,
    people_by_phone, people_duplicates, people_of_unit,
};
use super::model::Relation;
use super::person::{
    ConsentForm, ConsentKind, CreateOutcome, NewPerson, PeopleFilter, PersonBrief, PersonCard,
    PersonForm, PersonHit, PersonId, PersonKind, PhoneInput, SearchField, UnitLinkForm,
    VehicleForm,
};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::buildings::api::buildings_list;
use crate::buildings::model::{BuildingId, UnitId};
use crate::i18n::{Tr, fill, format_date, format_int, label, use_i18n, use_zone};
use crate::ui::Time;
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, FormError, INPUT_CLASS, IconName, LinkButton, Modal,
    PageHeader, Section, SelectField, TD, TR, Table, TableHead, TextField, ToastKind, Tone,
    load_error, loading, use_toasts,
};
use crate::ui::{FieldText, error_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use std::fmt::Write as _;

/// The message for a people error, in the current language.
const PEOPLE_FIELDS: &[FieldText] = &[
    ("last_name", Some(Invalid::Required), |t| {
        t.people_error_name
    }),
    ("organization", Some(Invalid::Required), |t| {
        t.people_error_organization
    }),
    ("phones", None, |t| t.people_error_phone),
    ("phone", None, |t| t.people_error_phone),
    ("emails", None, |t| t.people_error_email),
    ("email", None, |t| t.people_error_email),
    ("share", Some(Invalid::OwnersOnly), |t| {
        t.people_error_share_owner
    }),
    ("share", None, |t| t.people_error_share),
    ("valid_to", Some(Invalid::BeforeStart), |t| {
        t.people_error_period
    }),
    ("valid_from", Some(Invalid::Future), |t| {
        t.people_error_future
    }),
    ("valid_to", Some(Invalid::Future), |t| t.people_error_future),
    ("given_on", Some(Invalid::Future), |t| t.people_error_future),
    ("valid_from", None, |t| t.people_error_date),
    ("valid_to", None, |t| t.people_error_date),
    ("given_on", None, |t| t.people_error_date),
    ("building", None, |t| t.people_error_building),
    ("number", Some(Invalid::NotFound), |t| t.people_error_unit),
    ("unit", None, |t| t.people_error_unit),
    ("number", None, |t| t.unit_error_number),
    ("plate", Some(Invalid::Taken), |t| {
        t.people_error_plate_taken
    }),
    ("plate", None, |t| t.people_error_plate),
    ("body", Some(Invalid::Required), |t| t.people_error_note),
    ("q", Some(Invalid::TooShort), |t| t.people_error_query_short),
    ("*", Some(Invalid::TooLong), |t| t.errors_too_long),
];

pub fn people_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, PEOPLE_FIELDS)
}

/// Owners green and tenants cyan, as in the шахматка's occupancy mode (one palette everywhere).
fn relation_tone(r: Relation) -> Tone {
    match r {
        Relation::Owner => Tone::Success,
        Relation::Tenant => Tone::Info,
        Relation::Occupant | Relation::Representative => Tone::Neutral,
    }
}

fn kind_options(t: &Tr) -> Vec<(String, String)> {
    vec![
        ("person".into(), t.people_kind_person.into()),
        ("organization".into(), t.people_kind_organization.into()),
    ]
}

fn relation_options(t: &Tr) -> Vec<(String, String)> {
    Relation::ALL
        .iter()
        .map(|r| (r.as_db().to_owned(), r.label(t).to_owned()))
        .collect()
}

/// "с 1 февраля 2024 по 31 января 2025", "1/2", or nothing.
pub(crate) fn relation_details(
    t: &Tr,
    locale: crate::i18n::Locale,
    share: Option<&String>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> String {
    let mut parts = Vec::new();
    if let Some(s) = share {
        parts.push(fill(t.people_share_n, &[("share", s)]));
    }
    if let Some(d) = from {
        parts.push(fill(t.people_from, &[("date", &format_date(d, locale))]));
    }
    if let Some(d) = to {
        parts.push(fill(t.people_to, &[("date", &format_date(d, locale))]));
    }
    parts.join(" · ")
}

/// A person's relation as the audit log writes it ("owner #5 1/2 2024-01-01–"): "Собственник ·
/// доля 1/2 · с 01.01.2024". `None` when it does not start with a relation.
pub fn link_text(t: &Tr, locale: crate::i18n::Locale, value: &str) -> Option<String> {
    let mut words = value.split_whitespace();
    let relation = Relation::from_db(words.next()?)?;
    let mut share = None;
    let (mut from, mut to) = (None, None);
    for w in words {
        if w.contains('/') {
            share = Some(w.to_owned());
        } else if let Some((a, b)) = w.split_once('–') {
            from = a.parse().ok();
            to = b.parse().ok();
        }
    }
    let details = relation_details(t, locale, share.as_ref(), from, to);
    let name = relation.label(t);
    Some(if details.is_empty() {
        name.to_owned()
    } else {
        format!("{name} · {details}")
    })
}

/// A card history entry's lines: relations and consents in words, other fields as the audit
/// log's shared table names them.
fn card_change_lines(t: &Tr, locale: crate::i18n::Locale, changes: &str) -> Vec<String> {
    changes
        .lines()
        .map(|line| {
            let (field, change) = line.split_once(": ").unwrap_or(("", line));
            let value = change.rsplit(" → ").next().unwrap_or(change);
            let old = change.split_once(" → ").map(|(o, _)| o);
            if field == "unit" {
                let shown = if value == "∅" {
                    old.unwrap_or(value)
                } else {
                    value
                };
                if let Some(text) = link_text(t, locale, shown) {
                    return format!("{}: {text}", t.audit_field_unit);
                }
            }
            if let Some(kind) = super::person::ConsentKind::from_db(field) {
                return format!("{}: {}", kind.label(t), value.replace("withdrawn ", ""));
            }
            crate::access::audit::change_lines(t, locale, line).join("; ")
        })
        .collect()
}

pub(super) fn matched_label(t: &Tr, f: SearchField) -> &'static str {
    match f {
        SearchField::Name => t.people_matched_name,
        SearchField::Phone => t.people_matched_phone,
        SearchField::Plate => t.people_matched_plate,
        SearchField::Email => t.people_matched_email,
        SearchField::Account => t.people_matched_account,
        SearchField::Unit => t.people_matched_unit,
    }
}

/// A person's name as a link to the card.
#[component]
fn PersonLink(person: PersonBrief) -> impl IntoView {
    let org = person.kind == PersonKind::Organization;
    view! {
        <a href=format!("/staff/people/{}", person.id.0) class="font-medium text-brand-700 hover:underline" data-testid="person-link">
            {person.name}
        </a>
        {org.then(|| view! { <span class="ml-2"><Badge tone=Tone::Neutral>{move || use_i18n().t().people_kind_organization}</Badge></span> })}
    }
}

/// The people list: search by name, phone, plate or e-mail, filter by building, page through.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let building =
        Memo::new(move |_| query.with(|m| m.get("building").and_then(|b| b.parse::<i64>().ok())));
    let page = Memo::new(move |_| {
        query.with(|m| {
            m.get("page")
                .and_then(|b| b.parse::<u32>().ok())
                .unwrap_or(0)
        })
    });
    let people = Resource::new(
        move || (q.get(), building.get(), page.get()),
        |(q, building, page)| {
            list_people(PeopleFilter {
                q,
                building: building.map(BuildingId),
                page,
            })
        },
    );
    let buildings = Resource::new(|| (), |()| buildings_list());
    let can_manage = crate::access::can(Permission::PeopleManage);
    let can_create = crate::access::can(Permission::PeopleCreate);
    let can_import = crate::access::can(Permission::PeopleImport);
    let page_href = move |p: u32| {
        let mut parts = Vec::new();
        if !q.get().is_empty() {
            parts.push(format!("q={}", urlencode(&q.get())));
        }
        if let Some(b) = building.get() {
            parts.push(format!("building={b}"));
        }
        parts.push(format!("page={p}"));
        format!("/staff/people?{}", parts.join("&"))
    };
    view! {
        <Title text=move || i18n.t().people_title />
        <div class="flex flex-wrap items-start justify-between gap-3">
            <PageHeader
                title=Signal::derive(move || i18n.t().people_title.to_owned())
                lead=Signal::derive(move || i18n.t().people_lead.to_owned())
            />
            <Transition fallback=|| ()>
                <div class="flex flex-wrap gap-2">
                    {move || can_import.get().then(|| view! {
                        <LinkButton href="/staff/people/import" variant=ButtonVariant::Secondary test_id="import-link">{move || i18n.t().import_open}</LinkButton>
                    })}
                    {move || can_manage.get().then(|| view! {
                        <LinkButton href="/staff/people/duplicates" variant=ButtonVariant::Secondary test_id="duplicates-link">{move || i18n.t().people_duplicates_title}</LinkButton>
                    })}
                    {move || can_create.get().then(|| view! {
                        <LinkButton href="/staff/people/new" test_id="new-person">{move || i18n.t().people_new}</LinkButton>
                    })}
                </div>
            </Transition>
        </div>
        <Form action="/staff/people" method="get" attr:class="mb-4 flex flex-wrap items-end gap-3" attr:role="search">
            <div class="min-w-0 flex-1 basis-64 space-y-1">
                <label for="people-q" class="block text-sm font-medium text-ink-800">{move || i18n.t().people_search_label}</label>
                <input id="people-q" name="q" type="search" autocomplete="off" prop:value=move || q.get()
                    placeholder=move || i18n.t().people_search_placeholder
                    class=INPUT_CLASS />
            </div>
            <div class="basis-56 space-y-1">
                <label for="people-building" class="block text-sm font-medium text-ink-800">{move || i18n.t().people_building}</label>
                <select id="people-building" name="building"
                    class=INPUT_CLASS>
                    <option value="">{move || i18n.t().people_all_buildings}</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            buildings.await.unwrap_or_default().into_iter().map(|b| {
                                let selected = building.get_untracked() == Some(b.id.0);
                                view! { <option value=b.id.0.to_string() selected=selected>{b.name}</option> }
                            }).collect_view()
                        })}
                    </Transition>
                </select>
            </div>
            <Button button_type="submit" test_id="people-search">{move || i18n.t().people_find}</Button>
        </Form>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match people.await {
                    Ok(p) if p.items.is_empty() => view! {
                        <EmptyState icon=IconName::Users
                            title=Signal::derive(move || i18n.t().people_empty_title.to_owned())
                            text=Signal::derive(move || i18n.t().people_empty_text.to_owned()) />
                    }.into_any(),
                    Ok(p) => {
                        let pages = u32::try_from((p.total + p.page_size - 1) / p.page_size).unwrap_or(1);
                        let current = page.get_untracked();
                        view! {
                            <p class="mb-2 text-sm text-ink-600" data-testid="people-total">
                                {move || fill(i18n.t().people_total, &[("count", &format_int(p.total))])}
                            </p>
                            <PeopleTable items=p.items show_match=!q.get_untracked().is_empty() />
                            <nav class="mt-4 flex items-center justify-between gap-3" aria-label=move || i18n.t().people_pages>
                                {(current > 0).then(|| view! { <a class="text-sm font-medium text-brand-700 hover:underline" href=page_href(current - 1)>"← "{move || i18n.t().people_prev}</a> })}
                                <span class="text-sm text-ink-600">{fill(i18n.t().people_page_n, &[("page", &(current + 1).to_string()), ("pages", &pages.max(1).to_string())])}</span>
                                {(current + 1 < pages).then(|| view! { <a class="text-sm font-medium text-brand-700 hover:underline" href=page_href(current + 1) data-testid="next-page">{move || i18n.t().people_next}" →"</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <FormError message=Signal::derive(move || Some(people_error(&e, i18n.t()))) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

pub(super) fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// People hits as a table, and as a list of cards on phones. `show_match` adds the column that
/// says what matched (search results).
#[component]
pub(super) fn PeopleTable(
    items: Vec<PersonHit>,
    #[prop(optional)] show_match: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let matched_text = move |h: &PersonHit| {
        let (matched, detail) = (h.matched, h.detail.clone());
        move || {
            let l = matched_label(i18n.t(), matched);
            if detail.is_empty() {
                l.to_owned()
            } else {
                format!("{l}: {detail}")
            }
        }
    };
    let cards = items.clone();
    view! {
        <ul class="space-y-2 sm:hidden" data-testid="people-cards">
            {cards.into_iter().map(|h| {
                let units = h.person.units.join(", ");
                let phone = h.person.phone.clone().unwrap_or_default();
                let found = matched_text(&h);
                view! {
                    <li class="rounded-lg bg-white p-3 ring-1 ring-ink-200">
                        <PersonLink person=h.person />
                        <p class="text-sm tabular-nums text-ink-800">{phone}</p>
                        <p class="text-sm text-ink-600">{units}</p>
                        {show_match.then(|| view! { <p class="text-xs text-ink-600">{found}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="hidden sm:block">
            <Table caption=label(|t| t.people_title)>
                <TableHead labels=Signal::derive(move || {
                    let t = i18n.t();
                    let mut l = vec![t.people_col_name, t.people_col_phone, t.people_col_units];
                    if show_match {
                        l.push(t.people_col_found);
                    }
                    l
                }) />
                <tbody data-testid="people-rows">
                    {items.into_iter().map(|h| {
                        let units = h.person.units.join(", ");
                        let phone = h.person.phone.clone().unwrap_or_default();
                        let found = matched_text(&h);
                        view! {
                            <tr class=TR>
                                <td class=TD><PersonLink person=h.person /></td>
                                <td class=format!("{TD} whitespace-nowrap tabular-nums")>{phone}</td>
                                <td class=TD>{units}</td>
                                {show_match.then(|| view! { <td class=format!("{TD} text-ink-600")>{found}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </Table>
        </div>
    }
}

/// A new person: names, phones, e-mails and (optionally, or required for building-scoped staff)
/// the unit. Opened from the list, from a unit (`?unit=`), or from an unknown caller (`?phone=`).
#[component]
pub fn PersonNewPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let unit = query.with_untracked(|m| m.get("unit").and_then(|u| u.parse::<i64>().ok()));
    let unit_label = query.with_untracked(|m| m.get("label").unwrap_or_default());
    let phone0 = query.with_untracked(|m| m.get("phone").unwrap_or_default());
    let buildings = Resource::new(|| (), |()| buildings_list());
    let kind = RwSignal::new("person".to_owned());
    let last = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let middle = RwSignal::new(String::new());
    let org = RwSignal::new(String::new());
    let phone1 = RwSignal::new(phone0);
    let phone2 = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let building = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let relation = RwSignal::new("owner".to_owned());
    let share = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let create = ServerAction::<CreatePerson>::new();
    let local_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(CreateOutcome::Created(id))) = create.value().get() {
            navigate(
                &format!("/staff/people/{}", id.0),
                leptos_router::NavigateOptions::default(),
            );
        }
    });
    let duplicates = Signal::derive(move || match create.value().get() {
        Some(Ok(CreateOutcome::Duplicates(d))) => d,
        _ => Vec::new(),
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            create
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| people_error(&e, i18n.t()))
        })
    });
    let build = move |allow_duplicate: bool| -> Result<NewPerson, AppError> {
        let person = PersonForm {
            kind: PersonKind::from_db(&kind.get_untracked()).unwrap_or(PersonKind::Person),
            last_name: last.get_untracked(),
            first_name: first.get_untracked(),
            middle_name: middle.get_untracked(),
            organization: org.get_untracked(),
            phones: [phone1, phone2]
                .iter()
                .map(|p| PhoneInput {
                    phone: p.get_untracked(),
                    label: String::new(),
                })
                .collect(),
            emails: vec![email.get_untracked()],
        };
        person.check()?;
        let building_id = building.get_untracked().parse::<i64>().ok().map(BuildingId);
        let link = (unit.is_some() || building_id.is_some()).then(|| UnitLinkForm {
            unit_id: unit.map(UnitId),
            building_id,
            number: number.get_untracked(),
            relation: Relation::from_db(&relation.get_untracked()).unwrap_or(Relation::Owner),
            share: share.get_untracked(),
            valid_from: from.get_untracked(),
            valid_to: to.get_untracked(),
        });
        if let Some(l) = &link {
            l.check()?;
        }
        Ok(NewPerson {
            person,
            unit: link,
            allow_duplicate,
        })
    };
    let submit = move |allow: bool| match build(allow) {
        Ok(new) => {
            local_error.set(None);
            create.dispatch(CreatePerson { new });
        }
        Err(e) => local_error.set(Some(people_error(&e, i18n.t()))),
    };
    let is_org = move || kind.get() == "organization";
    let can_create = crate::access::can(Permission::PeopleCreate);
    view! {
        <Title text=move || i18n.t().people_new />
        // Without `people.create` the page says so instead of offering a form that would fail.
        <Transition fallback=loading>
        <Show when=move || can_create.get() fallback=|| view! { <crate::ui::MissingState forbidden=true /> }>
        <div class="mb-3">
            <a href="/staff/people" class="text-sm font-medium text-brand-700 hover:underline">"← "{move || i18n.t().people_back}</a>
        </div>
        <PageHeader
            title=Signal::derive(move || i18n.t().people_new.to_owned())
            lead=Signal::derive(move || i18n.t().people_new_lead.to_owned())
        />
        <form class="max-w-3xl space-y-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" novalidate data-testid="person-form"
            on:submit=move |ev| { ev.prevent_default(); submit(false); }>
            <fieldset class="space-y-3">
                <legend class="text-base font-semibold text-ink-900">{move || i18n.t().people_section_who}</legend>
                <SelectField id="p-kind" label=label(|t| t.people_kind) value=kind options=Signal::derive(move || kind_options(i18n.t())) />
                <Show when=is_org fallback=move || view! {
                    <div class="grid gap-3 sm:grid-cols-3">
                        <TextField id="p-last" label=label(|t| t.people_last_name) value=last autocomplete="off" />
                        <TextField id="p-first" label=label(|t| t.people_first_name) value=first autocomplete="off" />
                        <TextField id="p-middle" label=label(|t| t.people_middle_name) value=middle autocomplete="off" />
                    </div>
                }>
                    <TextField id="p-org" label=label(|t| t.people_organization) value=org autocomplete="off" />
                </Show>
            </fieldset>
            <fieldset class="space-y-3">
                <legend class="text-base font-semibold text-ink-900">{move || i18n.t().people_section_contacts}</legend>
                <div class="grid gap-3 sm:grid-cols-2">
                    <TextField id="p-phone1" label=label(|t| t.people_phone) value=phone1 input_type="tel" inputmode="tel" autocomplete="off"
                        placeholder=label(|t| t.people_phone_placeholder) />
                    <TextField id="p-phone2" label=label(|t| t.people_phone_more) value=phone2 input_type="tel" inputmode="tel" autocomplete="off" />
                    <TextField id="p-email" label=label(|t| t.people_email) value=email input_type="email" inputmode="email" autocomplete="off" />
                </div>
            </fieldset>
            <fieldset class="space-y-3">
                <legend class="text-base font-semibold text-ink-900">{move || i18n.t().people_section_unit}</legend>
                {if unit.is_some() {
                    let l = unit_label.clone();
                    view! { <p class="text-sm text-ink-800" data-testid="fixed-unit">{l}</p> }.into_any()
                } else {
                    view! {
                        <p class="text-sm text-ink-600">{move || i18n.t().people_unit_hint}</p>
                        <div class="grid gap-3 sm:grid-cols-2">
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let all = buildings.await.unwrap_or_default();
                                    view! {
                                        <SelectField id="p-building" label=label(|t| t.people_building) value=building
                                            options=Signal::derive(move || {
                                                let mut o = vec![(String::new(), i18n.t().people_no_unit.to_owned())];
                                                o.extend(all.iter().map(|b| (b.id.0.to_string(), b.name.clone())));
                                                o
                                            }) />
                                    }
                                })}
                            </Transition>
                            <TextField id="p-number" label=label(|t| t.people_unit_number) value=number autocomplete="off" />
                        </div>
                    }.into_any()
                }}
                <div class="grid gap-3 sm:grid-cols-2">
                    <SelectField id="p-relation" label=label(|t| t.people_relation) value=relation options=Signal::derive(move || relation_options(i18n.t())) />
                    <Show when=move || relation.get() == "owner">
                        <TextField id="p-share" label=label(|t| t.people_share) value=share autocomplete="off" hint=label(|t| t.people_share_hint) />
                    </Show>
                    <TextField id="p-from" label=label(|t| t.people_valid_from) value=from input_type="date" />
                    <TextField id="p-to" label=label(|t| t.people_valid_to) value=to input_type="date" />
                </div>
            </fieldset>
            <FormError message=error test_id="person-error" />
            <Show when=move || !duplicates.get().is_empty()>
                <div class="space-y-3 rounded-lg bg-warning-50 p-4 ring-1 ring-warning-200" role="alert" data-testid="duplicates">
                    <p class="text-sm font-medium text-warning-900">{move || i18n.t().people_duplicates_found}</p>
                    <ul class="space-y-1 text-sm">
                        {move || duplicates.get().into_iter().map(|p| {
                            let extra = [p.phone.clone().unwrap_or_default(), p.units.join(", ")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                            view! { <li><PersonLink person=p />" "<span class="text-ink-600">{extra}</span></li> }
                        }).collect_view()}
                    </ul>
                    <Button variant=ButtonVariant::Secondary test_id="create-anyway" on_click=Callback::new(move |()| submit(true))>{move || i18n.t().people_create_anyway}</Button>
                </div>
            </Show>
            <div class="flex justify-end gap-2">
                <LinkButton href="/staff/people" variant=ButtonVariant::Secondary>{move || i18n.t().common_cancel}</LinkButton>
                <Button button_type="submit" disabled=create.pending() test_id="create-person">{move || i18n.t().people_create}</Button>
            </div>
        </form>
        </Show>
        </Transition>
    }
}

/// The client card (`/staff/people/:id`).
#[component]
pub fn PersonCardPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::use_id_param();
    let card = Resource::new(move || id.get(), |id| get_person_card(PersonId(id)));
    let navigate = use_navigate();
    // A merged person's card is the kept one's: show its address.
    Effect::new(move |_| {
        if let Some(Ok(c)) = card.get()
            && c.id.0 != id.get_untracked()
        {
            navigate(
                &format!("/staff/people/{}", c.id.0),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..leptos_router::NavigateOptions::default()
                },
            );
        }
    });
    view! {
        <Title text=move || i18n.t().card_title />
        <div class="mb-3">
            <a href="/staff/people" class="text-sm font-medium text-brand-700 hover:underline">"← "{move || i18n.t().people_back}</a>
        </div>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match card.await {
                    Ok(c) => view! { <CardView card=c on_changed=Callback::new(move |()| card.refetch()) /> }.into_any(),
                    Err(e) => crate::ui::page_load_error(e, Callback::new(move |()| card.refetch())),
                }
            })}
        </Transition>
    }
}

#[component]
fn CardView(card: PersonCard, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = use_zone();
    let editing = RwSignal::new(false);
    let c = StoredValue::new(card.clone());
    let id = card.id;
    let can = card.can_manage;
    let org = card.kind == PersonKind::Organization;
    let name = card.name.clone();
    view! {
        <div class="mb-6 flex flex-wrap items-start justify-between gap-3">
            <div class="min-w-0">
                <h1 class="break-words text-2xl font-bold tracking-tight text-ink-900" data-testid="card-name">{name}</h1>
                <p class="mt-1 flex flex-wrap items-center gap-2 text-sm text-ink-600">
                    {org.then(|| view! { <Badge tone=Tone::Neutral>{move || i18n.t().people_kind_organization}</Badge> })}
                    <span>{move || fill(i18n.t().card_since, &[("date", &format_date(zone.get().date(c.with_value(|c| c.created_at)), i18n.locale()))])}</span>
                    {(!card.personal).then(|| view! { <Badge tone=Tone::Warning>{move || i18n.t().card_masked}</Badge> })}
                </p>
            </div>
            {(can && card.personal).then(|| view! {
                <Button variant=ButtonVariant::Secondary test_id="edit-person" on_click=Callback::new(move |()| editing.set(true))>{move || i18n.t().card_edit}</Button>
            })}
        </div>
        // On a phone the contacts come first (the column order swaps below lg).
        <div class="grid gap-4 lg:grid-cols-3">
            <div class="order-2 space-y-4 lg:order-1 lg:col-span-2">
                <UnitsSection card=card.clone() on_changed=on_changed />
                <NotesSection card=card.clone() on_changed=on_changed />
                <HistorySection card=card.clone() />
            </div>
            <div class="order-1 space-y-4 lg:order-2">
                <ContactsSection card=card.clone() />
                <VehiclesSection card=card.clone() on_changed=on_changed />
                <ConsentsSection card=card.clone() on_changed=on_changed />
                <Section caption=label(|t| t.card_cabinet) test_id="card-cabinet">
                    {if card.accounts.is_empty() {
                        view! { <p class="text-sm text-ink-600">{move || i18n.t().card_cabinet_none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="space-y-2 text-sm">
                                {card.accounts.iter().map(|a| view! {
                                    <li><span class="font-medium text-ink-900">{a.name.clone()}</span>
                                        <span class="block text-ink-600">{a.units.join(", ")}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </Section>
            </div>
        </div>
        <Modal open=editing
            title=Signal::derive(move || i18n.t().card_edit.to_owned())
            close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            <EditPersonForm id=id form=card.form.clone() on_saved=Callback::new(move |()| { editing.set(false); on_changed.run(()); }) />
        </Modal>
    }
}

#[component]
fn ContactsSection(card: PersonCard) -> impl IntoView {
    let i18n = use_i18n();
    let empty = card.phones.is_empty() && card.emails.is_empty();
    view! {
        <Section caption=label(|t| t.card_contacts) test_id="card-contacts">
            {empty.then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().card_contacts_none}</p> })}
            <ul class="space-y-2">
                {card.phones.into_iter().map(|p| {
                    let text = if p.label.is_empty() { p.display.clone() } else { format!("{} · {}", p.display, p.label) };
                    if p.e164.is_empty() {
                        view! { <li class="tabular-nums text-ink-800">{text}</li> }.into_any()
                    } else {
                        view! {
                            <li><a href=format!("tel:{}", p.e164) class="inline-flex min-h-10 items-center font-medium tabular-nums text-brand-700 hover:underline" data-testid="card-phone">{text}</a></li>
                        }.into_any()
                    }
                }).collect_view()}
                {card.emails.into_iter().map(|e| {
                    if card.personal {
                        view! { <li><a href=format!("mailto:{e}") class="break-all text-brand-700 hover:underline">{e.clone()}</a></li> }.into_any()
                    } else {
                        view! { <li class="break-all text-ink-800">{e}</li> }.into_any()
                    }
                }).collect_view()}
            </ul>
        </Section>
    }
}

#[component]
fn UnitsSection(card: PersonCard, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let adding = RwSignal::new(false);
    let unlink = ServerAction::<PersonUnitUnlink>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = unlink.value().get() {
            toasts.push(ToastKind::Success, i18n.t().card_saved);
            on_changed.run(());
        }
    });
    let can = card.can_manage;
    let id = card.id;
    view! {
        <Section caption=label(|t| t.card_units) test_id="card-units">
            {card.units.is_empty().then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().card_units_none}</p> })}
            <ul class="divide-y divide-ink-100">
                {card.units.into_iter().map(|u| {
                    let details = {
                        let u = u.clone();
                        move || relation_details(i18n.t(), i18n.locale(), u.share.as_ref(), u.valid_from, u.valid_to)
                    };
                    let link_id = u.link_id;
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="card-unit">
                            <div class="min-w-0">
                                <a href=format!("/staff/units/{}", u.unit_id.0) class="font-medium text-brand-700 hover:underline">{u.label.clone()}</a>
                                <span class="ml-2"><Badge tone=relation_tone(u.relation)>{move || u.relation.label(i18n.t())}</Badge></span>
                                {(!u.current).then(|| view! { <span class="ml-2"><Badge tone=Tone::Neutral>{move || i18n.t().card_ended}</Badge></span> })}
                                <p class="text-sm text-ink-600">{details}</p>
                            </div>
                            {can.then(|| view! {
                                <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| { unlink.dispatch(PersonUnitUnlink { link: link_id }); })>{move || i18n.t().card_remove}</Button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can.then(|| view! {
                <Show when=move || adding.get() fallback=move || view! {
                    <div class="mt-3"><Button variant=ButtonVariant::Secondary test_id="add-unit" on_click=Callback::new(move |()| adding.set(true))>{move || i18n.t().card_add_unit}</Button></div>
                }>
                    <AddUnitForm id=id on_done=Callback::new(move |()| { adding.set(false); on_changed.run(()); }) />
                </Show>
            })}
        </Section>
    }
}

#[component]
fn AddUnitForm(id: PersonId, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let buildings = Resource::new(|| (), |()| buildings_list());
    let building = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let relation = RwSignal::new("owner".to_owned());
    let share = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let save = ServerAction::<PersonUnitLink>::new();
    let local_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            toasts.push(ToastKind::Success, i18n.t().card_saved);
            on_done.run(());
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            save.value()
                .get()
                .and_then(Result::err)
                .map(|e| people_error(&e, i18n.t()))
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let link = UnitLinkForm {
            unit_id: None,
            building_id: building.get_untracked().parse::<i64>().ok().map(BuildingId),
            number: number.get_untracked(),
            relation: Relation::from_db(&relation.get_untracked()).unwrap_or(Relation::Owner),
            share: share.get_untracked(),
            valid_from: from.get_untracked(),
            valid_to: to.get_untracked(),
        };
        match link.check() {
            Ok(_) => {
                local_error.set(None);
                save.dispatch(PersonUnitLink { id, link });
            }
            Err(e) => local_error.set(Some(people_error(&e, i18n.t()))),
        }
    };
    view! {
        <form class="mt-3 space-y-3 rounded-lg bg-ink-50 p-3" novalidate on:submit=submit data-testid="add-unit-form">
            <div class="grid gap-3 sm:grid-cols-2">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = buildings.await.unwrap_or_default();
                        view! {
                            <SelectField id="au-building" label=label(|t| t.people_building) value=building
                                options=Signal::derive(move || {
                                    let mut o = vec![(String::new(), i18n.t().people_choose_building.to_owned())];
                                    o.extend(list.iter().map(|b| (b.id.0.to_string(), b.name.clone())));
                                    o
                                }) />
                        }
                    })}
                </Transition>
                <TextField id="au-number" label=label(|t| t.people_unit_number) value=number autocomplete="off" />
                <SelectField id="au-relation" label=label(|t| t.people_relation) value=relation options=Signal::derive(move || relation_options(i18n.t())) />
                <Show when=move || relation.get() == "owner">
                    <TextField id="au-share" label=label(|t| t.people_share) value=share autocomplete="off" hint=label(|t| t.people_share_hint) />
                </Show>
                <TextField id="au-from" label=label(|t| t.people_valid_from) value=from input_type="date" />
                <TextField id="au-to" label=label(|t| t.people_valid_to) value=to input_type="date" />
            </div>
            <FormError message=error />
            <div class="flex justify-end gap-2">
                <Button variant=ButtonVariant::Ghost on_click=on_done>{move || i18n.t().common_cancel}</Button>
                <Button button_type="submit" disabled=save.pending() test_id="save-unit-link">{move || i18n.t().card_save}</Button>
            </div>
        </form>
    }
}

#[component]
fn VehiclesSection(card: PersonCard, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let plate = RwSignal::new(String::new());
    let model = RwSignal::new(String::new());
    let add = ServerAction::<VehicleAdd>::new();
    let remove = ServerAction::<VehicleRemove>::new();
    let local_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            toasts.push(ToastKind::Success, i18n.t().card_saved);
            on_changed.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            on_changed.run(());
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            add.value()
                .get()
                .and_then(Result::err)
                .map(|e| people_error(&e, i18n.t()))
        })
    });
    let id = card.id;
    let can = card.can_manage;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vehicle = VehicleForm {
            plate: plate.get_untracked(),
            model: model.get_untracked(),
            color: String::new(),
        };
        match vehicle.check() {
            Ok(_) => {
                local_error.set(None);
                add.dispatch(VehicleAdd { id, vehicle });
            }
            Err(e) => local_error.set(Some(people_error(&e, i18n.t()))),
        }
    };
    view! {
        <Section caption=label(|t| t.card_vehicles) test_id="card-vehicles">
            {card.vehicles.is_empty().then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().card_vehicles_none}</p> })}
            <ul class="space-y-2">
                {card.vehicles.into_iter().map(|v| {
                    let vid = v.id;
                    let extra = [v.model.clone(), v.color.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
                    view! {
                        <li class="flex items-center justify-between gap-2" data-testid="card-vehicle">
                            <span>
                                <span class="rounded-md border border-ink-400 bg-white px-2 py-0.5 font-mono text-sm font-semibold tracking-wide text-ink-900">{v.plate.clone()}</span>
                                <span class="ml-2 text-sm text-ink-600">{extra}</span>
                            </span>
                            {can.then(|| view! {
                                <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| { remove.dispatch(VehicleRemove { vehicle: vid }); })>{move || i18n.t().card_remove}</Button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can.then(|| view! {
                <form class="mt-3 space-y-2" novalidate on:submit=submit data-testid="add-vehicle-form">
                    <div class="grid grid-cols-2 gap-2">
                        <TextField id="v-plate" label=label(|t| t.card_plate) value=plate autocomplete="off" placeholder=label(|t| t.card_plate_placeholder) />
                        <TextField id="v-model" label=label(|t| t.card_vehicle_model) value=model autocomplete="off" />
                    </div>
                    <FormError message=error />
                    <div class="flex justify-end">
                        <Button button_type="submit" variant=ButtonVariant::Secondary disabled=add.pending() test_id="add-vehicle">{move || i18n.t().card_add_vehicle}</Button>
                    </div>
                </form>
            })}
        </Section>
    }
}

#[component]
fn ConsentsSection(card: PersonCard, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let kind = RwSignal::new("personal_data".to_owned());
    let day = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let set = ServerAction::<ConsentSet>::new();
    let withdraw = ServerAction::<ConsentWithdraw>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = set.value().get() {
            toasts.push(ToastKind::Success, i18n.t().card_saved);
            on_changed.run(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = withdraw.value().get() {
            on_changed.run(());
        }
    });
    let error = Signal::derive(move || {
        set.value()
            .get()
            .and_then(Result::err)
            .map(|e| people_error(&e, i18n.t()))
    });
    let id = card.id;
    let can = card.can_manage;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set.dispatch(ConsentSet {
            id,
            consent: ConsentForm {
                kind: ConsentKind::from_db(&kind.get_untracked())
                    .unwrap_or(ConsentKind::PersonalData),
                given_on: day.get_untracked(),
                source: source.get_untracked(),
            },
        });
    };
    view! {
        <Section caption=label(|t| t.card_consents) test_id="card-consents">
            <ul class="space-y-2">
                {ConsentKind::ALL.iter().map(|&k| {
                    let found = card.consents.iter().find(|c| c.kind == k).cloned();
                    let live = found.as_ref().is_some_and(|c| c.withdrawn_on.is_none());
                    let text = {
                        let found = found.clone();
                        move || {
                            let t = i18n.t();
                            let Some(c) = &found else {
                                return t.card_consent_none.to_owned();
                            };
                            if let Some(w) = c.withdrawn_on {
                                return fill(t.card_consent_withdrawn, &[("date", &format_date(w, i18n.locale()))]);
                            }
                            let mut s = fill(t.card_consent_given, &[("date", &format_date(c.given_on, i18n.locale()))]);
                            if !c.source.is_empty() {
                                s.push_str(" · ");
                                s.push_str(&c.source);
                            }
                            s
                        }
                    };
                    view! {
                        <li class="flex items-start justify-between gap-2" data-testid="card-consent">
                            <div>
                                <p class="text-sm font-medium text-ink-900">{move || k.label(i18n.t())}</p>
                                <p class="text-sm text-ink-600">{text}</p>
                            </div>
                            {(can && live).then(|| view! {
                                <Button variant=ButtonVariant::Ghost on_click=Callback::new(move |()| { withdraw.dispatch(ConsentWithdraw { id, kind: k }); })>{move || i18n.t().card_withdraw}</Button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {can.then(|| view! {
                <form class="mt-3 space-y-2 border-t border-ink-100 pt-3" novalidate on:submit=submit data-testid="consent-form">
                    // Two kinds: radio buttons, whose long names wrap in the narrow column
                    // (a select cut them off).
                    <fieldset class="space-y-1">
                        <legend class="mb-1 text-sm font-medium text-ink-800">{move || i18n.t().card_consent_kind}</legend>
                        {ConsentKind::ALL.iter().map(|&k| {
                            let code = k.as_db();
                            let id = format!("c-kind-{code}");
                            let for_id = id.clone();
                            view! {
                                <label for=for_id class="flex items-start gap-2 text-sm text-ink-800">
                                    <input id=id type="radio" name="c-kind" value=code
                                        class="mt-0.5 size-4 shrink-0 border-ink-300 text-brand-700 focus:ring-brand-600"
                                        prop:checked=move || kind.get() == code
                                        on:change=move |_| kind.set(code.to_owned()) />
                                    <span>{move || k.label(i18n.t())}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="grid gap-2 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
                        <TextField id="c-day" label=label(|t| t.card_consent_day) value=day input_type="date" />
                        <TextField id="c-source" label=label(|t| t.card_consent_source) value=source autocomplete="off" placeholder=label(|t| t.card_consent_source_placeholder) />
                    </div>
                    <FormError message=error />
                    <div class="flex justify-end">
                        <Button button_type="submit" variant=ButtonVariant::Secondary disabled=set.pending() test_id="record-consent">{move || i18n.t().card_consent_record}</Button>
                    </div>
                </form>
            })}
        </Section>
    }
}

#[component]
fn NotesSection(card: PersonCard, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let body = RwSignal::new(String::new());
    let add = ServerAction::<NoteAdd>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            body.set(String::new());
            on_changed.run(());
        }
    });
    let error = Signal::derive(move || {
        add.value()
            .get()
            .and_then(Result::err)
            .map(|e| people_error(&e, i18n.t()))
    });
    let id = card.id;
    view! {
        <Section caption=label(|t| t.card_notes) test_id="card-notes">
            {card.can_manage.then(|| view! {
                <form class="mb-3 space-y-2" novalidate data-testid="note-form"
                    on:submit=move |ev| { ev.prevent_default(); add.dispatch(NoteAdd { id, body: body.get_untracked() }); }>
                    <label for="note-body" class="sr-only">{move || i18n.t().card_note_label}</label>
                    <textarea id="note-body" rows="2" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))
                        placeholder=move || i18n.t().card_note_label
                        class=INPUT_CLASS></textarea>
                    <FormError message=error />
                    <div class="flex justify-end">
                        <Button button_type="submit" variant=ButtonVariant::Secondary disabled=add.pending() test_id="add-note">{move || i18n.t().card_add_note}</Button>
                    </div>
                </form>
            })}
            {card.notes.is_empty().then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().card_notes_none}</p> })}
            <ul class="space-y-3">
                {card.notes.into_iter().map(|n| view! {
                    <li class="rounded-lg bg-ink-50 p-3" data-testid="card-note">
                        <p class="whitespace-pre-line text-sm text-ink-900">{n.body.clone()}</p>
                        <p class="mt-1 text-xs text-ink-600">{n.author.clone()}" · "<Time at=n.at /></p>
                    </li>
                }).collect_view()}
            </ul>
        </Section>
    }
}

#[component]
fn HistorySection(card: PersonCard) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Section caption=label(|t| t.card_history) test_id="card-history">
            {card.history.is_empty().then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().card_history_none}</p> })}
            <ol class="space-y-2 text-sm">
                {card.history.into_iter().map(|e| {
                    let action = e.action.clone();
                    view! {
                        <li class="border-l-2 border-ink-200 pl-3">
                            <p class="text-ink-900"><span class="font-medium">{move || crate::access::audit::action_label(i18n.t(), &action)}</span>" · "{e.actor.clone()}</p>
                            <p class="text-xs text-ink-600"><Time at=e.at /></p>
                            {(!e.changes.is_empty()).then(|| { let changes = e.changes.clone(); view! { <ul class="text-xs text-ink-600">{move || card_change_lines(i18n.t(), i18n.locale(), &changes).into_iter().map(|l| view! { <li class="break-words">{l}</li> }).collect_view()}</ul> } })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </Section>
    }
}

/// Edits names, phones (up to five) and e-mails (up to five).
#[component]
fn EditPersonForm(id: PersonId, form: PersonForm, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let kind = RwSignal::new(form.kind.as_db().to_owned());
    let last = RwSignal::new(form.last_name.clone());
    let first = RwSignal::new(form.first_name.clone());
    let middle = RwSignal::new(form.middle_name.clone());
    let org = RwSignal::new(form.organization.clone());
    let phone_text = RwSignal::new(
        form.phones
            .iter()
            .map(|p| crate::i18n::format_phone(&p.phone))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let email_text = RwSignal::new(form.emails.join("\n"));
    let save = ServerAction::<UpdatePerson>::new();
    let local_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            toasts.push(ToastKind::Success, i18n.t().card_saved);
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            save.value()
                .get()
                .and_then(Result::err)
                .map(|e| people_error(&e, i18n.t()))
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let person = PersonForm {
            kind: PersonKind::from_db(&kind.get_untracked()).unwrap_or(PersonKind::Person),
            last_name: last.get_untracked(),
            first_name: first.get_untracked(),
            middle_name: middle.get_untracked(),
            organization: org.get_untracked(),
            phones: phone_text
                .get_untracked()
                .lines()
                .map(|l| PhoneInput {
                    phone: l.to_owned(),
                    label: String::new(),
                })
                .collect(),
            emails: email_text
                .get_untracked()
                .lines()
                .map(str::to_owned)
                .collect(),
        };
        match person.check() {
            Ok(_) => {
                local_error.set(None);
                save.dispatch(UpdatePerson { id, person });
            }
            Err(e) => local_error.set(Some(people_error(&e, i18n.t()))),
        }
    };
    view! {
        <form class="space-y-3" novalidate on:submit=submit data-testid="edit-person-form">
            <SelectField id="e-kind" label=label(|t| t.people_kind) value=kind options=Signal::derive(move || kind_options(i18n.t())) />
            <Show when=move || kind.get() == "organization" fallback=move || view! {
                <div class="grid gap-3 sm:grid-cols-3">
                    <TextField id="e-last" label=label(|t| t.people_last_name) value=last autocomplete="off" />
                    <TextField id="e-first" label=label(|t| t.people_first_name) value=first autocomplete="off" />
                    <TextField id="e-middle" label=label(|t| t.people_middle_name) value=middle autocomplete="off" />
                </div>
            }>
                <TextField id="e-org" label=label(|t| t.people_organization) value=org autocomplete="off" />
            </Show>
            <div class="space-y-1">
                <label for="e-phones" class="block text-sm font-medium text-ink-800">{move || i18n.t().card_phones_label}</label>
                <textarea id="e-phones" rows="3" class=INPUT_CLASS prop:value=move || phone_text.get() on:input=move |ev| phone_text.set(event_target_value(&ev))></textarea>
                <p class="text-sm text-ink-600">{move || i18n.t().card_one_per_line}</p>
            </div>
            <div class="space-y-1">
                <label for="e-emails" class="block text-sm font-medium text-ink-800">{move || i18n.t().card_emails_label}</label>
                <textarea id="e-emails" rows="2" class=INPUT_CLASS prop:value=move || email_text.get() on:input=move |ev| email_text.set(event_target_value(&ev))></textarea>
            </div>
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=save.pending() test_id="save-person">{move || i18n.t().card_save}</Button>
            </div>
        </form>
    }
}

/// The card by phone number: one person opens at once; several are listed; nobody offers a new
/// person with this number.
#[component]
pub fn ByPhonePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let number = Memo::new(move |_| params.with(|p| p.get("number").unwrap_or_default()));
    let found = Resource::new(move || number.get(), people_by_phone);
    let can_create = crate::access::can(Permission::PeopleCreate);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(list)) = found.get()
            && let [only] = list.as_slice()
        {
            navigate(
                &format!("/staff/people/{}", only.id.0),
                leptos_router::NavigateOptions {
                    replace: true,
                    ..leptos_router::NavigateOptions::default()
                },
            );
        }
    });
    view! {
        <Title text=move || i18n.t().people_by_phone_title />
        <PageHeader
            title=Signal::derive(move || fill(i18n.t().people_by_phone_title_n, &[("phone", &crate::values::Phone::parse(&number.get()).map_or_else(|_| number.get(), |p| p.display()))]))
            lead=Signal::derive(move || i18n.t().people_by_phone_lead.to_owned())
        />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(list) if list.is_empty() => {
                        let href = format!("/staff/people/new?phone={}", urlencode(&number.get_untracked()));
                        view! {
                            <EmptyState icon=IconName::User
                                title=Signal::derive(move || i18n.t().people_by_phone_none.to_owned())
                                text=Signal::derive(move || i18n.t().people_by_phone_none_text.to_owned())>
                                {move || can_create.get().then(|| view! {
                                    <LinkButton href=href.clone() test_id="create-from-phone">{move || i18n.t().people_new}</LinkButton>
                                })}
                            </EmptyState>
                        }.into_any()
                    }
                    Ok(list) => view! {
                        <ul class="space-y-2" data-testid="by-phone-list">
                            {list.into_iter().map(|p| {
                                let units = p.units.join(", ");
                                view! { <li class="rounded-lg bg-white p-3 ring-1 ring-ink-200"><PersonLink person=p /><p class="text-sm text-ink-600">{units}</p></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <FormError message=Signal::derive(move || Some(people_error(&e, i18n.t()))) /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Likely duplicates side by side, each pair with "merge into the left one".
#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let pairs = Resource::new(|| (), |()| people_duplicates());
    let merge = ServerAction::<MergePeople>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = merge.value().get() {
            toasts.push(ToastKind::Success, i18n.t().people_merged);
            pairs.refetch();
        }
    });
    view! {
        <Title text=move || i18n.t().people_duplicates_title />
        <div class="mb-3">
            <a href="/staff/people" class="text-sm font-medium text-brand-700 hover:underline">"← "{move || i18n.t().people_back}</a>
        </div>
        <PageHeader
            title=Signal::derive(move || i18n.t().people_duplicates_title.to_owned())
            lead=Signal::derive(move || i18n.t().people_duplicates_lead.to_owned())
        />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match pairs.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon=IconName::Users
                            title=Signal::derive(move || i18n.t().people_duplicates_none.to_owned())
                            text=Signal::derive(move || i18n.t().people_duplicates_none_text.to_owned()) />
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="space-y-3" data-testid="duplicate-pairs">
                            {list.into_iter().map(|(a, b)| {
                                let (keep, other) = (a.id, b.id);
                                let side = |p: PersonBrief| {
                                    let extra = [p.phone.clone().unwrap_or_default(), p.units.join(", ")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                                    view! { <div class="min-w-0 flex-1"><PersonLink person=p /><p class="text-sm text-ink-600">{extra}</p></div> }
                                };
                                view! {
                                    <li class="flex flex-wrap items-center gap-3 rounded-xl bg-white p-4 ring-1 ring-ink-200" data-testid="duplicate-pair">
                                        {side(a)}
                                        {side(b)}
                                        <Button variant=ButtonVariant::Secondary test_id="merge" disabled=merge.pending()
                                            on_click=Callback::new(move |()| { merge.dispatch(MergePeople { keep, other }); })>{move || i18n.t().people_merge}</Button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| pairs.refetch())),
                }
            })}
        </Transition>
    }
}

/// The registry's people of a unit, on the unit page, with "add a person here".
#[component]
pub fn UnitPeoplePanel(unit: UnitId, unit_label: String) -> impl IntoView {
    let i18n = use_i18n();
    let people = Resource::new(move || unit, people_of_unit);
    let can_create = crate::access::can(Permission::PeopleCreate);
    let add_href = format!(
        "/staff/people/new?unit={}&label={}",
        unit.0,
        urlencode(&unit_label)
    );
    view! {
        <Section caption=label(|t| t.unit_people_title) test_id="unit-people">
            <Transition fallback=loading>
                {move || {
                    let add_href = add_href.clone();
                    Suspend::new(async move {
                        match people.await {
                            Ok(p) => view! {
                                {p.people.is_empty().then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().unit_people_none}</p> })}
                                <ul class="divide-y divide-ink-100">
                                    {p.people.into_iter().map(|up| {
                                        let details = {
                                            let up = up.clone();
                                            move || relation_details(i18n.t(), i18n.locale(), up.share.as_ref(), up.valid_from, up.valid_to)
                                        };
                                        let phone = up.person.phone.clone().unwrap_or_default();
                                        view! {
                                            <li class="py-2 text-sm" data-testid="unit-person">
                                                <PersonLink person=up.person />
                                                <span class="ml-2"><Badge tone=relation_tone(up.relation)>{move || up.relation.label(i18n.t())}</Badge></span>
                                                {(!up.current).then(|| view! { <span class="ml-2"><Badge tone=Tone::Neutral>{move || i18n.t().card_ended}</Badge></span> })}
                                                <p class="text-ink-600">{phone}" "{details}</p>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {
                                    let can_manage = p.can_manage;
                                    move || (can_manage || can_create.get()).then(|| view! {
                                        <LinkButton href=add_href.clone() variant=ButtonVariant::Secondary test_id="unit-add-person">{move || i18n.t().unit_people_add}</LinkButton>
                                    })
                                }
                            }.into_any(),
                            Err(e) => view! { <FormError message=Signal::derive(move || Some(e.describe(i18n.t()))) /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </Section>
    }
}
