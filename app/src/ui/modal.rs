//! A modal dialog: backdrop, title, close button, Escape closes, focus moves into it.

use super::icon::{Icon, IconName};
use leptos::prelude::*;

/// A dialog shown while `open` is true.
#[component]
pub fn Modal(
    /// Shows the dialog while true; the dialog sets it false to close.
    open: RwSignal<bool>,
    /// Dialog title (translated).
    #[prop(into)]
    title: Signal<String>,
    /// Accessible name of the close button (translated).
    #[prop(into)]
    close_label: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let close_ref = NodeRef::<leptos::html::Button>::new();
    // Move focus into the dialog when it opens, so keyboard users land on it.
    Effect::new(move |_| {
        if open.get()
            && let Some(btn) = close_ref.get()
        {
            let _ = btn.focus();
        }
    });
    let children = StoredValue::new(children);
    view! {
        <Show when=move || open.get()>
            <div
                class="fixed inset-0 z-40 flex items-end justify-center bg-ink-950/50 p-0 sm:items-center sm:p-6"
                on:click=move |_| open.set(false)
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <div
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby="modal-title"
                    class="w-full max-w-lg rounded-t-2xl bg-white shadow-xl sm:rounded-2xl"
                    data-testid="modal"
                    on:click=|ev| ev.stop_propagation()
                >
                    <div class="flex items-start justify-between gap-4 border-b border-ink-200 px-5 py-4">
                        <h2 id="modal-title" class="text-lg font-semibold text-ink-900">{move || title.get()}</h2>
                        <button
                            node_ref=close_ref
                            type="button"
                            class="-m-2 rounded-lg p-2 text-ink-600 hover:bg-ink-100 focus-visible:outline-3 focus-visible:outline-brand-600"
                            aria-label=move || close_label.get()
                            on:click=move |_| open.set(false)
                        >
                            <Icon name=IconName::Close class="size-5" />
                        </button>
                    </div>
                    <div class="max-h-[70vh] overflow-y-auto px-5 py-4">{children.with_value(|c| c())}</div>
                </div>
            </div>
        </Show>
    }
}
