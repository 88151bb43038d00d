//! Buttons and links that look like buttons.

use leptos::prelude::*;

/// What a button means. One primary action per screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonVariant {
    #[default]
    Primary,
    Secondary,
    Danger,
    /// A destructive action that is not the main one on the screen (listed per row).
    DangerOutline,
    Ghost,
}

/// How big a button is: `Md` for staff screens, `Lg` (44 px+) for residents, `Xl` for the guard desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonSize {
    #[default]
    Md,
    Lg,
    Xl,
}

fn classes(variant: ButtonVariant, size: ButtonSize) -> String {
    let base = "inline-flex items-center justify-center gap-2 rounded-lg font-semibold transition-colors \
                focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-brand-600 \
                disabled:cursor-not-allowed disabled:opacity-50 select-none";
    let v = match variant {
        ButtonVariant::Primary => "bg-brand-700 text-white hover:bg-brand-800 active:bg-brand-900",
        ButtonVariant::Secondary => {
            "bg-white text-ink-900 ring-1 ring-inset ring-ink-300 hover:bg-ink-50"
        }
        ButtonVariant::Danger => "bg-danger-700 text-white hover:bg-danger-800",
        ButtonVariant::DangerOutline => {
            "bg-white text-danger-700 ring-1 ring-inset ring-danger-300 hover:bg-danger-50"
        }
        ButtonVariant::Ghost => "text-ink-700 hover:bg-ink-100",
    };
    let s = match size {
        ButtonSize::Md => "min-h-10 px-4 text-sm",
        ButtonSize::Lg => "min-h-12 px-5 text-base",
        ButtonSize::Xl => "min-h-20 px-8 text-2xl",
    };
    format!("{base} {v} {s}")
}

/// A button. `button_type` is "button" unless it submits a form.
#[component]
pub fn Button(
    /// Visual meaning.
    #[prop(optional)]
    variant: ButtonVariant,
    /// Size (touch targets grow with it).
    #[prop(optional)]
    size: ButtonSize,
    /// "button" (default), "submit" or "reset".
    #[prop(optional, into)]
    button_type: Option<&'static str>,
    /// Disables the button while true.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// Called on click.
    #[prop(optional, into)]
    on_click: Option<Callback<()>>,
    /// Test hook and accessible name override.
    #[prop(optional, into)]
    aria_label: Option<Signal<String>>,
    /// A stable hook for end-to-end tests.
    #[prop(optional)]
    test_id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=button_type.unwrap_or("button")
            class=classes(variant, size)
            disabled=move || disabled.get()
            aria-label=move || aria_label.map(|l| l.get())
            data-testid=test_id
            on:click=move |_| {
                if let Some(cb) = on_click {
                    cb.run(());
                }
            }
        >
            {children()}
        </button>
    }
}

/// A link styled as a button (navigation, not an action).
#[component]
pub fn LinkButton(
    /// Where it goes.
    #[prop(into)]
    href: String,
    #[prop(optional)] variant: ButtonVariant,
    #[prop(optional)] size: ButtonSize,
    #[prop(optional)] test_id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <a href=href class=classes(variant, size) data-testid=test_id>
            {children()}
        </a>
    }
}
