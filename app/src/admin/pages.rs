//! Administration screens: roles (list, editor with the effective-permissions explanation),
//! staff accounts (create, deactivate, new password, sessions) and the audit log.

use super::api::{
    AdminRoleSave, AdminSessionRevoke, AdminUserActive, AdminUserCreate, AdminUserResetPassword,
    admin_audit, admin_role, admin_roles, admin_user_sessions, admin_users,
};
use super::model::{
    AuditEntry, AuditFilter, NewUser, RoleDetail, RoleSummary, RoleUpdate, UserSummary,
};
use crate::AppError;
use crate::Invalid;
use crate::access::{Module, Permission, Scope};
use crate::i18n::{Tr, fill, use_i18n};
use crate::ui::{
    Badge, Button, ButtonVariant, EmptyState, FormError, IconName, LinkButton, Modal, PageHeader,
    SelectField, TD, TR, Table, TableHead, TextField, ToastKind, Tone, load_error, loading,
    use_toasts,
};
use crate::ui::{FieldText, error_text};
use crate::ui::{Time, ZoneNote};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The message for an administration error, in the current language.
const ADMIN_FIELDS: &[FieldText] = &[
    ("*", Some(Invalid::Taken), |t| t.admin_error_taken),
    ("*", Some(Invalid::OwnAccess), |t| t.admin_error_self),
    ("*", Some(Invalid::Cycle), |t| t.admin_error_cycle),
];

fn admin_error(err: &AppError, t: &Tr) -> String {
    error_text(err, t, ADMIN_FIELDS)
}

#[component]
pub fn RolesPage() -> impl IntoView {
    let i18n = use_i18n();
    let roles = Resource::new(|| (), |()| admin_roles());
    view! {
        <Title text=move || i18n.t().admin_roles_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().admin_roles_title.to_owned())
            lead=Signal::derive(move || i18n.t().admin_roles_lead.to_owned())
        />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match roles.await {
                    Ok(list) => view! {
                        <Table caption=Signal::derive(move || i18n.t().admin_roles_title.to_owned())>
                            <TableHead labels=Signal::derive(move || {
                                let t = i18n.t();
                                vec![t.admin_col_role, t.admin_col_parent, t.admin_col_own, t.admin_col_holders]
                            }) />
                            <tbody>
                                {list.into_iter().map(|r| view! {
                                    <tr class=TR data-testid="role-row">
                                        <td class=TD>
                                            <a class="font-medium text-brand-800 hover:underline" href=format!("/staff/admin/roles/{}", r.id)>{r.name.clone()}</a>
                                        </td>
                                        <td class=TD>{r.parent.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class=format!("{TD} tabular-nums")>{r.own_permissions}</td>
                                        <td class=format!("{TD} tabular-nums")>{r.holders}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </Table>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| roles.refetch())),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn RoleEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::use_id_param();
    let role = Resource::new(move || id.get(), admin_role);
    view! {
        <Title text=move || i18n.t().admin_edit_role />
        <div class="mb-4">
            <a href="/staff/admin/roles" class="text-sm font-medium text-brand-700 hover:underline">"← "{move || i18n.t().admin_back_to_roles}</a>
        </div>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match role.await {
                    Ok(detail) => view! { <RoleEditor detail=detail /> }.into_any(),
                    Err(e) => crate::ui::page_load_error(e, Callback::new(move |()| role.refetch())),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoleEditor(detail: RoleDetail) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let current = RwSignal::new(detail.clone());
    let name = RwSignal::new(detail.name.clone());
    let description = RwSignal::new(detail.description.clone());
    let parent = RwSignal::new(detail.parent_id.map(|p| p.to_string()).unwrap_or_default());
    let chosen = RwSignal::new(detail.own.clone());
    let save = ServerAction::<AdminRoleSave>::new();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(d)) => {
            current.set(d);
            toasts.push(ToastKind::Success, i18n.t().admin_saved);
        }
        Some(Err(e)) => toasts.push(ToastKind::Error, admin_error(&e, i18n.t())),
        None => {}
    });
    let parent_options = Signal::derive(move || {
        let mut v = vec![(String::new(), i18n.t().admin_no_parent.to_owned())];
        v.extend(current.with(|d| {
            d.parent_choices
                .iter()
                .filter(|(id, _)| *id != d.id)
                .map(|(id, n)| (id.to_string(), n.clone()))
                .collect::<Vec<_>>()
        }));
        v
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(AdminRoleSave {
            update: RoleUpdate {
                id: current.with_untracked(|d| d.id),
                name: name.get_untracked(),
                description: description.get_untracked(),
                parent_id: parent.get_untracked().parse().ok(),
                permissions: chosen.get_untracked(),
            },
        });
    };
    view! {
        <PageHeader title=Signal::derive(move || current.with(|d| d.name.clone())) lead=Signal::derive(move || i18n.t().admin_edit_role.to_owned()) />
        <div class="grid gap-6 lg:grid-cols-5">
            <form class="space-y-5 lg:col-span-3" on:submit=on_submit data-testid="role-form">
                <div class="grid gap-4 rounded-xl bg-white p-5 ring-1 ring-ink-200 sm:grid-cols-2">
                    <TextField id="role-name" label=Signal::derive(move || i18n.t().admin_role_name.to_owned()) value=name />
                    <SelectField id="role-parent" label=Signal::derive(move || i18n.t().admin_role_parent.to_owned()) value=parent options=parent_options />
                    <div class="sm:col-span-2">
                        <TextField id="role-description" label=Signal::derive(move || i18n.t().admin_role_description.to_owned()) value=description />
                    </div>
                </div>
                <fieldset class="rounded-xl bg-white p-5 ring-1 ring-ink-200">
                    <legend class="px-1 text-base font-semibold">{move || i18n.t().admin_permissions}</legend>
                    <div class="mt-2 grid gap-5 sm:grid-cols-2">
                        {Module::ALL.into_iter().filter(|m| m.installed()).map(|m| view! {
                            <div>
                                <h3 class="text-xs font-semibold uppercase tracking-wide text-ink-500">{move || m.label(i18n.t())}</h3>
                                <ul class="mt-2 space-y-1">
                                    {m.permissions().map(|p| view! { <PermissionCheckbox permission=p chosen=chosen /> }).collect_view()}
                                </ul>
                            </div>
                        }).collect_view()}
                    </div>
                    <p class="mt-5 border-t border-ink-100 pt-3 text-sm text-ink-600" data-testid="modules-not-installed">
                        {move || fill(i18n.t().admin_modules_not_installed, &[(
                            "modules",
                            &Module::ALL
                                .into_iter()
                                .filter(|m| !m.installed())
                                .map(|m| m.label(i18n.t()))
                                .collect::<Vec<_>>()
                                .join(", "),
                        )])}
                    </p>
                </fieldset>
                <Button button_type="submit" disabled=save.pending() test_id="role-save">{move || i18n.t().admin_save}</Button>
            </form>
            <section class="rounded-xl bg-white p-5 ring-1 ring-ink-200 lg:col-span-2" data-testid="effective-permissions">
                <h2 class="text-base font-semibold">{move || i18n.t().admin_effective}</h2>
                <p class="mt-1 text-sm text-ink-600">{move || i18n.t().admin_effective_lead}</p>
                <ul class="mt-3 divide-y divide-ink-100">
                    {move || current.get().effective.into_iter().filter(|e| e.permission.module().installed()).map(|e| {
                        let from = e.from_role.clone();
                        view! {
                            <li class="flex items-start justify-between gap-3 py-2 text-sm">
                                <span class="text-ink-900">{move || e.permission.label(i18n.t())}</span>
                                {if e.own {
                                    view! { <Badge tone=Tone::Brand>{move || i18n.t().admin_own_source}</Badge> }.into_any()
                                } else {
                                    view! { <Badge tone=Tone::Neutral>{move || fill(i18n.t().admin_inherited_from, &[("role", &from)])}</Badge> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </div>
    }
}

#[component]
fn PermissionCheckbox(permission: Permission, chosen: RwSignal<Vec<Permission>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("perm-{}", permission.code().replace('.', "-"));
    view! {
        <li class="flex items-start gap-2">
            <input
                id=id.clone()
                type="checkbox"
                class="mt-0.5 size-5 shrink-0 rounded border-ink-300 text-brand-700 focus:ring-brand-600"
                prop:checked=move || chosen.with(|c| c.contains(&permission))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| {
                        c.retain(|p| *p != permission);
                        if on {
                            c.push(permission);
                        }
                    });
                }
            />
            <label for=id class="text-sm text-ink-800">{move || permission.label(i18n.t())}</label>
        </li>
    }
}

/// A pending confirmation: the question and what to do on "confirm".
#[derive(Clone)]
struct Confirm {
    question: String,
    action: Callback<()>,
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let users = Resource::new(|| (), |()| admin_users());
    let roles = Resource::new(|| (), |()| admin_roles());
    let create_open = RwSignal::new(false);
    let secret = RwSignal::new(None::<(String, String)>);
    let confirm = RwSignal::new(None::<Confirm>);
    let confirm_open = RwSignal::new(false);
    let sessions_of = RwSignal::new(None::<UserSummary>);
    let sessions_open = RwSignal::new(false);
    let access_of = RwSignal::new(None::<UserSummary>);
    let access_open = RwSignal::new(false);
    let active = ServerAction::<AdminUserActive>::new();
    let reset = ServerAction::<AdminUserResetPassword>::new();
    Effect::new(move |_| match active.value().get() {
        Some(Ok(())) => users.refetch(),
        Some(Err(e)) => toasts.push(ToastKind::Error, admin_error(&e, i18n.t())),
        None => {}
    });
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(p)) => {
            secret.set(Some((i18n.t().admin_password_reset_done.to_owned(), p)));
            users.refetch();
        }
        Some(Err(e)) => toasts.push(ToastKind::Error, admin_error(&e, i18n.t())),
        None => {}
    });
    let ctl = UserControls {
        access_of,
        access_open,
        confirm,
        confirm_open,
        sessions_of,
        sessions_open,
        active,
        reset,
    };
    view! {
        <Title text=move || i18n.t().admin_users_title />
        <div class="flex flex-wrap items-start justify-between gap-4">
            <PageHeader
                title=Signal::derive(move || i18n.t().admin_users_title.to_owned())
                lead=Signal::derive(move || i18n.t().admin_users_lead.to_owned())
            />
            <Button on_click=Callback::new(move |()| create_open.set(true)) test_id="new-user">{move || i18n.t().admin_new_user}</Button>
        </div>
        <Show when=move || secret.get().is_some()>
            <div class="mb-4 rounded-xl bg-success-50 p-4 ring-1 ring-success-300" role="status" data-testid="one-time-password">
                <p class="text-sm text-success-900">{move || secret.get().map(|s| s.0).unwrap_or_default()}". "{move || i18n.t().admin_password_once}</p>
                <p class="mt-2 font-mono text-xl font-bold tracking-wider text-ink-900" data-testid="password-value">{move || secret.get().map(|s| s.1).unwrap_or_default()}</p>
            </div>
        </Show>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! {
                        <div class="space-y-3 md:hidden">
                            {list.clone().into_iter().map(|u| view! {
                                <article class="rounded-xl bg-white p-4 ring-1 ring-ink-200" data-testid="user-card">
                                    <div class="flex items-start justify-between gap-3">
                                        <div>
                                            <p class="font-medium text-ink-900">{u.name.clone()}</p>
                                            <p class="font-mono text-xs text-ink-600">{u.login.clone().unwrap_or_default()}</p>
                                        </div>
                                        <StatusBadge active=u.active />
                                    </div>
                                    <p class="mt-2 text-sm text-ink-800">{u.roles.join(", ")}</p>
                                    <p class="text-xs text-ink-600"><LastSignIn at=u.last_sign_in_at /></p>
                                    <div class="mt-3"><UserActions user=u.clone() ctl=ctl /></div>
                                </article>
                            }).collect_view()}
                        </div>
                        <div class="hidden md:block">
                            <Table caption=Signal::derive(move || i18n.t().admin_users_title.to_owned())>
                                <TableHead labels=Signal::derive(move || {
                                    let t = i18n.t();
                                    vec![t.admin_col_name, t.admin_col_roles, t.admin_col_last_sign_in, t.admin_col_status, t.admin_col_actions]
                                }) />
                                <tbody>
                                    {list.into_iter().map(|u| view! {
                                        <tr class=TR data-testid="user-row">
                                            <td class=TD>
                                                <p class="font-medium text-ink-900">{u.name.clone()}</p>
                                                <p class="font-mono text-xs text-ink-600">{u.login.clone().unwrap_or_default()}</p>
                                            </td>
                                            <td class=TD>
                                                <p>{u.roles.join(", ")}</p>
                                                <p class="text-xs text-ink-600">{u.groups.join(", ")}</p>
                                            </td>
                                            <td class=format!("{TD} whitespace-nowrap")><LastSignIn at=u.last_sign_in_at /></td>
                                            <td class=TD><StatusBadge active=u.active /></td>
                                            <td class=TD><UserActions user=u.clone() ctl=ctl /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </Table>
                        </div>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| users.refetch())),
                }
            })}
        </Suspense>
        <Modal open=confirm_open title=Signal::derive(move || i18n.t().admin_confirm.to_owned()) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            <p class="text-ink-800">{move || confirm.get().map(|c| c.question).unwrap_or_default()}</p>
            <div class="mt-5 flex justify-end gap-2">
                <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| confirm_open.set(false))>{move || i18n.t().admin_cancel}</Button>
                <Button variant=ButtonVariant::Danger test_id="confirm" on_click=Callback::new(move |()| {
                    if let Some(c) = confirm.get_untracked() {
                        c.action.run(());
                    }
                    confirm_open.set(false);
                })>{move || i18n.t().admin_confirm}</Button>
            </div>
        </Modal>
        <Modal open=create_open title=Signal::derive(move || i18n.t().admin_new_user.to_owned()) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            <CreateUserForm roles=roles on_created=Callback::new(move |(login, password): (String, String)| {
                create_open.set(false);
                secret.set(Some((format!("{}: {login}", i18n.t().admin_created), password)));
                users.refetch();
            }) />
        </Modal>
        <Modal open=sessions_open title=Signal::derive(move || sessions_of.get().map(|u| format!("{} — {}", i18n.t().admin_sessions_title, u.name)).unwrap_or_default()) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            {move || sessions_of.get().map(|u| view! { <SessionList user_id=u.id on_change=Callback::new(move |()| users.refetch()) /> })}
        </Modal>
        <Modal open=access_open title=Signal::derive(move || access_of.get().map(|u| format!("{} — {}", i18n.t().admin_access, u.name)).unwrap_or_default()) close_label=Signal::derive(move || i18n.t().common_close.to_owned())>
            {move || access_open.get().then(|| access_of.get_untracked()).flatten().map(|u| view! {
                <super::org_pages::UserAccessEditor user_id=u.id on_saved=Callback::new(move |()| { access_open.set(false); users.refetch(); }) />
            })}
        </Modal>
    }
}

/// What the per-user actions need from the page.
#[derive(Clone, Copy)]
struct UserControls {
    access_of: RwSignal<Option<UserSummary>>,
    access_open: RwSignal<bool>,
    confirm: RwSignal<Option<Confirm>>,
    confirm_open: RwSignal<bool>,
    sessions_of: RwSignal<Option<UserSummary>>,
    sessions_open: RwSignal<bool>,
    active: ServerAction<AdminUserActive>,
    reset: ServerAction<AdminUserResetPassword>,
}

impl UserControls {
    fn ask(&self, question: String, action: Callback<()>) {
        self.confirm.set(Some(Confirm { question, action }));
        self.confirm_open.set(true);
    }
}

#[component]
fn StatusBadge(active: bool) -> impl IntoView {
    let i18n = use_i18n();
    if active {
        view! { <Badge tone=Tone::Success>{move || i18n.t().admin_active}</Badge> }.into_any()
    } else {
        view! { <Badge tone=Tone::Danger>{move || i18n.t().admin_inactive}</Badge> }.into_any()
    }
}

#[component]
fn LastSignIn(at: Option<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    match at {
        Some(at) => view! { <Time at=at /> }.into_any(),
        None => view! { <span>{move || i18n.t().admin_never}</span> }.into_any(),
    }
}

/// Sessions, new password and (de)activation of one account.
#[component]
fn UserActions(user: UserSummary, ctl: UserControls) -> impl IntoView {
    let i18n = use_i18n();
    let (id, is_active, name, count) = (
        user.id,
        user.active,
        user.name.clone(),
        user.active_sessions,
    );
    view! {
        <div class="flex flex-wrap gap-2">
            <Button variant=ButtonVariant::Secondary test_id="edit-access" on_click={
                let user = user.clone();
                Callback::new(move |()| {
                    ctl.access_of.set(Some(user.clone()));
                    ctl.access_open.set(true);
                })
            }>
                {move || i18n.t().admin_access}
            </Button>
            <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| {
                ctl.sessions_of.set(Some(user.clone()));
                ctl.sessions_open.set(true);
            })>
                {move || format!("{} ({count})", i18n.t().admin_sessions)}
            </Button>
            <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| {
                ctl.ask(format!("{} — {}", name, i18n.t().admin_reset_confirm), Callback::new(move |()| { ctl.reset.dispatch(AdminUserResetPassword { id }); }));
            })>
                {move || i18n.t().admin_reset_password}
            </Button>
            {if is_active {
                view! {
                    <Button variant=ButtonVariant::DangerOutline test_id="deactivate" on_click=Callback::new(move |()| {
                        ctl.ask(i18n.t().admin_deactivate_confirm.to_owned(), Callback::new(move |()| { ctl.active.dispatch(AdminUserActive { id, active: false }); }));
                    })>{move || i18n.t().admin_deactivate}</Button>
                }.into_any()
            } else {
                view! {
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| { ctl.active.dispatch(AdminUserActive { id, active: true }); })>
                        {move || i18n.t().admin_activate}
                    </Button>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn CreateUserForm(
    roles: Resource<Result<Vec<super::model::RoleSummary>, AppError>>,
    on_created: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let scope = RwSignal::new("company".to_owned());
    let create = ServerAction::<AdminUserCreate>::new();
    let login_error = Signal::derive(move || {
        let v = login.get();
        (!v.is_empty() && crate::auth::model::Login::parse(&v).is_err())
            .then(|| i18n.t().admin_user_login_hint.to_owned())
    });
    let server_error = Signal::derive(move || match create.value().get() {
        Some(Err(e)) => Some(admin_error(&e, i18n.t())),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok(c)) = create.value().get() {
            on_created.run((c.login, c.password));
            login.set(String::new());
            name.set(String::new());
        }
    });
    let role_options = Signal::derive(move || {
        roles
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(RoleSummary::for_staff)
            .map(|r| (r.id.to_string(), r.name))
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        if role.get_untracked().is_empty()
            && let Some((id, _)) = role_options.get().first()
        {
            role.set(id.clone());
        }
    });
    let scope_options = Signal::derive(move || {
        let t = i18n.t();
        vec![
            ("company".to_owned(), t.admin_scope_company.to_owned()),
            ("buildings".to_owned(), t.admin_scope_buildings.to_owned()),
            ("work_areas".to_owned(), t.admin_scope_work_areas.to_owned()),
            ("own".to_owned(), t.admin_scope_own.to_owned()),
        ]
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(role_id) = role.get_untracked().parse::<i64>() else {
            return;
        };
        create.dispatch(AdminUserCreate {
            user: NewUser {
                login: login.get_untracked(),
                name: name.get_untracked(),
                role_id,
                scope: Scope::from_db(&scope.get_untracked()).unwrap_or(Scope::Company),
            },
        });
    };
    view! {
        <form class="space-y-4" on:submit=submit data-testid="create-user-form">
            <TextField id="new-user-name" label=Signal::derive(move || i18n.t().admin_user_name.to_owned()) value=name autocomplete="off" />
            <TextField
                id="new-user-login"
                label=Signal::derive(move || i18n.t().admin_user_login.to_owned())
                hint=Signal::derive(move || i18n.t().admin_user_login_hint.to_owned())
                value=login
                error=login_error
                autocomplete="off"
            />
            <SelectField id="new-user-role" label=Signal::derive(move || i18n.t().admin_user_role.to_owned()) value=role options=role_options />
            <SelectField id="new-user-scope" label=Signal::derive(move || i18n.t().admin_user_scope.to_owned()) value=scope options=scope_options />
            <FormError message=server_error />
            <div class="flex justify-end">
                <Button button_type="submit" disabled=create.pending() test_id="create-user">{move || i18n.t().admin_create_user}</Button>
            </div>
        </form>
    }
}

#[component]
fn SessionList(user_id: i64, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let sessions = Resource::new(move || user_id, admin_user_sessions);
    let revoke = ServerAction::<AdminSessionRevoke>::new();
    Effect::new(move |_| {
        if revoke.value().get().is_some() {
            sessions.refetch();
            on_change.run(());
        }
    });
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(list) if list.is_empty() => view! { <p class="text-ink-700">{move || i18n.t().admin_no_sessions}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="divide-y divide-ink-100">
                            {list.into_iter().map(|s| {
                                let sid = s.id.clone();
                                let kind = s.kind.clone();
                                view! {
                                    <li class="flex items-center justify-between gap-3 py-3 text-sm">
                                        <div>
                                            <p class="font-medium">
                                                {move || match kind.as_str() {
                                                    "guard" => i18n.t().admin_session_kind_guard,
                                                    "resident" => i18n.t().admin_session_kind_resident,
                                                    _ => i18n.t().admin_session_kind_staff,
                                                }}
                                                " · "{s.ip.clone().unwrap_or_default()}
                                            </p>
                                            <p class="text-xs text-ink-600">{move || i18n.t().admin_last_seen}" "<Time at=s.last_seen_at /></p>
                                        </div>
                                        <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |()| { revoke.dispatch(AdminSessionRevoke { user_id, session: sid.clone() }); })>
                                            {move || i18n.t().admin_revoke}
                                        </Button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| sessions.refetch())),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| AuditFilter {
            actor: q.get("actor").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            entity: q.get("entity").unwrap_or_default(),
        })
    });
    let entries = Resource::new(move || filter.get(), admin_audit);
    let actor = RwSignal::new(filter.get_untracked().actor);
    view! {
        <Title text=move || i18n.t().admin_audit_title />
        <PageHeader
            title=Signal::derive(move || i18n.t().admin_audit_title.to_owned())
            lead=Signal::derive(move || i18n.t().admin_audit_lead.to_owned())
        />
        <form method="get" action="/staff/admin/audit" class="mb-4 flex flex-wrap items-end gap-3" data-testid="audit-filter">
            <div class="w-64"><TextField id="actor" name="actor" label=Signal::derive(move || i18n.t().admin_filter_actor.to_owned()) value=actor /></div>
            <div class="w-56">
                <label for="action" class="block text-sm font-medium text-ink-800">{move || i18n.t().admin_filter_action}</label>
                <select id="action" name="action" class="mt-1 block min-h-11 w-full rounded-lg border-0 bg-white px-3 ring-1 ring-inset ring-ink-300">
                    <option value="">{move || i18n.t().admin_filter_any}</option>
                    {crate::access::audit::ACTIONS
                        .iter()
                        .map(|a| view! { <option value=*a selected=move || filter.get().action == *a>{move || crate::access::audit::action_label(i18n.t(), a)}</option> })
                        .collect_view()}
                </select>
            </div>
            <LinkButton href="/staff/admin/audit" variant=ButtonVariant::Ghost>{move || i18n.t().companies_clear_search}</LinkButton>
            <Button button_type="submit">{move || i18n.t().admin_apply}</Button>
        </form>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon=IconName::Search title=Signal::derive(move || i18n.t().admin_audit_title.to_owned()) text=Signal::derive(move || i18n.t().admin_audit_empty.to_owned()) />
                    }.into_any(),
                    Ok(list) => view! {
                        // Inside the Transition: the zone is known (the signed-in user loaded)
                        // before this renders, on the server as in the browser.
                        <div class="mb-2"><ZoneNote /></div>
                        <Table caption=Signal::derive(move || i18n.t().admin_audit_title.to_owned())>
                            <TableHead labels=Signal::derive(move || {
                                let t = i18n.t();
                                vec![t.admin_col_when, t.admin_col_who, t.admin_col_action, t.admin_col_object, t.admin_col_changes]
                            }) />
                            <tbody>
                                {list.into_iter().map(|e| view! { <AuditRow entry=e /> }).collect_view()}
                            </tbody>
                        </Table>
                    }.into_any(),
                    Err(e) => load_error(e, Callback::new(move |()| entries.refetch())),
                }
            })}
        </Transition>
    }
}

/// One line of the audit log: when, who (and from where), what, about which object, what changed.
#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    use crate::access::audit::{action_label, change_lines, entity_label, object_href};
    let i18n = use_i18n();
    let e = entry;
    let action = e.action.clone();
    let changes = e.changes.clone();
    let entity = e.entity.clone();
    let object = match (e.entity_id.clone(), e.object.clone()) {
        (None, _) => None,
        (Some(id), name) => Some((object_href(&e.entity, &id), id, name)),
    };
    view! {
        <tr class=TR data-testid="audit-row">
            <td class=format!("{TD} whitespace-nowrap")><Time at=e.at /></td>
            <td class=TD>
                {if e.actor.is_empty() { view! { <span>{move || i18n.t().audit_system_actor}</span> }.into_any() } else { view! { <span>{e.actor.clone()}</span> }.into_any() }}
                <p class="text-xs text-ink-500">{e.ip.clone().unwrap_or_default()}</p>
            </td>
            <td class=TD data-testid="audit-action">{move || action_label(i18n.t(), &action)}</td>
            <td class=TD data-testid="audit-object">
                {object.map(|(href, id, name)| {
                    let kind = entity.clone();
                    let text = move || match &name {
                        Some(n) => n.clone(),
                        None => fill(i18n.t().audit_object_missing, &[("kind", &entity_label(i18n.t(), &kind)), ("id", &id)]),
                    };
                    let kind = entity.clone();
                    view! {
                        <p class="text-xs text-ink-600">{move || entity_label(i18n.t(), &kind)}</p>
                        {match href {
                            Some(href) => view! { <a href=href class="font-medium text-brand-700 hover:underline">{text}</a> }.into_any(),
                            None => view! { <span class="font-medium">{text}</span> }.into_any(),
                        }}
                    }
                })}
            </td>
            <td class=format!("{TD} text-xs")>
                <ul>{move || change_lines(i18n.t(), i18n.locale(), &changes).into_iter().map(|l| view! { <li class="break-words">{l}</li> }).collect_view()}</ul>
            </td>
        </tr>
    }
}
