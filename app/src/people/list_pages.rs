//! People screens other than the card: the people list with search (`/staff/people`), a new
//! person (`/staff/people/new`, with look-alike warning), the card by phone number
//! (`/staff/people/by-phone/:number`, the screen pop of a call), possible duplicates
//! (`/staff/people/duplicates`), and the people block of the unit page.

use super::api::{
    CreatePerson, MergePeople, list_people, people_by_phone, people_duplicates, people_of_unit,
};
use super::person::{
    CreateOutcome, NewPerson, PeopleFilter, PersonBrief, PersonForm, PersonKind, PhoneInput,
    UnitLinkForm,
};
use super::widgets::{
    PeopleTable, PersonLink, kind_options, people_error, relation_details, relation_options,
    relation_tone, urlencode,
};
use crate::AppError;
use crate::access::Permission;
use crate::buildings::api::buildings_list;
use crate::buildings::model::{BuildingId, UnitId};
use crate::i18n::{fill, format_int, label, use_i18n};
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, FormError, INPUT_CLASS, IconName, LinkButton,
    PageHeader, Section, SelectField, TextField, ToastKind, Tone, load_error, loading, use_toasts,
};
use crate::values::Relation;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

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
