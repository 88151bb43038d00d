//! The form pattern every screen shares: a server action; when it succeeds, a toast and what
//! the screen does next; when it fails, the error in words under the form. A check made in the
//! browser before sending shows the same way ([`Submit::send`]).
//!
//! ```ignore
//! let save = ServerAction::<UnitSave>::new();
//! let form = use_submit(save, building_error, Some(|t| t.unit_saved), move |_| on_saved.run(()));
//! // on submit:
//! form.send(update.check().map(|_| UnitSave { update }));
//! // in the view:
//! <FormError message=form.error />
//! ```

use super::toast::{ToastKind, use_toasts};
use crate::AppError;
use crate::i18n::{I18n, Tr, use_i18n};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A form's state around its server action (`Copy`: use it in any closure).
pub struct Submit<S>
where
    S: ServerFn + 'static,
    S::Output: 'static,
{
    action: ServerAction<S>,
    local: RwSignal<Option<String>>,
    describe: fn(&AppError, &Tr) -> String,
    i18n: I18n,
    /// The message to show under the form: the browser's own check, else the server's answer.
    pub error: Signal<Option<String>>,
}

impl<S> Clone for Submit<S>
where
    S: ServerFn + 'static,
    S::Output: 'static,
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Submit<S>
where
    S: ServerFn + 'static,
    S::Output: 'static,
{
}

impl<S> Submit<S>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    /// Sends the input, or shows why the browser refused it (nothing is sent then).
    pub fn send(&self, input: Result<S, AppError>) {
        match input {
            Ok(input) => {
                self.local.set(None);
                self.action.dispatch(input);
            }
            Err(e) => {
                let describe = self.describe;
                self.local.set(Some(describe(&e, self.i18n.t())));
            }
        }
    }

    /// Whether the action is on its way (to disable the button).
    pub fn pending(&self) -> Memo<bool> {
        self.action.pending()
    }
}

/// The state of a form around `action`: on success the `done` toast (if any) and `on_ok` with
/// the answer; on failure the error described by `describe` (the module's field texts).
pub fn use_submit<S>(
    action: ServerAction<S>,
    describe: fn(&AppError, &Tr) -> String,
    done: Option<fn(&Tr) -> &'static str>,
    on_ok: impl Fn(S::Output) + 'static,
) -> Submit<S>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let toasts = use_toasts();
    let local = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(answer)) = action.value().get() {
            if let Some(text) = done {
                toasts.push(ToastKind::Success, text(i18n.t()));
            }
            on_ok(answer);
        }
    });
    let error = Signal::derive(move || {
        local.get().or_else(|| {
            action
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| describe(&e, i18n.t()))
        })
    });
    Submit {
        action,
        local,
        describe,
        i18n,
        error,
    }
}
