//! Organisation screens: groups (departments that carry roles) and the hierarchy of positions
//! (`/staff/admin/org`), and the access editor of one account (roles with scopes, groups,
//! position) opened from the staff list.

use super::api::{
    AdminGroupSave, AdminPositionSave, AdminUserAccessSave, admin_groups, admin_positions,
    admin_roles, admin_user_access,
};
use super::model::{
    GrantSpec, GroupSummary, GroupUpdate, PositionInfo, PositionUpdate, UserAccess, position_tree,
};
use crate::AppError;
use crate::Invalid;
use crate::access::Scope;
use crate::buildings::api::admin_scope_targets;
use crate::buildings::model::ScopeTargets;
use crate::i18n::{Tr, use_i18n};
use crate::ui::use_submit;
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, FormError, Icon, IconName, Modal, PageHeader,
    SelectField, TextField, ToastKind, Tone, load_error, loading, use_toasts,
};
use crate::ui::{FieldText, error_text};
use leptos::prelude::*;
use leptos_meta::Title;

/// The message for an organisation error, in the current language.
const ORG_FIELDS: &[FieldText] = &[
    ("*", Some(Invalid::Taken), |t| t.org_error_taken),
    ("*", Some(Invalid::Cycle), |t| t.org_error_cycle),
    ("name", None, |t| t.org_error_name),
    ("company", None, |t| t.org_error_company),
    ("targets", None, |t| t.org_error_targets),
    ("*", Some(Invalid::OwnAccess), |t| t.admin_error_self_access),
];

fn org_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, ORG_FIELDS)
}

/// The name of a scope in the current language.
pub fn scope_label(scope: Scope, t: &Tr) -> &'static str {
    match scope {
        Scope::Company => t.admin_scope_company,
        Scope::Buildings => t.admin_scope_buildings,
        Scope::WorkAreas => t.admin_scope_work_areas,
        Scope::Own => t.admin_scope_own,
        Scope::OwnUnits => t.admin_scope_own_units,
    }
}

/// Staff scopes offered by the editors (a resident's own-units scope is not given to staff).
const STAFF_SCOPES: [Scope; 4] = [
    Scope::Company,
    Scope::Buildings,
    Scope::WorkAreas,
    Scope::Own,
];

/// Left padding of a position in the tree by its depth (a subordinate sits 0.875 rem further in).
const INDENTS: [&str; 7] = [
    "pl-1", "pl-4.5", "pl-8", "pl-11.5", "pl-15", "pl-18.5", "pl-22",
];

/// Groups and positions of the company.

#[component]
pub fn OrgPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().org_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().org_title.to_owned())
            lead=Signal::derive(move || i18n.t().org_lead.to_owned())
        />
        <div class="grid gap-6 xl:grid-cols-2">
            <GroupsSection />
            <PositionsSection />
        </div>
    }
}

#[component]
fn GroupsSection() -> impl IntoView {
    let i18n = use_i18n();
    let groups = Resource::new(|| (), |()| admin_groups());
    let editing = RwSignal::new(None::<GroupSummary>);
    let open = RwSignal::new(false);
    let start = move |g: Option<GroupSummary>| {
        editing.set(g);
        open.set(true);
    };
    view! {
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="groups">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div>
                    <h2 class="flex items-center gap-2 text-lg font-semibold text-ink-900">
                        <Icon name=IconName::Users class="size-5 text-ink-500" />{move || i18n.t().org_groups_title}
                    </h2>
                    <p class="mt-1 text-sm text-ink-600">{move || i18n.t().org_groups_lead}</p>
                </div>
                <Button test_id="new-group" on_click=Callback::new(move |()| start(None))>{move || i18n.t().org_new_group}</Button>
            </div>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(list) if list.is_empty() => view! {
                            <div class="mt-4"><EmptyState icon=IconName::Users title=Signal::derive(move || i18n.t().org_groups_title.to_owned()) text=Signal::derive(move || i18n.t().org_groups_empty.to_owned()) /></div>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-4 divide-y divide-ink-100">
                                {list.into_iter().map(|g| {
                                    let edit = g.clone();
                                    view! {
                                        <li class="flex flex-wrap items-start justify-between gap-3 py-3" data-testid="group">
                                            <div class="min-w-0">
                                                <p class="font-semibold text-ink-900">{g.name.clone()}</p>
                                                <div class="mt-1 flex flex-wrap gap-1">
                                                    {g.grants.iter().map(|(role, grant)| {
                                                        let (role, scope) = (role.clone(), grant.scope);
                                                        view! { <Badge tone=Tone::Info>{move || format!("{role} · {}", scope_label(scope, i18n.t()))}</Badge> }
                                                    }).collect_view()}
                                                </div>
                                                <p class="mt-1 text-sm text-ink-600">
                                                    {move || i18n.t().org_members.to_owned()}": "
                                                    {if g.members.is_empty() { "—".to_owned() } else { g.members.iter().map(|m| m.1.clone()).collect::<Vec<_>>().join(", ") }}
                                                </p>
                                            </div>
                                            <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| start(Some(edit.clone())))>{move || i18n.t().org_edit}</Button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => load_error(e, Callback::new(move |()| groups.refetch())),
                    }
                })}
            </Suspense>
            <Modal open=open title=Signal::derive(move || if editing.get().is_some() { i18n.t().org_edit_group.to_owned() } else { i18n.t().org_new_group.to_owned() }) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
                {move || open.get().then(|| view! {
                    <GroupForm group=editing.get_untracked() on_saved=Callback::new(move |()| { open.set(false); groups.refetch(); }) />
                })}
            </Modal>
        </section>
    }
}

/// Role ticks with a scope each: the shared piece of the group form and the access editor.
/// Roles to grant, each with its scope; a building or work-area scope lists the targets to tick.
#[component]
fn GrantPicker(
    roles: Vec<(i64, String)>,
    targets: ScopeTargets,
    chosen: RwSignal<Vec<GrantSpec>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let targets = StoredValue::new(targets);
    view! {
        <fieldset class="space-y-2">
            <legend class="text-sm font-medium text-ink-800">{move || i18n.t().org_roles}</legend>
            {roles.into_iter().map(|(role_id, name)| {
                let checked = move || chosen.with(|c| c.iter().any(|g| g.role_id == role_id));
                let scope = move || chosen.with(|c| c.iter().find(|g| g.role_id == role_id).map_or(Scope::Company, |g| g.scope));
                let options = move || {
                    let s = scope();
                    targets.with_value(|t| match s {
                        Scope::Buildings => Some(t.buildings.clone()),
                        Scope::WorkAreas => Some(t.work_areas.clone()),
                        _ => None,
                    })
                };
                view! {
                    <div class="rounded-lg px-2 py-1.5 ring-1 ring-ink-200" data-testid="grant-row">
                        <div class="flex flex-wrap items-center justify-between gap-2">
                            <label class="flex min-h-9 items-center gap-2 text-sm text-ink-900">
                                <input type="checkbox" class="size-4 shrink-0 accent-brand-700" prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|g| g.role_id != role_id);
                                            if on { c.push(GrantSpec::new(role_id, Scope::Company)); }
                                        });
                                    } />
                                {name}
                            </label>
                            <select class="min-h-9 rounded-lg border-0 bg-white px-2 text-sm ring-1 ring-inset ring-ink-300 disabled:opacity-50"
                                aria-label=move || i18n.t().admin_user_scope
                                disabled=move || !checked()
                                on:change=move |ev| {
                                    if let Some(s) = Scope::from_db(&event_target_value(&ev)) {
                                        chosen.update(|c| if let Some(g) = c.iter_mut().find(|g| g.role_id == role_id) {
                                            g.scope = s;
                                            g.targets.clear();
                                        });
                                    }
                                }>
                                {STAFF_SCOPES.into_iter().map(|s| view! {
                                    <option value=s.as_db() selected=move || scope() == s>{move || scope_label(s, i18n.t())}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        {move || (checked()).then(options).flatten().map(|list| {
                            if list.is_empty() {
                                view! { <p class="px-1 py-1 text-sm text-ink-600">{move || i18n.t().org_no_targets}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="flex flex-wrap gap-x-4 gap-y-1 px-1 pt-1" data-testid="grant-targets">
                                        {list.into_iter().map(|(tid, tname)| view! {
                                            <label class="flex min-h-9 items-center gap-2 text-sm text-ink-800">
                                                <input type="checkbox" class="size-4 shrink-0 accent-brand-700"
                                                    prop:checked=move || chosen.with(|c| c.iter().any(|g| g.role_id == role_id && g.targets.contains(&tid)))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| if let Some(g) = c.iter_mut().find(|g| g.role_id == role_id) {
                                                            g.targets.retain(|t| *t != tid);
                                                            if on { g.targets.push(tid); }
                                                        });
                                                    } />
                                                {tname}
                                            </label>
                                        }).collect_view()}
                                    </div>
                                }.into_any()
                            }
                        })}
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn GroupForm(group: Option<GroupSummary>, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let roles = Resource::new(
        || (),
        |()| async move { Ok::<_, AppError>((admin_roles().await?, admin_scope_targets().await?)) },
    );
    let id = group.as_ref().map(|g| g.id);
    let name = RwSignal::new(group.as_ref().map(|g| g.name.clone()).unwrap_or_default());
    let chosen = RwSignal::new(
        group
            .map(|g| g.grants.into_iter().map(|(_, grant)| grant).collect())
            .unwrap_or_default(),
    );
    let save = ServerAction::<AdminGroupSave>::new();
    let save_form = use_submit(save, org_error, Some(|t| t.org_saved), move |_| {
        on_saved.run(());
    });
    let error = save_form.error;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(AdminGroupSave {
            update: GroupUpdate {
                id,
                name: name.get_untracked(),
                grants: chosen.get_untracked(),
            },
        });
    };
    view! {
        <form class="space-y-4" on:submit=submit novalidate data-testid="group-form">
            <TextField id="group-name" label=Signal::derive(move || i18n.t().org_group_name.to_owned()) value=name autocomplete="off" />
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match roles.await {
                        Ok((list, targets)) => view! { <GrantPicker roles=list.into_iter().filter(crate::admin::model::RoleSummary::for_staff).map(|r| (r.id, r.name)).collect() targets=targets chosen=chosen /> }.into_any(),
                        Err(e) => load_error(e, Callback::new(move |()| roles.refetch())),
                    }
                })}
            </Suspense>
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=save.pending() test_id="save-group">{move || i18n.t().org_save}</Button>
            </div>
        </form>
    }
}

#[component]
fn PositionsSection() -> impl IntoView {
    let i18n = use_i18n();
    let positions = Resource::new(|| (), |()| admin_positions());
    // (the position being edited, or none for a new one; the parent preselected)
    let editing = RwSignal::new((None::<PositionInfo>, None::<i64>));
    let open = RwSignal::new(false);
    view! {
        <section class="rounded-xl bg-white p-5 shadow-sm ring-1 ring-ink-200" data-testid="positions">
            <div class="flex flex-wrap items-start justify-between gap-3">
                <div>
                    <h2 class="flex items-center gap-2 text-lg font-semibold text-ink-900">
                        <Icon name=IconName::Building class="size-5 text-ink-500" />{move || i18n.t().org_positions_title}
                    </h2>
                    <p class="mt-1 text-sm text-ink-600">{move || i18n.t().org_positions_lead}</p>
                </div>
                <Button test_id="new-position" on_click=Callback::new(move |()| { editing.set((None, None)); open.set(true); })>{move || i18n.t().org_new_position}</Button>
            </div>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match positions.await {
                        Ok(list) if list.is_empty() => view! {
                            <div class="mt-4"><EmptyState icon=IconName::Building title=Signal::derive(move || i18n.t().org_positions_title.to_owned()) text=Signal::derive(move || i18n.t().org_positions_empty.to_owned()) /></div>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-4 space-y-1">
                                {position_tree(&list).into_iter().map(|(depth, p)| {
                                    let (edit, pid) = (p.clone(), p.id);
                                    // Classes, not an inline style: the Content-Security-Policy allows no inline styles.
                                    let indent = INDENTS[depth.min(INDENTS.len() - 1)];
                                    view! {
                                        <li class=format!("flex items-center justify-between gap-2 rounded-lg pr-1 hover:bg-ink-50 {indent}") data-testid="position">
                                            // The name opens the position for editing; "+" adds a subordinate.
                                            <button type="button" class="min-h-10 min-w-0 flex-1 rounded-lg px-1 text-left text-sm text-ink-900 hover:text-brand-800 focus-visible:outline-2 focus-visible:outline-brand-600"
                                                title=move || i18n.t().org_edit
                                                on:click=move |_| { editing.set((Some(edit.clone()), edit.parent_id)); open.set(true); }>
                                                {(depth > 0).then(|| view! { <span class="mr-1 text-ink-400" aria-hidden="true">"└"</span> })}
                                                <span class="font-medium underline decoration-ink-300 underline-offset-2">{p.name.clone()}</span>
                                                <span class="ml-2 whitespace-nowrap text-xs text-ink-500">{move || crate::i18n::fill(i18n.t().org_holders, &[("count", &p.holders.to_string())])}</span>
                                            </button>
                                            <button type="button" class="inline-flex size-10 shrink-0 items-center justify-center rounded-lg text-xl leading-none text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600"
                                                aria-label=move || i18n.t().org_add_child title=move || i18n.t().org_add_child
                                                on:click=move |_| { editing.set((None, Some(pid))); open.set(true); }>
                                                "+"
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => load_error(e, Callback::new(move |()| positions.refetch())),
                    }
                })}
            </Suspense>
            <Modal open=open title=Signal::derive(move || if editing.get().0.is_some() { i18n.t().org_edit_position.to_owned() } else { i18n.t().org_new_position.to_owned() }) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
                {move || open.get().then(|| {
                    let all = positions.get_untracked().and_then(Result::ok).unwrap_or_default();
                    let (p, parent) = editing.get_untracked();
                    view! { <PositionForm position=p parent=parent all=all on_saved=Callback::new(move |()| { open.set(false); positions.refetch(); }) /> }
                })}
            </Modal>
        </section>
    }
}

#[component]
fn PositionForm(
    position: Option<PositionInfo>,
    parent: Option<i64>,
    all: Vec<PositionInfo>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let id = position.as_ref().map(|p| p.id);
    let name = RwSignal::new(position.map(|p| p.name).unwrap_or_default());
    let parent_value = RwSignal::new(parent.map(|p| p.to_string()).unwrap_or_default());
    let options = {
        let tree = position_tree(&all);
        Signal::derive(move || {
            let mut v = vec![(String::new(), i18n.t().org_no_parent.to_owned())];
            v.extend(
                tree.iter()
                    .filter(|(_, p)| Some(p.id) != id)
                    .map(|(d, p)| (p.id.to_string(), format!("{}{}", "— ".repeat(*d), p.name))),
            );
            v
        })
    };
    let save = ServerAction::<AdminPositionSave>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            toasts.push(ToastKind::Success, i18n.t().org_saved);
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .map(|e| org_error(&e, i18n.t()))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(AdminPositionSave {
            update: PositionUpdate {
                id,
                name: name.get_untracked(),
                parent_id: parent_value.get_untracked().parse().ok(),
            },
        });
    };
    view! {
        <form class="space-y-4" on:submit=submit novalidate data-testid="position-form">
            <TextField id="position-name" label=Signal::derive(move || i18n.t().org_position_name.to_owned()) value=name autocomplete="off" />
            <SelectField id="position-parent" label=Signal::derive(move || i18n.t().org_parent.to_owned()) value=parent_value options=options />
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=save.pending() test_id="save-position">{move || i18n.t().org_save}</Button>
            </div>
        </form>
    }
}

/// The access editor of one account: direct roles with scopes, groups, position.
#[component]
pub fn UserAccessEditor(user_id: i64, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || user_id, admin_user_access);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((access, choices)) => view! { <AccessForm access=access choices=choices on_saved=on_saved /> }.into_any(),
                    Err(e) => view! { <p class="text-danger-800" role="alert">{move || org_error(&e, i18n.t())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccessForm(
    access: UserAccess,
    choices: super::model::AccessChoices,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let user_id = access.user_id;
    let grants = RwSignal::new(access.grants);
    let groups = RwSignal::new(access.groups);
    let position = RwSignal::new(
        access
            .position_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let position_options = {
        let tree = choices.positions.clone();
        Signal::derive(move || {
            let mut v = vec![(String::new(), i18n.t().org_no_position.to_owned())];
            v.extend(
                tree.iter()
                    .map(|(d, p)| (p.id.to_string(), format!("{}{}", "— ".repeat(*d), p.name))),
            );
            v
        })
    };
    let save = ServerAction::<AdminUserAccessSave>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            toasts.push(ToastKind::Success, i18n.t().org_access_saved);
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .map(|e| org_error(&e, i18n.t()))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(AdminUserAccessSave {
            access: UserAccess {
                user_id,
                grants: grants.get_untracked(),
                groups: groups.get_untracked(),
                position_id: position.get_untracked().parse().ok(),
            },
        });
    };
    view! {
        <form class="space-y-5" on:submit=submit novalidate data-testid="access-form">
            <SelectField id="access-position" label=Signal::derive(move || i18n.t().org_position.to_owned()) value=position options=position_options />
            <GrantPicker roles=choices.roles targets=choices.targets chosen=grants />
            <fieldset class="space-y-1">
                <legend class="text-sm font-medium text-ink-800">{move || i18n.t().org_groups_title}</legend>
                {if choices.groups.is_empty() {
                    view! { <p class="text-sm text-ink-600">{move || i18n.t().org_groups_empty}</p> }.into_any()
                } else {
                    choices.groups.into_iter().map(|(gid, name)| {
                        view! {
                            <label class="flex min-h-9 items-center gap-2 text-sm text-ink-900">
                                <input type="checkbox" class="size-4 shrink-0 accent-brand-700"
                                    prop:checked=move || groups.with(|g| g.contains(&gid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        groups.update(|g| { g.retain(|x| *x != gid); if on { g.push(gid); } });
                                    } />
                                {name}
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            <p class="text-sm text-ink-600">{move || i18n.t().org_access_hint}</p>
            <FormError message=error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=save.pending() test_id="save-access">{move || i18n.t().org_save}</Button>
            </div>
        </form>
    }
}
