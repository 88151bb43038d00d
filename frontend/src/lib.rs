#![recursion_limit = "512"]

//! The browser entry point. `cargo leptos` compiles this crate to wasm; the generated JS calls
//! [`hydrate`] once the server-rendered HTML is in the page, and from then on the app is live.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
