//! The client card (`/staff/people/:id`): contacts, units, vehicles, consents, notes, the
//! history, and the edit form.

use super::api::{
    ConsentSet, ConsentWithdraw, NoteAdd, PersonUnitLink, PersonUnitUnlink, UpdatePerson,
    VehicleAdd, VehicleRemove, get_person_card,
};
use super::person::{
    ConsentForm, ConsentKind, PersonCard, PersonForm, PersonId, PersonKind, PhoneInput,
    UnitLinkForm, VehicleForm,
};
use super::widgets::{
    kind_options, link_text, people_error, relation_details, relation_options, relation_tone,
};
use crate::buildings::api::buildings_list;
use crate::buildings::model::BuildingId;
use crate::i18n::{Tr, fill, format_date, label, use_i18n, use_zone};
use crate::ui::Time;
use crate::ui::{
    Badge, Button, ButtonVariant, FormError, INPUT_CLASS, Modal, Section, SelectField, TextField,
    ToastKind, Tone, loading, use_toasts,
};
use crate::values::Relation;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

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
