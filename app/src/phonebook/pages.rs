//! The phonebook screen (`/staff/phonebook`): search by name, organisation or phone, filter by
//! category and building, one-tap calls; managers add, edit and delete entries.

use super::api::{PhonebookDelete, PhonebookSave, phonebook_list};
use super::model::{Category, Entry, EntryForm, PhonebookFilter};
use crate::AppError;
use crate::Invalid;
use crate::access::Permission;
use crate::buildings::api::buildings_list;
use crate::buildings::model::BuildingId;
use crate::i18n::{Tr, label, use_i18n};
use crate::people::person::PhoneInput;
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, FormError, INPUT_CLASS, Icon, IconName, Modal,
    PageHeader, SelectField, TextField, ToastKind, Tone, load_error, loading, use_toasts,
};
use crate::ui::{FieldText, error_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The message for a phonebook error, in the current language.
const ENTRY_FIELDS: &[FieldText] = &[
    ("name", Some(Invalid::Required), |t| t.phonebook_error_name),
    ("phones", Some(Invalid::Required), |t| {
        t.phonebook_error_no_phone
    }),
    ("phones", None, |t| t.people_error_phone),
    ("email", None, |t| t.people_error_email),
    ("buildings", Some(Invalid::OutOfReach), |t| {
        t.phonebook_error_reach
    }),
    ("*", Some(Invalid::TooLong), |t| t.errors_too_long),
];

fn entry_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, ENTRY_FIELDS)
}

fn category_tone(c: Category) -> Tone {
    match c {
        Category::Emergency => Tone::Danger,
        Category::Contractor => Tone::Info,
        Category::Utility => Tone::Warning,
        Category::Government | Category::Staff | Category::Other => Tone::Neutral,
    }
}

/// The phonebook page.
#[component]
pub fn PhonebookPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let category =
        Memo::new(move |_| query.with(|m| m.get("category").and_then(|c| Category::from_db(&c))));
    let building =
        Memo::new(move |_| query.with(|m| m.get("building").and_then(|b| b.parse::<i64>().ok())));
    let entries = Resource::new(
        move || (q.get(), category.get(), building.get()),
        |(q, category, building)| {
            phonebook_list(PhonebookFilter {
                q,
                category,
                building: building.map(BuildingId),
            })
        },
    );
    let buildings = Resource::new(|| (), |()| buildings_list());
    let can_manage = crate::access::can(Permission::PhonebookManage);
    // The dialog edits `editing`; opening sets both, closing the dialog clears the form.
    let editing = RwSignal::new(None::<EntryForm>);
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if !open.get() && editing.with_untracked(Option::is_some) {
            editing.set(None);
        }
    });
    view! {
        <Title text=move || i18n.t().phonebook_title />
        <div class="flex flex-wrap items-start justify-between gap-3">
            <PageHeader
                title=Signal::derive(move || i18n.t().phonebook_title.to_owned())
                lead=Signal::derive(move || i18n.t().phonebook_lead.to_owned())
            />
            <Transition fallback=|| ()>
                {move || can_manage.get().then(|| view! {
                    <Button test_id="new-entry" on_click=Callback::new(move |()| { open.set(true); editing.set(Some(EntryForm {
                        id: None,
                        category: Category::Contractor,
                        name: String::new(),
                        organization: String::new(),
                        title: String::new(),
                        phones: vec![],
                        email: String::new(),
                        note: String::new(),
                        buildings: vec![],
                        work_areas: vec![],
                    })); })>{move || i18n.t().phonebook_new}</Button>
                })}
            </Transition>
        </div>
        <Form action="/staff/phonebook" method="get" attr:class="mb-4 flex flex-wrap items-end gap-3" attr:role="search">
            <div class="min-w-0 flex-1 basis-64 space-y-1">
                <label for="pb-q" class="block text-sm font-medium text-ink-800">{move || i18n.t().phonebook_search_label}</label>
                <input id="pb-q" name="q" type="search" autocomplete="off" prop:value=move || q.get()
                    placeholder=move || i18n.t().phonebook_search_placeholder class=INPUT_CLASS />
            </div>
            <div class="basis-48 space-y-1">
                <label for="pb-category" class="block text-sm font-medium text-ink-800">{move || i18n.t().phonebook_category}</label>
                <select id="pb-category" name="category" class=INPUT_CLASS>
                    <option value="">{move || i18n.t().phonebook_all_categories}</option>
                    {Category::ALL.iter().map(|c| {
                        let selected = category.get_untracked() == Some(*c);
                        view! { <option value=c.as_db() selected=selected>{move || c.label(i18n.t())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="basis-48 space-y-1">
                <label for="pb-building" class="block text-sm font-medium text-ink-800">{move || i18n.t().people_building}</label>
                <select id="pb-building" name="building" class=INPUT_CLASS>
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
            <Button button_type="submit" test_id="phonebook-search">{move || i18n.t().people_find}</Button>
        </Form>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon=IconName::Phone
                            title=Signal::derive(move || i18n.t().phonebook_empty_title.to_owned())
                            text=Signal::derive(move || i18n.t().phonebook_empty_text.to_owned()) />
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="grid gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="phonebook">
                            {list.into_iter().map(|e| view! { <EntryCard entry=e editing=editing open=open on_deleted=Callback::new(move |()| entries.refetch()) /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| entries.refetch())),
                }
            })}
        </Transition>
        <Modal open=open
            title=Signal::derive(move || if editing.get().and_then(|e| e.id).is_some() { i18n.t().phonebook_edit.to_owned() } else { i18n.t().phonebook_new.to_owned() })
            close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            {move || editing.get().map(|form| view! {
                <EntryEditor form=form buildings=buildings on_saved=Callback::new(move |()| { open.set(false); entries.refetch(); }) />
            })}
        </Modal>
    }
}

#[component]
fn EntryCard(
    entry: Entry,
    editing: RwSignal<Option<EntryForm>>,
    open: RwSignal<bool>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let delete = ServerAction::<PhonebookDelete>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            toasts.push(ToastKind::Success, i18n.t().phonebook_deleted);
            on_deleted.run(());
        }
    });
    let category = entry.category;
    let id = entry.id;
    let form = entry.form.clone();
    let subtitle = [entry.organization.clone(), entry.title.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let places = entry.places.join(", ");
    view! {
        <li class="flex flex-col gap-2 rounded-xl bg-white p-4 shadow-sm ring-1 ring-ink-200" data-testid="phonebook-entry">
            <div class="flex items-start justify-between gap-2">
                <div class="min-w-0">
                    <p class="break-words font-semibold text-ink-900">{entry.name.clone()}</p>
                    {(!subtitle.is_empty()).then(|| view! { <p class="text-sm text-ink-700">{subtitle.clone()}</p> })}
                </div>
                <Badge tone=category_tone(category)>{move || category.label(i18n.t())}</Badge>
            </div>
            <ul class="flex flex-wrap gap-2">
                {entry.phones.iter().map(|p| view! {
                    <li>
                        <a href=format!("tel:{}", p.e164) data-testid="phonebook-call"
                            class="inline-flex min-h-11 items-center gap-2 rounded-lg bg-brand-50 px-3 font-medium tabular-nums text-brand-800 ring-1 ring-inset ring-brand-200 hover:bg-brand-100">
                            <Icon name=IconName::Phone class="size-4" />{p.display.clone()}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
            {(!entry.email.is_empty()).then(|| view! {
                <a href=format!("mailto:{}", entry.email) class="break-all text-sm text-brand-700 hover:underline">{entry.email.clone()}</a>
            })}
            {(!entry.note.is_empty()).then(|| view! { <p class="text-sm text-ink-700">{entry.note.clone()}</p> })}
            <p class="text-xs text-ink-600">
                {move || if places.is_empty() { i18n.t().phonebook_whole_company.to_owned() } else { places.clone() }}
            </p>
            {entry.can_manage.then(|| view! {
                <div class="mt-auto flex justify-end gap-2">
                    <Button variant=ButtonVariant::Ghost test_id="edit-entry" on_click=Callback::new(move |()| { open.set(true); editing.set(Some(form.clone())); })>{move || i18n.t().card_edit}</Button>
                    <Button variant=ButtonVariant::DangerOutline test_id="delete-entry" disabled=delete.pending()
                        on_click=Callback::new(move |()| { delete.dispatch(PhonebookDelete { id }); })>{move || i18n.t().phonebook_delete}</Button>
                </div>
            })}
        </li>
    }
}

#[component]
fn EntryEditor(
    form: EntryForm,
    buildings: Resource<Result<Vec<crate::buildings::model::BuildingSummary>, AppError>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let id = form.id;
    let category = RwSignal::new(form.category.as_db().to_owned());
    let name = RwSignal::new(form.name.clone());
    let organization = RwSignal::new(form.organization.clone());
    let title = RwSignal::new(form.title.clone());
    let phones = RwSignal::new(
        form.phones
            .iter()
            .map(|p| crate::i18n::format_phone(&p.phone))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let email = RwSignal::new(form.email.clone());
    let note = RwSignal::new(form.note.clone());
    let chosen = RwSignal::new(form.buildings.iter().map(|b| b.0).collect::<Vec<_>>());
    let work_areas = form.work_areas.clone();
    let save = ServerAction::<PhonebookSave>::new();
    let local_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            toasts.push(ToastKind::Success, i18n.t().card_saved);
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            save.value()
                .get()
                .and_then(Result::err)
                .map(|e| entry_error(&e, i18n.t()))
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entry = EntryForm {
            id,
            category: Category::from_db(&category.get_untracked()).unwrap_or(Category::Other),
            name: name.get_untracked(),
            organization: organization.get_untracked(),
            title: title.get_untracked(),
            phones: phones
                .get_untracked()
                .lines()
                .map(|l| PhoneInput {
                    phone: l.to_owned(),
                    label: String::new(),
                })
                .collect(),
            email: email.get_untracked(),
            note: note.get_untracked(),
            buildings: chosen.get_untracked().into_iter().map(BuildingId).collect(),
            work_areas: work_areas.clone(),
        };
        match entry.check() {
            Ok(_) => {
                local_error.set(None);
                save.dispatch(PhonebookSave { entry });
            }
            Err(e) => local_error.set(Some(entry_error(&e, i18n.t()))),
        }
    };
    view! {
        <form class="space-y-3" novalidate on:submit=submit data-testid="entry-form">
            <SelectField id="pe-category" label=label(|t| t.phonebook_category) value=category
                options=Signal::derive(move || Category::ALL.iter().map(|c| (c.as_db().to_owned(), c.label(i18n.t()).to_owned())).collect()) />
            <TextField id="pe-name" label=label(|t| t.phonebook_name) value=name autocomplete="off" />
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField id="pe-org" label=label(|t| t.phonebook_organization) value=organization autocomplete="off" />
                <TextField id="pe-title" label=label(|t| t.phonebook_contact_title) value=title autocomplete="off" />
            </div>
            <div class="space-y-1">
                <label for="pe-phones" class="block text-sm font-medium text-ink-800">{move || i18n.t().card_phones_label}</label>
                <textarea id="pe-phones" rows="2" class=INPUT_CLASS prop:value=move || phones.get() on:input=move |ev| phones.set(event_target_value(&ev))></textarea>
                <p class="text-sm text-ink-600">{move || i18n.t().phonebook_phones_hint}</p>
            </div>
            <TextField id="pe-email" label=label(|t| t.people_email) value=email input_type="email" autocomplete="off" />
            <div class="space-y-1">
                <label for="pe-note" class="block text-sm font-medium text-ink-800">{move || i18n.t().phonebook_note}</label>
                <textarea id="pe-note" rows="2" class=INPUT_CLASS prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <fieldset class="space-y-1">
                <legend class="text-sm font-medium text-ink-800">{move || i18n.t().phonebook_places}</legend>
                <p class="text-sm text-ink-600">{move || i18n.t().phonebook_places_hint}</p>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        buildings.await.unwrap_or_default().into_iter().map(|b| {
                            let bid = b.id.0;
                            view! {
                                <label class="flex min-h-10 items-center gap-2 text-sm text-ink-800">
                                    <input type="checkbox" class="size-4 shrink-0" prop:checked=move || chosen.get().contains(&bid)
                                        on:change=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == bid) { c.remove(i); } else { c.push(bid); }) />
                                    {b.name}
                                </label>
                            }
                        }).collect_view()
                    })}
                </Transition>
            </fieldset>
            <FormError message=error test_id="entry-error" />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=save.pending() test_id="save-entry">{move || i18n.t().card_save}</Button>
            </div>
        </form>
    }
}
