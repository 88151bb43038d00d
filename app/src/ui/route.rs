//! Route helpers every page uses.

use leptos::prelude::*;

/// The numeric `:id` of the current route (−1 when it is missing or not a number, which the
/// server answers with "not found").
pub fn use_id_param() -> Memo<i64> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(-1)
        })
    })
}
