//! Toasts: short confirmations and errors that appear in a corner and go away by themselves.

use leptos::prelude::*;

/// What a toast reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Info,
    Error,
}

#[derive(Debug, Clone)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
}

/// The toast queue, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Toasts {
    /// Shows a message; it disappears after five seconds (errors after ten) or when dismissed.
    pub fn push(&self, kind: ToastKind, message: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|v| {
            v.push(Toast {
                id,
                kind,
                message: message.into(),
            });
        });
        let items = self.items;
        let ttl = if kind == ToastKind::Error {
            10_000
        } else {
            5_000
        };
        set_timeout(
            move || items.update(|v| v.retain(|t| t.id != id)),
            std::time::Duration::from_millis(ttl),
        );
    }

    fn dismiss(&self, id: u64) {
        self.items.update(|v| v.retain(|t| t.id != id));
    }
}

/// Creates the queue; call once near the root.
pub fn provide_toasts() -> Toasts {
    let t = Toasts {
        items: RwSignal::new(Vec::new()),
        next: StoredValue::new(0),
    };
    provide_context(t);
    t
}

/// The queue provided by [`provide_toasts`].
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Where toasts appear (bottom of the screen on phones, bottom-right on desktops).
#[component]
pub fn ToastRegion(#[prop(into)] dismiss_label: Signal<String>) -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end" aria-live="polite" role="status">
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div
                    class=format!(
                        "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl px-4 py-3 text-sm shadow-lg ring-1 {}",
                        match toast.kind {
                            ToastKind::Success => "bg-success-50 text-success-900 ring-success-300",
                            ToastKind::Info => "bg-white text-ink-900 ring-ink-200",
                            ToastKind::Error => "bg-danger-50 text-danger-900 ring-danger-300",
                        },
                    )
                    data-testid="toast"
                >
                    <span class="flex-1">{toast.message.clone()}</span>
                    <button
                        type="button"
                        class="rounded px-1 font-semibold opacity-70 hover:opacity-100"
                        aria-label=move || dismiss_label.get()
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
