//! Form fields with a real label, a hint and an error message under the field.

use leptos::prelude::*;

const INPUT: &str = "block w-full rounded-lg border-0 bg-white px-3 py-2 text-base text-ink-900 ring-1 ring-inset \
                     placeholder:text-ink-400 focus:ring-2 focus:ring-inset focus:ring-brand-600 min-h-11";

/// The look of a bare input, select or textarea (one a screen lays out itself, e.g. a search
/// bar or a multi-line list), the same as [`TextField`]'s.
pub const INPUT_CLASS: &str = "block w-full rounded-lg border-0 bg-white px-3 py-2 text-base text-ink-900 ring-1 ring-inset \
                     ring-ink-300 placeholder:text-ink-400 focus:ring-2 focus:ring-inset focus:ring-brand-600 min-h-11";

/// A labelled text input. The error (already translated) appears under it and is announced.
#[component]
pub fn TextField(
    /// Element id; the label and messages hang from it.
    id: &'static str,
    /// Visible label.
    #[prop(into)]
    label: Signal<String>,
    /// Current value, two-way.
    value: RwSignal<String>,
    /// Translated error, shown under the field when present.
    #[prop(optional, into)]
    error: Signal<Option<String>>,
    /// Help text under the field.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// HTML input type ("text", "search", "tel", "email", "password").
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// Placeholder (never a substitute for the label).
    #[prop(optional, into)]
    placeholder: Option<Signal<String>>,
    /// Form field name (defaults to the id).
    #[prop(optional)]
    name: Option<&'static str>,
    /// Autocomplete hint for the browser.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// Virtual keyboard to show on phones ("numeric", "tel", "email").
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let input_ref = NodeRef::<leptos::html::Input>::new();
    // Keep the DOM and the signal in step without losing what a person typed before the page
    // hydrated (slow connections): on the first run, text already in the field wins.
    Effect::new(move |prev: Option<()>| {
        let v = value.get();
        if let Some(el) = input_ref.get() {
            let dom = el.value();
            if prev.is_none() && v.is_empty() && !dom.is_empty() {
                value.set(dom);
            } else if dom != v {
                el.set_value(&v);
            }
        }
    });
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (e, h) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(h.clone());
            }
            if error.get().is_some() {
                ids.push(e.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="space-y-1">
            <label for=id class="block text-sm font-medium text-ink-800">{move || label.get()}</label>
            <input
                node_ref=input_ref
                id=id
                name=name.unwrap_or(id)
                value=value.get_untracked()
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                class=move || format!("{INPUT} {}", if error.get().is_some() { "ring-danger-600" } else { "ring-ink-300" })
                placeholder=move || placeholder.map(|p| p.get())
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {hint.map(|h| view! { <p id=hint_id.clone() class="text-sm text-ink-600">{move || h.get()}</p> })}
            <Show when=move || error.get().is_some()>
                <p id=error_id.clone() class="text-sm font-medium text-danger-700" role="alert">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
        </div>
    }
}

/// A labelled select of `(value, label)` options.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    /// `(value, visible label)` pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <div class="space-y-1">
            <label for=id class="block text-sm font-medium text-ink-800">{move || label.get()}</label>
            <select
                id=id
                class=format!("{INPUT} ring-ink-300 pr-8")
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == value.get_untracked();
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
