//! The app shell: the HTML document, the router and the three layouts (staff workspace,
//! resident cabinet, guard desk).
//!
//! Routes: `/` (entry), `/staff/*` (workspace), `/cabinet/*` (resident PWA), `/guard/*` (guard PWA).
//! Each layout links its own web app manifest, so the cabinet and the guard desk install as
//! separate apps; one service worker (`/sw.js`) serves all of them.

mod cabinet;
mod guard;
mod landing;

mod not_found;
mod staff;

use crate::i18n::{provide_i18n, use_i18n};
use crate::ui::{ToastRegion, provide_toasts};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();
    let lang = initial_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#1d4ed8" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-dvh bg-ink-50 font-sans text-ink-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// The CSP nonce the security-headers middleware put into the request: every inline script the
/// SSR stream writes carries it, and the `Content-Security-Policy` header allows only it.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    if let Some(nonce) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// A per-request CSP nonce, inserted into request extensions by the server's middleware.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

fn initial_lang() -> &'static str {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(crate::i18n::Locale::from_cookie_header)
            })
            .unwrap_or_default()
            .code()
    }
    #[cfg(not(feature = "ssr"))]
    {
        "ru"
    }
}

/// The application: context providers, the router and the toast region.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n();
    provide_toasts();
    #[cfg(feature = "hydrate")]
    register_service_worker();
    // Marks the document once the app is live (effects run only in the browser, after hydration).
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Link rel="stylesheet" id="platforma-css" href="/pkg/platforma.css" />
        <Title formatter=move |page: String| {
            let app = i18n.t().app_name;
            if page.is_empty() { app.to_owned() } else { format!("{page} · {app}") }
        } />
        <Meta name="description" content=move || i18n.t().app_tagline />
        <Router>
            // Pages that open one record by id render whole (`SsrMode::Async`): a missing or foreign
            // id answers 404 (see `ui::MissingState`), which a streamed page could not.
            <Routes fallback=not_found::NotFound>
                <Route path=path!("/") view=landing::Landing />
                <Route path=path!("/login") view=crate::auth::pages::SignInPage />
                <Route path=path!("/cabinet/login") view=crate::auth::pages::ResidentSignInPage />
                <ParentRoute path=path!("/staff") view=staff::StaffLayout>
                    <Route path=path!("") view=crate::home::pages::HomePage />
                    <Route path=path!("companies") view=crate::companies::pages::CompaniesPage />
                    <Route path=path!("buildings") view=crate::buildings::pages::BuildingsPage />
                    <Route path=path!("buildings/areas") view=crate::buildings::pages::WorkAreasPage />
                    <Route path=path!("buildings/:id") view=crate::buildings::pages::BuildingPage ssr=SsrMode::Async />
                    <Route path=path!("units/:id") view=crate::buildings::unit_pages::UnitPage ssr=SsrMode::Async />
                    <Route path=path!("people") view=crate::people::list_pages::PeoplePage />
                    <Route path=path!("people/new") view=crate::people::list_pages::PersonNewPage />
                    <Route path=path!("people/duplicates") view=crate::people::list_pages::DuplicatesPage />
                    <Route path=path!("people/import") view=crate::imports::pages::ImportsPage />
                    <Route path=path!("people/import/:id") view=crate::imports::pages::ImportJobPage ssr=SsrMode::Async />
                    <Route path=path!("people/by-phone/:number") view=crate::people::list_pages::ByPhonePage />
                    <Route path=path!("people/:id") view=crate::people::card_pages::PersonCardPage ssr=SsrMode::Async />
                    <Route path=path!("search") view=crate::people::search_pages::SearchPage />
                    <Route path=path!("phonebook") view=crate::phonebook::pages::PhonebookPage />
                    <Route path=path!("system") view=crate::system::pages::SystemPage />
                    <Route path=path!("admin/roles") view=crate::admin::pages::RolesPage />
                    <Route path=path!("admin/roles/:id") view=crate::admin::pages::RoleEditPage ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=crate::admin::pages::UsersPage />
                    <Route path=path!("admin/audit") view=crate::admin::pages::AuditPage />
                    <Route path=path!("admin/org") view=crate::admin::org_pages::OrgPage />
                    <Route path=path!("account") view=crate::auth::account::AccountPage />
                </ParentRoute>
                <ParentRoute path=path!("/cabinet") view=cabinet::CabinetLayout>
                    <Route path=path!("") view=cabinet::CabinetHome />
                    <Route path=path!("account") view=crate::auth::account::AccountPage />
                </ParentRoute>
                <ParentRoute path=path!("/guard") view=guard::GuardLayout>
                    <Route path=path!("") view=guard::GuardHome />
                </ParentRoute>
            </Routes>
        </Router>
        <ToastRegion dismiss_label=Signal::derive(move || use_i18n().t().common_dismiss.to_owned()) />
    }
}

/// Registers `/sw.js` so the cabinet and the guard desk work as installable, offline-tolerant apps.
#[cfg(feature = "hydrate")]
fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
