//! Generates the translation tables from `locales/*.toml` at compile time.
//!
//! Every UI string lives in `locales/ru.toml` (the default) and `locales/en.toml`. This script turns
//! them into one `Tr` struct with a field per key and one static instance per locale, so a missing or
//! misspelt key is a compile error, not a blank label. The build fails with a clear message when the
//! locales disagree: a key present in one but not the other, a plural without the forms its language
//! needs, or a `{placeholder}` that differs between translations.
//!
//! Why not `leptos_i18n`: its 0.6 build step pulls the ICU data pipeline (minutes of extra compile on a
//! 2-core machine and a larger wasm) for what Platforma needs: two locales, interpolation and CLDR
//! plural rules for Russian and English, which `src/i18n/mod.rs` implements in a few lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const LOCALES: &[(&str, &str, &[&str])] = &[
    ("ru", "RU", &["one", "few", "many", "other"]),
    ("en", "EN", &["one", "other"]),
];

enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, Entry>, file: &str) {
    for (k, v) in table {
        assert!(
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{file}: key `{k}` must be snake_case ASCII"
        );
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}_{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, Entry::Text(s.clone()));
            }
            toml::Value::Table(t) if t.contains_key("other") => {
                let forms = t
                    .iter()
                    .map(|(f, s)| {
                        let s = s.as_str().unwrap_or_else(|| {
                            panic!("{file}: plural `{key}.{f}` must be a string")
                        });
                        (f.clone(), s.to_owned())
                    })
                    .collect();
                out.insert(key, Entry::Plural(forms));
            }
            toml::Value::Table(t) => flatten(&key, t, out, file),
            _ => panic!("{file}: `{key}` must be a string, a plural table or a section"),
        }
    }
}

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        set.insert(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    set
}

fn entry_placeholders(e: &Entry) -> BTreeSet<String> {
    match e {
        Entry::Text(s) => placeholders(s),
        Entry::Plural(forms) => forms.values().flat_map(|s| placeholders(s)).collect(),
    }
}

fn main() {
    // Read at run time, not with env!(): Cargo reuses a compiled build script across checkouts
    // that share a target directory, and a baked-in path would read another checkout's files.
    let manifest_dir =
        std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set by cargo");
    // `sqlx::migrate!` embeds ../migrations but cannot tell Cargo about it on stable Rust: without
    // this line an edited or added migration would leave a stale set compiled into the binary.
    println!(
        "cargo:rerun-if-changed={}",
        Path::new(&manifest_dir).join("../migrations").display()
    );
    let dir = Path::new(&manifest_dir).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut all: Vec<(&str, &str, BTreeMap<String, Entry>)> = Vec::new();
    for (code, konst, forms) in LOCALES {
        let file = dir.join(format!("{code}.toml"));
        println!("cargo:rerun-if-changed={}", file.display());
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let table: toml::Table =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut entries = BTreeMap::new();
        flatten("", &table, &mut entries, &format!("{code}.toml"));
        for (key, e) in &entries {
            if let Entry::Plural(have) = e {
                for f in *forms {
                    assert!(
                        have.contains_key(*f),
                        "{code}.toml: plural `{key}` lacks the `{f}` form"
                    );
                }
            }
        }
        all.push((code, konst, entries));
    }
    let (base_code, _, base) = &all[0];
    for (code, _, entries) in &all[1..] {
        for key in base.keys() {
            assert!(
                entries.contains_key(key),
                "{code}.toml lacks `{key}` (present in {base_code}.toml)"
            );
        }
        for (key, e) in entries {
            let b = base
                .get(key)
                .unwrap_or_else(|| panic!("{code}.toml has `{key}`, {base_code}.toml does not"));
            assert!(
                matches!(
                    (b, e),
                    (Entry::Text(_), Entry::Text(_)) | (Entry::Plural(_), Entry::Plural(_))
                ),
                "`{key}` is a plural in one locale and plain text in another"
            );
            assert_eq!(
                entry_placeholders(b),
                entry_placeholders(e),
                "`{key}` uses different {{placeholders}} in {base_code}.toml and {code}.toml"
            );
        }
    }

    let mut out = String::from(
        "/// Every UI string, one field per key of `locales/*.toml`.\n#[derive(Debug)]\npub struct Tr {\n",
    );
    for (key, e) in base {
        let ty = match e {
            Entry::Text(_) => "&'static str",
            Entry::Plural(_) => "Plural",
        };
        writeln!(out, "    pub {key}: {ty},").ok();
    }
    out.push_str("}\n");
    for (code, konst, entries) in &all {
        let locale = if *code == "ru" {
            "Locale::Ru"
        } else {
            "Locale::En"
        };
        writeln!(
            out,
            "/// The `{code}` translation.\npub static {konst}: Tr = Tr {{"
        )
        .ok();
        for (key, e) in entries {
            match e {
                Entry::Text(s) => writeln!(out, "    {key}: {s:?},").ok(),
                Entry::Plural(f) => {
                    let get = |n: &str| {
                        f.get(n)
                            .or_else(|| f.get("other"))
                            .cloned()
                            .unwrap_or_default()
                    };
                    writeln!(
                        out,
                        "    {key}: Plural {{ locale: {locale}, one: {:?}, few: {:?}, many: {:?}, other: {:?} }},",
                        get("one"), get("few"), get("many"), get("other")
                    )
                    .ok()
                }
            };
        }
        out.push_str("};\n");
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo")).join("i18n.rs");
    std::fs::write(dest, out).expect("write generated translations");
}
