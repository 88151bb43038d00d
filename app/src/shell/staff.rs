//! The staff workspace layout: sidebar navigation, a top bar with global search ("/" focuses it)
//! and the language switch, and the content area. Below 1024 px the sidebar becomes a drawer.

use crate::access::MeResource;
use crate::access::Permission;
use crate::auth::api::{SignOut, current_user};
use crate::i18n::{Tr, use_i18n};
use crate::people::search_pages::SearchBox;
use crate::ui::LanguageSwitch;
use crate::ui::{Icon, IconName};
use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

/// What the buildings' screens show of the modules above them (see `buildings::slots`).
fn building_slots() -> crate::buildings::slots::BuildingSlots {
    use crate::buildings::slots::{BuildingSlots, UnitSlot};
    BuildingSlots {
        buildings_top: || {
            let may_confirm = crate::access::can(Permission::PeopleManage);
            // Inside a Transition: the permission comes from a resource, and SSR waits for it
            // so the hydrated page matches the server's HTML.
            view! {
                <Transition fallback=|| ()>
                    {move || may_confirm.get().then(|| view! { <crate::residents::pages::ClaimsQueue /> })}
                </Transition>
            }
            .into_any()
        },
        unit_main: |slot: UnitSlot| {
            let unit = slot.unit;
            view! {
                {slot.can_see_people.then(|| view! {
                    <crate::people::list_pages::UnitPeoplePanel unit=unit unit_label=slot.label.clone() />
                    <crate::residents::pages::UnitResidentsPanel unit=unit />
                })}
                <crate::history::pages::UnitHistory unit=unit />
            }
            .into_any()
        },
    }
}

struct NavItem {
    href: &'static str,
    icon: IconName,
    label: fn(&Tr) -> &'static str,
    exact: bool,
    test_id: &'static str,
    /// Shown only to holders of this permission (`None`: every staff member).
    needs: Option<Permission>,
}

const NAV: &[NavItem] = &[
    NavItem {
        href: "/staff",
        icon: IconName::Home,
        label: |t| t.nav_overview,
        exact: true,
        test_id: "nav-overview",
        needs: None,
    },
    NavItem {
        href: "/staff/buildings",
        icon: IconName::Grid,
        label: |t| t.nav_buildings,
        exact: false,
        test_id: "nav-buildings",
        needs: Some(Permission::BuildingsView),
    },
    NavItem {
        href: "/staff/people",
        icon: IconName::Users,
        label: |t| t.nav_people,
        exact: false,
        test_id: "nav-people",
        needs: Some(Permission::PeopleView),
    },
    NavItem {
        href: "/staff/phonebook",
        icon: IconName::Phone,
        label: |t| t.nav_phonebook,
        exact: false,
        test_id: "nav-phonebook",
        needs: Some(Permission::PhonebookView),
    },
    NavItem {
        href: "/staff/companies",
        icon: IconName::Building,
        label: |t| t.nav_companies,
        exact: false,
        test_id: "nav-companies",
        needs: Some(Permission::CompaniesView),
    },
    NavItem {
        href: "/staff/system",
        icon: IconName::Server,
        label: |t| t.nav_system,
        exact: false,
        test_id: "nav-system",
        needs: Some(Permission::SystemView),
    },
    NavItem {
        href: "/staff/admin/users",
        icon: IconName::User,
        label: |t| t.nav_users,
        exact: false,
        test_id: "nav-users",
        needs: Some(Permission::AdminUsers),
    },
    NavItem {
        href: "/staff/admin/org",
        icon: IconName::Users,
        label: |t| t.nav_org,
        exact: false,
        test_id: "nav-org",
        needs: Some(Permission::AdminUsers),
    },
    NavItem {
        href: "/staff/admin/roles",
        icon: IconName::Shield,
        label: |t| t.nav_roles,
        exact: false,
        test_id: "nav-roles",
        needs: Some(Permission::AdminRoles),
    },
    NavItem {
        href: "/staff/admin/audit",
        icon: IconName::Clock,
        label: |t| t.nav_audit,
        exact: false,
        test_id: "nav-audit",
        needs: Some(Permission::AdminAudit),
    },
];

#[component]
pub fn StaffLayout() -> impl IntoView {
    let i18n = use_i18n();
    provide_context(building_slots());
    let drawer = RwSignal::new(false);
    let location = use_location();
    // Close the drawer whenever the page changes.
    Effect::new(move |_| {
        location.pathname.track();
        drawer.set(false);
    });
    let search_ref = NodeRef::<leptos::html::Input>::new();
    let _slash = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| {
                leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::Element>(t).ok()
            })
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/"
            && !typing
            && !ev.ctrl_key()
            && !ev.meta_key()
            && let Some(input) = search_ref.get()
        {
            ev.prevent_default();
            let _ = input.focus();
        }
        if ev.key() == "Escape" {
            drawer.set(false);
        }
    });

    let me = Resource::new(|| (), |()| current_user());
    provide_context(me);
    crate::i18n::provide_zone(Signal::derive(move || {
        let zone = me.get().and_then(Result::ok).map(|m| m.time_zone);
        crate::i18n::Zone::or_default(zone.as_deref().unwrap_or_default())
    }));
    let nav_links = move || {
        let allowed = me.get().and_then(Result::ok);
        NAV.iter()
            .filter(|item| item.needs.is_none_or(|p| allowed.as_ref().is_some_and(|m| m.can(p))))
            .map(|item| {
                let href = item.href;
                let exact = item.exact;
                let active = move || {
                    let path = location.pathname.get();
                    if exact { path == href || path == format!("{href}/") } else { path.starts_with(href) }
                };
                let label = item.label;
                view! {
                    <A
                        href=href
                        attr:class=move || {
                            let base = "flex min-h-10 items-center gap-3 rounded-lg px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-500";
                            if active() { format!("{base} bg-brand-50 text-brand-800") } else { format!("{base} text-ink-700 hover:bg-ink-100 hover:text-ink-900") }
                        }
                        attr:data-testid=item.test_id
                    >
                        <Icon name=item.icon class="size-5 shrink-0" />
                        <span>{move || label(i18n.t())}</span>
                    </A>
                }
            })
            .collect_view()
    };

    view! {
        <Link rel="manifest" href="/manifests/staff.webmanifest" />
        <a href="#main" class="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            {move || i18n.t().common_skip_to_content}
        </a>
        <div class="flex min-h-dvh">
            // Sidebar: static from 1024 px, a drawer below.
            <div
                class=move || if drawer.get() { "fixed inset-0 z-30 bg-ink-950/40 lg:hidden" } else { "hidden" }
                on:click=move |_| drawer.set(false)
            ></div>
            <aside
                class=move || format!(
                    "fixed inset-y-0 left-0 z-40 flex w-64 flex-col border-r border-ink-200 bg-white transition-transform lg:sticky lg:top-0 lg:h-dvh lg:translate-x-0 {}",
                    if drawer.get() { "translate-x-0" } else { "-translate-x-full" },
                )
                aria-label=move || i18n.t().nav_main
            >
                <div class="flex h-14 items-center justify-between gap-2 border-b border-ink-200 px-4">
                    <a href="/" class="flex items-center gap-2 font-bold text-brand-800">
                        <img src="/icons/icon.svg" alt="" class="size-7" />
                        {move || i18n.t().app_name}
                    </a>
                    <button
                        type="button"
                        class="rounded-lg p-2 text-ink-600 hover:bg-ink-100 lg:hidden"
                        aria-label=move || i18n.t().common_close_menu
                        on:click=move |_| drawer.set(false)
                    >
                        <Icon name=IconName::Close class="size-5" />
                    </button>
                </div>
                <nav class="flex-1 space-y-1 overflow-y-auto p-3">
                    <Transition fallback=|| ()>{nav_links}</Transition>
                </nav>
                <div class="border-t border-ink-200 p-3 text-xs text-ink-500">{move || i18n.t().nav_staff}</div>
            </aside>

            <div class="flex min-w-0 flex-1 flex-col">
                <header class="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-ink-200 bg-white/95 px-3 backdrop-blur sm:px-6">
                    <button
                        type="button"
                        class="rounded-lg p-2 text-ink-700 hover:bg-ink-100 lg:hidden"
                        aria-label=move || i18n.t().common_open_menu
                        aria-expanded=move || if drawer.get() { "true" } else { "false" }
                        data-testid="open-menu"
                        on:click=move |_| drawer.set(true)
                    >
                        <Icon name=IconName::Menu class="size-5" />
                    </button>
                    <SearchBox input_ref=search_ref />
                    <div class="ml-auto flex items-center gap-2">
                        <LanguageSwitch />
                        <UserMenu />
                    </div>
                </header>
                <main id="main" class="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}

/// The user's name and company, and the sign-out button.
#[component]
fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<MeResource>();
    let sign_out = crate::auth::pages::sign_out_action("/login");
    view! {
        <Transition fallback=|| ()>
            {move || me.get().and_then(Result::ok).map(|m| view! {
                <div class="flex items-center gap-2">
                    <a href="/staff/account" class="hidden rounded-lg px-2 py-1 text-right leading-tight hover:bg-ink-100 md:block" data-testid="user-name"
                        title=move || i18n.t().account_open>
                        <p class="text-sm font-semibold text-ink-900">{m.name.clone()}</p>
                        <p class="text-xs text-ink-600">{m.company.clone().unwrap_or_default()}</p>
                    </a>
                    <a href="/staff/account" class="inline-flex size-10 items-center justify-center rounded-lg text-ink-700 hover:bg-ink-100 md:hidden"
                        aria-label=move || i18n.t().account_open>
                        <Icon name=IconName::User class="size-5" />
                    </a>
                    <button
                        type="button"
                        class="inline-flex min-h-10 items-center gap-2 rounded-lg px-3 text-sm font-medium text-ink-700 ring-1 ring-inset ring-ink-300 hover:bg-ink-100 focus-visible:outline-2 focus-visible:outline-brand-600"
                        data-testid="sign-out"
                        on:click=move |_| { sign_out.dispatch(SignOut {}); }
                    >
                        <Icon name=IconName::LogOut class="size-4" />
                        <span class="hidden sm:inline">{move || i18n.t().auth_sign_out}</span>
                    </button>
                </div>
            })}
        </Transition>
    }
}
