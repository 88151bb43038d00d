//! Screens of residents' links to units: the unit's residents and invitations (in the unit
//! panel of the building grid), the claims queue for staff, and the resident's own units with
//! the claim form in the cabinet.

use super::api::{
    AcceptMyInvitations, ClaimDecide, ClaimUnit, InvitationRevoke, InviteResident, LinkEnd,
    claim_buildings, get_unit_residents, my_invitations, my_units, pending_claims,
};
use super::model::{LinkInfo, LinkStatus, MyUnit, NewClaim, NewInvitation};
use crate::AppError;
use crate::Invalid;
use crate::buildings::model::{BuildingId, UnitId};
use crate::i18n::{Tr, format_date, format_phone, label, use_i18n};
use crate::ui::{
    Badge, Button, ButtonVariant, FormError, Section, SelectField, TextField, ToastKind, Tone,
    load_error, loading, use_toasts,
};
use crate::ui::{FieldText, error_text};
use crate::values::Relation;
use leptos::prelude::*;

/// The message for a links error, in the current language.
const LINK_FIELDS: &[FieldText] = &[
    ("phone", None, |t| t.residents_error_phone),
    ("name", None, |t| t.residents_error_name),
    ("number", Some(Invalid::Unknown), |t| {
        t.residents_error_unknown_unit
    }),
    ("number", None, |t| t.unit_error_number),
    ("note", None, |t| t.residents_error_note),
    ("public_url", None, |t| t.residents_error_public_url),
];

pub fn link_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, LINK_FIELDS)
}

fn relation_options(t: &Tr) -> Vec<(String, String)> {
    Relation::ALL
        .iter()
        .map(|r| (r.as_db().to_owned(), r.label(t).to_owned()))
        .collect()
}

/// A link's status as the resident reads it in the cabinet.
fn my_status_badge(status: LinkStatus, t: &'static Tr) -> impl IntoView + use<> {
    let (tone, label) = match status {
        LinkStatus::Active => (Tone::Success, t.residents_mine_active),
        LinkStatus::Pending => (Tone::Warning, t.residents_mine_pending),
        LinkStatus::Rejected => (Tone::Danger, t.residents_status_rejected),
        LinkStatus::Ended => (Tone::Neutral, t.residents_status_ended),
    };
    view! { <Badge tone=tone>{label}</Badge> }
}

fn status_badge(status: LinkStatus, t: &'static Tr) -> impl IntoView + use<> {
    let (tone, label) = match status {
        LinkStatus::Active => (Tone::Success, t.residents_status_active),
        LinkStatus::Pending => (Tone::Warning, t.residents_status_pending),
        LinkStatus::Rejected => (Tone::Danger, t.residents_status_rejected),
        LinkStatus::Ended => (Tone::Neutral, t.residents_status_ended),
    };
    view! { <Badge tone=tone>{label}</Badge> }
}

/// Residents' claims waiting for confirmation, with "confirm" and "decline".
#[component]
pub fn ClaimsQueue() -> impl IntoView {
    let i18n = use_i18n();
    let claims = Resource::new(|| (), |()| pending_claims());
    let decide = ServerAction::<ClaimDecide>::new();
    let toasts = use_toasts();
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(())) => {
            toasts.push(ToastKind::Success, i18n.t().residents_decided);
            claims.refetch();
        }
        Some(Err(e)) => toasts.push(ToastKind::Error, link_error(&e, i18n.t())),
        None => {}
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match claims.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <section class="mb-6 rounded-xl bg-warning-50 p-4 ring-1 ring-warning-300" data-testid="claims">
                            <h2 class="font-semibold text-warning-900">{move || i18n.t().residents_claims_title}</h2>
                            <p class="mt-0.5 text-sm text-ink-700">{move || i18n.t().residents_claims_lead}</p>
                            <ul class="mt-3 space-y-2">
                                {list.into_iter().map(|c| {
                                    let id = c.id;
                                    view! {
                                        <li class="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-white p-3 ring-1 ring-ink-200" data-testid="claim">
                                            <div class="min-w-0 text-sm">
                                                <p class="font-medium text-ink-900">{c.name.clone()}" · "{format_phone(&c.phone)}</p>
                                                <p class="text-ink-700">{c.unit_label.clone()}" · "{move || c.relation.label(i18n.t())}</p>
                                                {(!c.note.is_empty()).then(|| view! { <p class="text-ink-600">"«"{c.note.clone()}"»"</p> })}
                                            </div>
                                            <div class="flex gap-2">
                                                <Button test_id="claim-accept" disabled=decide.pending()
                                                    on_click=Callback::new(move |()| { decide.dispatch(ClaimDecide { id, accept: true }); })>
                                                    {move || i18n.t().residents_confirm}
                                                </Button>
                                                <Button variant=ButtonVariant::Secondary test_id="claim-reject" disabled=decide.pending()
                                                    on_click=Callback::new(move |()| { decide.dispatch(ClaimDecide { id, accept: false }); })>
                                                    {move || i18n.t().residents_decline}
                                                </Button>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| claims.refetch())),
                }
            })}
        </Transition>
    }
}

/// The residents of a unit, open invitations, and the invitation form.
#[component]
pub fn UnitResidentsPanel(unit: UnitId) -> impl IntoView {
    let i18n = use_i18n();
    let zone = crate::i18n::use_zone();
    let toasts = use_toasts();
    let residents = Resource::new(move || unit, get_unit_residents);
    let revoke = ServerAction::<InvitationRevoke>::new();
    let end = ServerAction::<LinkEnd>::new();
    let decide = ServerAction::<ClaimDecide>::new();
    Effect::new(move |_| {
        let results = [
            revoke.value().get(),
            end.value().get(),
            decide.value().get(),
        ];
        for r in results.into_iter().flatten() {
            match r {
                Ok(()) => residents.refetch(),
                Err(e) => toasts.push(ToastKind::Error, link_error(&e, i18n.t())),
            }
        }
    });
    view! {
        <Section caption=label(|t| t.residents_title) test_id="unit-residents">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match residents.await {
                        Ok(r) => {
                            let can_manage = r.can_manage;
                            let empty = r.links.is_empty() && r.invitations.is_empty();
                            view! {
                                {empty.then(|| view! { <p class="text-sm text-ink-600">{move || i18n.t().residents_none}</p> })}
                                <ul class="divide-y divide-ink-100">
                                    {r.links.into_iter().map(|l| view! { <LinkRow link=l can_manage=can_manage end=end decide=decide /> }).collect_view()}
                                    {r.invitations.into_iter().map(|inv| {
                                        let id = inv.id;
                                        view! {
                                            <li class="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="invitation">
                                                <div class="min-w-0">
                                                    <p class="font-medium text-ink-900">{inv.name.clone()}" · "{format_phone(&inv.phone)}</p>
                                                    <p class="text-ink-600">
                                                        {move || inv.relation.label(i18n.t())}" · "
                                                        {move || crate::i18n::fill(i18n.t().residents_invited_until, &[("date", &format_date(zone.get().date(inv.expires_at), i18n.locale()))])}
                                                    </p>
                                                </div>
                                                <div class="flex items-center gap-2">
                                                    <Badge tone=Tone::Info>{move || i18n.t().residents_status_invited}</Badge>
                                                    <Show when=move || can_manage>
                                                        <Button variant=ButtonVariant::Secondary disabled=revoke.pending()
                                                            on_click=Callback::new(move |()| { revoke.dispatch(InvitationRevoke { id }); })>
                                                            {move || i18n.t().residents_revoke}
                                                        </Button>
                                                    </Show>
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                {can_manage.then(|| view! { <InviteForm unit=unit on_done=Callback::new(move |()| residents.refetch()) /> })}
                            }.into_any()
                        }
                        Err(e) => load_error(e, Callback::new(move |()| residents.refetch())),
                    }
                })}
            </Transition>
        </Section>
    }
}

#[component]
fn LinkRow(
    link: LinkInfo,
    can_manage: bool,
    end: ServerAction<LinkEnd>,
    decide: ServerAction<ClaimDecide>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = link.id;
    let status = link.status;
    view! {
        <li class="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-testid="resident-link">
            <div class="min-w-0">
                <p class="font-medium text-ink-900">{link.name.clone()}" · "{format_phone(&link.phone)}</p>
                <p class="text-ink-600">
                    {move || link.relation.label(i18n.t())}" · "
                    {move || if link.claimed { i18n.t().residents_source_claim } else { i18n.t().residents_source_invitation }}
                </p>
            </div>
            <div class="flex items-center gap-2">
                {move || status_badge(status, i18n.t())}
                {(can_manage && status == LinkStatus::Pending).then(|| view! {
                    <Button test_id="link-accept" disabled=decide.pending()
                        on_click=Callback::new(move |()| { decide.dispatch(ClaimDecide { id, accept: true }); })>
                        {move || i18n.t().residents_confirm}
                    </Button>
                })}
                {(can_manage && status == LinkStatus::Active).then(|| view! {
                    <Button variant=ButtonVariant::Secondary test_id="link-end" disabled=end.pending()
                        on_click=Callback::new(move |()| { end.dispatch(LinkEnd { id }); })>
                        {move || i18n.t().residents_end}
                    </Button>
                })}
            </div>
        </li>
    }
}

#[component]
fn InviteForm(unit: UnitId, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let phone = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let relation = RwSignal::new(Relation::Owner.as_db().to_owned());
    let local_error = RwSignal::new(None::<String>);
    let invite = ServerAction::<InviteResident>::new();
    Effect::new(move |_| {
        if let Some(Ok(linked)) = invite.value().get() {
            let t = i18n.t();
            toasts.push(
                ToastKind::Success,
                if linked {
                    t.residents_linked_now
                } else {
                    t.residents_invited
                },
            );
            phone.set(String::new());
            name.set(String::new());
            on_done.run(());
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            invite
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| link_error(&e, i18n.t()))
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let invitation = NewInvitation {
            unit_id: unit,
            phone: phone.get_untracked(),
            name: name.get_untracked(),
            relation: Relation::from_db(&relation.get_untracked()).unwrap_or(Relation::Owner),
        };
        match invitation.check() {
            Ok(_) => {
                local_error.set(None);
                invite.dispatch(InviteResident { invitation });
            }
            Err(e) => local_error.set(Some(link_error(&e, i18n.t()))),
        }
    };
    view! {
        // Folded until needed: the unit page stays short on a phone.
        <details class="mt-3 rounded-lg bg-ink-50 ring-1 ring-ink-200" data-testid="invite-form">
        <summary class="min-h-11 cursor-pointer px-3 py-2.5 text-sm font-medium text-brand-700">{move || i18n.t().residents_invite_title}</summary>
        <form class="space-y-3 px-3 pb-3" on:submit=submit novalidate>
            <p class="text-sm text-ink-600">{move || i18n.t().residents_invite_lead}</p>
            <div class="grid gap-3 sm:grid-cols-2">
                <TextField id="inv-phone" label=label(|t| t.residents_phone) value=phone input_type="tel" inputmode="tel" autocomplete="off" />
                <TextField id="inv-name" label=label(|t| t.residents_name) value=name autocomplete="off" />
            </div>
            <SelectField id="inv-relation" label=label(|t| t.residents_relation) value=relation
                options=Signal::derive(move || relation_options(i18n.t())) />
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=invite.pending() test_id="send-invitation">{move || i18n.t().residents_invite}</Button>
            </div>
        </form>
        </details>
    }
}

/// The resident's own units in the cabinet by management company (a resident may live with
/// several), invitations waiting for them, and the form to claim another unit.
#[component]
pub fn MyUnitsSection() -> impl IntoView {
    let i18n = use_i18n();
    let units = Resource::new(|| (), |()| my_units());
    view! {
        <MyInvitations on_accepted=Callback::new(move |()| units.refetch()) />
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="my-units">
            <h2 class="text-lg font-semibold text-ink-900">{move || i18n.t().residents_my_title}</h2>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match units.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="mt-1 text-sm text-ink-600" data-testid="my-units-empty">{move || i18n.t().residents_my_empty}</p>
                        }.into_any(),
                        Ok(list) => {
                            // Already ordered by company: one group per company.
                            let mut groups: Vec<(String, Vec<MyUnit>)> = Vec::new();
                            for u in list {
                                match groups.last_mut() {
                                    Some((c, items)) if *c == u.company => items.push(u),
                                    _ => groups.push((u.company.clone(), vec![u])),
                                }
                            }
                            view! {
                                <div class="mt-2 space-y-4">
                                    {groups.into_iter().map(|(company, items)| view! {
                                        <div data-testid="my-units-company">
                                            <p class="text-xs font-semibold uppercase tracking-wide text-ink-600">{company}</p>
                                            <ul class="divide-y divide-ink-100">
                                                {items.into_iter().map(|u| view! {
                                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="my-unit">
                                                        <div class="min-w-0">
                                                            <p class="font-medium text-ink-900">{u.address.clone()}", "{move || crate::i18n::fill(i18n.t().residents_unit_n, &[("number", &u.number)])}</p>
                                                            <p class="text-sm text-ink-600">{move || u.relation.label(i18n.t())}</p>
                                                        </div>
                                                        {move || my_status_badge(u.status, i18n.t())}
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                        </div>
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }
                        Err(e) => load_error(e, Callback::new(move |()| units.refetch())),
                    }
                })}
            </Transition>
            <ClaimForm on_done=Callback::new(move |()| units.refetch()) />
        </section>
    }
}

/// Invitations to the resident's phone that wait (a company invited them while they were
/// signed in): accepted with one tap. Shows nothing when there are none.
#[component]
fn MyInvitations(on_accepted: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let invitations = Resource::new(|| (), |()| my_invitations());
    let accept = ServerAction::<AcceptMyInvitations>::new();
    Effect::new(move |_| match accept.value().get() {
        Some(Ok(_)) => {
            toasts.push(ToastKind::Success, i18n.t().residents_invitations_accepted);
            invitations.refetch();
            on_accepted.run(());
        }
        Some(Err(e)) => toasts.push(ToastKind::Error, e.describe(i18n.t())),
        None => {}
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match invitations.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="mb-4 rounded-xl bg-brand-50 p-5 ring-1 ring-brand-200" data-testid="my-invitations">
                            <h2 class="text-lg font-semibold text-ink-900">{move || i18n.t().residents_invitations_title}</h2>
                            <p class="mt-1 text-sm text-ink-700">{move || i18n.t().residents_invitations_lead}</p>
                            <ul class="mt-3 space-y-2">
                                {list.into_iter().map(|inv| view! {
                                    <li class="rounded-lg bg-white p-3 ring-1 ring-ink-200" data-testid="my-invitation">
                                        <p class="font-medium text-ink-900">{inv.address.clone()}", "{move || crate::i18n::fill(i18n.t().residents_unit_n, &[("number", &inv.number)])}</p>
                                        <p class="text-sm text-ink-600">
                                            {move || inv.relation.label(i18n.t())}" · "
                                            {move || crate::i18n::fill(i18n.t().residents_invitation_from, &[("company", &inv.company)])}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <div class="mt-3">
                                <Button test_id="invitations-accept" disabled=accept.pending()
                                    on_click=Callback::new(move |()| { accept.dispatch(AcceptMyInvitations {}); })>
                                    {move || i18n.t().residents_invitations_accept}
                                </Button>
                            </div>
                        </section>
                    }.into_any(),
                    // Nothing waiting, or the list could not be read: the units section says the rest.
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClaimForm(on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let buildings = Resource::new(|| (), |()| claim_buildings());
    let building = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let relation = RwSignal::new(Relation::Owner.as_db().to_owned());
    let note = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let local_error = RwSignal::new(None::<String>);
    let claim = ServerAction::<ClaimUnit>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = claim.value().get() {
            toasts.push(ToastKind::Success, i18n.t().residents_claim_sent);
            number.set(String::new());
            note.set(String::new());
            open.set(false);
            on_done.run(());
        }
    });
    let error = Signal::derive(move || {
        local_error.get().or_else(|| {
            claim
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| link_error(&e, i18n.t()))
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(b) = building.get_untracked().parse::<i64>() else {
            local_error.set(Some(i18n.t().residents_error_building.to_owned()));
            return;
        };
        let c = NewClaim {
            building_id: BuildingId(b),
            number: number.get_untracked(),
            relation: Relation::from_db(&relation.get_untracked()).unwrap_or(Relation::Owner),
            note: note.get_untracked(),
        };
        match c.check() {
            Ok(_) => {
                local_error.set(None);
                claim.dispatch(ClaimUnit { claim: c });
            }
            Err(e) => local_error.set(Some(link_error(&e, i18n.t()))),
        }
    };
    view! {
        <div class="mt-4 border-t border-ink-100 pt-4">
            <Show when=move || !open.get()>
                <Button variant=ButtonVariant::Secondary test_id="claim-open" on_click=Callback::new(move |()| open.set(true))>{move || i18n.t().residents_claim_open}</Button>
            </Show>
            <Show when=move || open.get()>
                <form class="space-y-3" on:submit=submit novalidate data-testid="claim-form">
                    <p class="text-sm text-ink-600">{move || i18n.t().residents_claim_lead}</p>
                    <Transition fallback=loading>
                        {move || Suspend::new(async move {
                            match buildings.await {
                                Ok(list) if list.is_empty() => view! {
                                    <p class="rounded-lg bg-ink-50 p-3 text-sm text-ink-700" data-testid="claim-no-buildings">{move || i18n.t().residents_claim_no_buildings}</p>
                                }.into_any(),
                                Ok(list) => {
                                    if building.get_untracked().is_empty()
                                        && let Some(first) = list.first()
                                    {
                                        building.set(first.id.0.to_string());
                                    }
                                    // Several companies: each address says whose building it is.
                                    let several = list.iter().any(|b| b.company != list[0].company);
                                    let options: Vec<(String, String)> = list
                                        .into_iter()
                                        .map(|b| {
                                            let text = if several { format!("{} — {}", b.company, b.address) } else { b.address };
                                            (b.id.0.to_string(), text)
                                        })
                                        .collect();
                                    view! { <SelectField id="claim-building" label=label(|t| t.residents_building) value=building options=Signal::derive(move || options.clone()) /> }.into_any()
                                }
                                Err(e) => load_error(e, Callback::new(move |()| buildings.refetch())),
                            }
                        })}
                    </Transition>
                    <div class="grid gap-3 sm:grid-cols-2">
                        <TextField id="claim-number" label=label(|t| t.residents_number) value=number autocomplete="off" />
                        <SelectField id="claim-relation" label=label(|t| t.residents_relation) value=relation
                            options=Signal::derive(move || relation_options(i18n.t())) />
                    </div>
                    <TextField id="claim-note" label=label(|t| t.residents_note) value=note autocomplete="off" hint=label(|t| t.residents_note_hint) />
                    <FormError message=error />
                    <div class="flex flex-wrap justify-end gap-2">
                        <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| open.set(false))>{move || i18n.t().residents_cancel}</Button>
                        <Button button_type="submit" disabled=claim.pending() test_id="claim-send">{move || i18n.t().residents_claim_send}</Button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
