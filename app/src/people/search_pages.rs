//! The staff search: the top-bar box that suggests clients and units while one types (arrows
//! and Enter open a suggestion, Enter alone opens all results), and the results page
//! (`/staff/search?q=`). Units found by address or personal account name who lives there.

use super::api::global_search;
use super::person::{SearchResults, UnitHit};
use super::widgets::{PeopleTable, matched_label, people_error, urlencode};
use crate::i18n::{Tr, fill, use_i18n};
use crate::ui::{EmptyState, FormError, Icon, IconName, PageHeader, loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

/// Characters typed before suggestions are asked for.
const SUGGEST_FROM: usize = 2;
/// Milliseconds of quiet typing before asking.
const SUGGEST_DELAY_MS: u64 = 220;
/// Suggestions of each kind.
const SUGGEST_EACH: usize = 5;

/// "Иванов И. И. (собственник), Петрова А. С. (жилец)".
fn unit_people_text(t: &Tr, u: &UnitHit) -> String {
    u.people
        .iter()
        .map(|p| format!("{} ({})", p.name, p.relation.label(t).to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One suggestion: where it leads, its title and a second line.
#[derive(Clone, PartialEq)]
struct Suggestion {
    href: String,
    title: String,
    detail: String,
    unit: bool,
}

fn suggestions(t: &Tr, r: &SearchResults) -> Vec<Suggestion> {
    let units = r.units.iter().take(SUGGEST_EACH).map(|u| Suggestion {
        href: format!("/staff/units/{}", u.unit_id.0),
        title: u.label.clone(),
        detail: if u.people.is_empty() {
            u.account.as_ref().map_or_else(
                || matched_label(t, u.matched).to_owned(),
                |a| fill(t.unit_account_n, &[("account", a)]),
            )
        } else {
            unit_people_text(t, u)
        },
        unit: true,
    });
    let people = r.people.iter().take(SUGGEST_EACH).map(|h| {
        let matched = matched_label(t, h.matched);
        let mut detail = if h.detail.is_empty() {
            matched.to_owned()
        } else {
            format!("{matched}: {}", h.detail)
        };
        if let Some(unit) = h.person.units.first() {
            detail = format!("{unit} · {detail}");
        }
        Suggestion {
            href: format!("/staff/people/{}", h.person.id.0),
            title: h.person.name.clone(),
            detail,
            unit: false,
        }
    });
    units.chain(people).collect()
}

/// Whether a focus change stays inside the element that listens (the search form).
fn focus_stays_inside(ev: &leptos::ev::FocusEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let within = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let to = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        matches!((within, to), (Some(w), Some(t)) if w.contains(Some(&t)))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// The top-bar search box with suggestions. `input_ref` lets the layout focus it with "/".
#[component]
pub fn SearchBox(input_ref: NodeRef<leptos::html::Input>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let location = use_location();
    let text = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let typed = StoredValue::new(0u64);
    // Suggestions are the browser's business only: nothing is rendered for them on the server.
    // Each answer carries the text it answers: a list for older text is never offered.
    let found = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().chars().count() < SUGGEST_FROM {
                return None;
            }
            global_search(q.clone()).await.ok().map(|r| (q, r))
        }
    });
    let items = Memo::new(move |_| {
        found
            .get()
            .flatten()
            .filter(|(q, _)| text.with(|t| t == q))
            .map(|(_, r)| suggestions(i18n.t(), &r))
            .unwrap_or_default()
    });
    // A new list has no chosen suggestion yet.
    Effect::new(move |_| {
        items.track();
        active.set(None);
    });
    // A new page closes the list.
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
        active.set(None);
    });
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        open.set(true);
        active.set(None);
        let n = typed.get_value() + 1;
        typed.set_value(n);
        set_timeout(
            move || {
                if typed.get_value() == n {
                    query.set(value);
                }
            },
            std::time::Duration::from_millis(SUGGEST_DELAY_MS),
        );
    };
    let go = navigate.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked();
        open.set(false);
        go(
            &format!("/staff/search?q={}", urlencode(q.trim())),
            NavigateOptions::default(),
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = items.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            // The first Escape closes the list and keeps the text (a search field would clear it).
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                open.set(false);
                active.set(None);
            }
            "Enter" => {
                if let Some(href) = active
                    .get_untracked()
                    .filter(|_| open.get_untracked())
                    .and_then(|i| items.with_untracked(|v| v.get(i).map(|s| s.href.clone())))
                {
                    ev.prevent_default();
                    open.set(false);
                    navigate(&href, NavigateOptions::default());
                }
            }
            _ => {}
        }
    };
    let shown = move || open.get() && text.with(|t| t.trim().chars().count() >= SUGGEST_FROM);
    view! {
        <form action="/staff/search" method="get" class="relative max-w-xl flex-1" role="search"
            on:submit=on_submit
            on:focusout=move |ev: leptos::ev::FocusEvent| {
                // Closes when the focus leaves the box and its list, not when it moves within.
                if !focus_stays_inside(&ev) {
                    open.set(false);
                    active.set(None);
                }
            }>
            <label for="global-search" class="sr-only">{move || i18n.t().search_label}</label>
            <Icon name=IconName::Search class="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-ink-400" />
            <input
                node_ref=input_ref
                id="global-search"
                name="q"
                type="search"
                autocomplete="off"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=move || shown().then_some("search-suggest")
                aria-expanded=move || if shown() && !items.with(Vec::is_empty) { "true" } else { "false" }
                aria-activedescendant=move || active.get().map(|i| format!("suggest-{i}"))
                placeholder=move || i18n.t().search_placeholder
                title=move || i18n.t().search_shortcut
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:focus=move |_| open.set(true)
                class="block h-10 w-full rounded-lg border-0 bg-ink-100 pl-9 pr-10 text-sm text-ink-900 placeholder:text-ink-500 focus:bg-white focus:ring-2 focus:ring-brand-600"
                data-testid="global-search"
            />
            <kbd class="pointer-events-none absolute right-2 top-1/2 hidden -translate-y-1/2 rounded border border-ink-300 bg-white px-1.5 text-xs text-ink-500 sm:block">"/"</kbd>
            <Show when=shown>
                <div class="absolute inset-x-0 top-11 z-40 overflow-hidden rounded-xl bg-white shadow-lg ring-1 ring-ink-200" data-testid="search-suggest">
                    <ul id="search-suggest" role="listbox" aria-label=move || i18n.t().search_suggest_label class="max-h-[70vh] overflow-y-auto py-1">
                        {move || {
                            let list = items.get();
                            if list.is_empty() {
                                let answered = found.get().flatten().is_some_and(|(q, _)| text.with(|t| t == &q));
                                let note = if answered { i18n.t().search_none } else { i18n.t().search_suggest_wait };
                                return view! { <li role="option" aria-disabled="true" class="px-3 py-2 text-sm text-ink-600">{note}</li> }.into_any();
                            }
                            list.into_iter().enumerate().map(|(i, s)| {
                                let selected = move || active.get() == Some(i);
                                view! {
                                    <li id=format!("suggest-{i}") role="option" aria-selected=move || if selected() { "true" } else { "false" }>
                                        <a href=s.href.clone()
                                            class=move || format!("flex items-start gap-3 px-3 py-2 {}", if selected() { "bg-brand-50" } else { "hover:bg-ink-50" })
                                            data-testid="suggestion"
                                            on:mousedown=|ev| ev.prevent_default()
                                            on:click=move |_| open.set(false)>
                                            <Icon name=if s.unit { IconName::Building } else { IconName::User } class="mt-0.5 size-4 shrink-0 text-ink-500" />
                                            <span class="min-w-0">
                                                <span class="block truncate text-sm font-medium text-ink-900">{s.title.clone()}</span>
                                                <span class="block truncate text-xs text-ink-600">{s.detail.clone()}</span>
                                            </span>
                                        </a>
                                    </li>
                                }
                            }).collect_view().into_any()
                        }}
                    </ul>
                    <a href=move || format!("/staff/search?q={}", urlencode(&text.get()))
                        class="block border-t border-ink-100 px-3 py-2 text-sm font-medium text-brand-700 hover:bg-ink-50"
                        data-testid="search-all"
                        on:mousedown=|ev| ev.prevent_default()>
                        {move || fill(i18n.t().search_all_results, &[("q", text.get().trim())])}
                    </a>
                </div>
            </Show>
        </form>
    }
}
/// The top-bar search results (`/staff/search?q=`): people and units.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let results = Resource::new(move || q.get(), global_search);
    view! {
        <Title text=move || i18n.t().search_title />
        <PageHeader
            title=Signal::derive(move || fill(i18n.t().search_title_q, &[("q", &q.get())]))
            lead=Signal::derive(move || i18n.t().search_lead.to_owned())
        />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) if r.people.is_empty() && r.units.is_empty() => view! {
                        <EmptyState icon=IconName::Search
                            title=Signal::derive(move || i18n.t().search_none.to_owned())
                            text=Signal::derive(move || i18n.t().search_none_text.to_owned()) />
                    }.into_any(),
                    Ok(r) => view! {
                        <div class="space-y-6">
                            {(!r.units.is_empty()).then(|| view! {
                                <section data-testid="search-units">
                                    <h2 class="mb-2 text-base font-semibold text-ink-900">{move || i18n.t().search_units}</h2>
                                    <ul class="grid gap-2 sm:grid-cols-2">
                                        {r.units.into_iter().map(|u| {
                                            let matched = u.matched;
                                            let account = u.account.clone().unwrap_or_default();
                                            let people = u.people.clone();
                                            view! {
                                                <li class="rounded-lg bg-white p-3 ring-1 ring-ink-200">
                                                    <a href=format!("/staff/units/{}", u.unit_id.0) class="font-medium text-brand-700 hover:underline" data-testid="unit-hit">{u.label.clone()}</a>
                                                    <p class="text-sm text-ink-600">{move || {
                                                        let t = i18n.t();
                                                        if account.is_empty() { matched_label(t, matched).to_owned() } else { fill(t.unit_account_n, &[("account", &account)]) }
                                                    }}</p>
                                                    {(!people.is_empty()).then(|| view! {
                                                        <ul class="mt-1 text-sm" data-testid="unit-hit-people">
                                                            {people.into_iter().map(|p| view! {
                                                                <li>
                                                                    <a href=format!("/staff/people/{}", p.id.0) class="text-brand-700 hover:underline">{p.name.clone()}</a>
                                                                    <span class="text-ink-600">{move || format!(" · {}", p.relation.label(i18n.t()).to_lowercase())}</span>
                                                                </li>
                                                            }).collect_view()}
                                                        </ul>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {(!r.people.is_empty()).then(|| view! {
                                <section data-testid="search-people">
                                    <h2 class="mb-2 text-base font-semibold text-ink-900">{move || i18n.t().search_people}</h2>
                                    <PeopleTable items=r.people show_match=true />
                                </section>
                            })}
                        </div>
                    }.into_any(),
                    Err(e) => view! { <FormError message=Signal::derive(move || Some(people_error(&e, i18n.t()))) test_id="search-error" /> }.into_any(),
                }
            })}
        </Transition>
    }
}
