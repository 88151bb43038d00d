//! The house's module rules (docs/architecture.md), checked on the source: which top-level
//! module of `app/src` may name which. A module's dependencies are the `crate::<module>` paths
//! its files mention (comments excluded).
//!
//! - Nothing names the shell: the shell composes pages, pages never reach back.
//! - Nothing names `demo` (the runner of every module's demo step); modules take their generator
//!   from the leaf `fake`.
//! - The low modules (`error`, `i18n`, `values`, `export`, `fake`, `sms`, `ui`, `db`) name no
//!   feature module.
//! - No cycles between modules, except the ones listed in `KNOWN_CYCLES`, which are being taken
//!   apart (the list must stay true: an edge that is gone must leave it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Dependency edges that still close a cycle, with the reason, to be removed.
const KNOWN_CYCLES: &[(&str, &str)] = &[
    // The unit page shows the registry's people, residents and the unit's import rows.
    ("buildings", "people"),
    ("buildings", "imports"),
    // `AppContext` holds the import readers' slots.
    ("api", "imports"),
];

/// Modules that must not name any feature module.
const LOW: &[&str] = &[
    "error", "i18n", "values", "export", "fake", "sms", "ui", "db",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Source without `//` comments (doc comments name modules freely).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The top-level modules a piece of code names through `crate::…` and `crate::{…}`.
fn named_modules(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = ident_at(part.trim());
                if modules.contains(&name) {
                    out.insert(name);
                }
            }
        } else {
            let name = ident_at(rest);
            if modules.contains(&name) {
                out.insert(name);
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = src();
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&root).expect("src") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name != "lib" && (path.is_dir() || path.extension().is_some_and(|e| e == "rs")) {
            modules.insert(name);
        }
    }
    let mut g = BTreeMap::new();
    for m in &modules {
        let mut files = Vec::new();
        let dir = root.join(m);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(root.join(format!("{m}.rs")));
        }
        let mut deps = BTreeSet::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("source");
            deps.extend(named_modules(&code_of(&text), &modules));
        }
        deps.remove(m);
        g.insert(m.clone(), deps);
    }
    g
}

fn reaches(g: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(m) = stack.pop() {
        for d in g.get(&m).into_iter().flatten() {
            if d == to {
                return true;
            }
            if seen.insert(d.clone()) {
                stack.push(d.clone());
            }
        }
    }
    false
}

#[test]
fn the_parser_sees_modules_in_paths_and_groups() {
    let modules: BTreeSet<String> = ["access", "ui", "i18n", "people"].map(String::from).into();
    let code = code_of(
        "use crate::access::Permission;\nuse crate::{ui, i18n::Tr};\n// crate::people is only a comment",
    );
    assert_eq!(
        named_modules(&code, &modules),
        ["access", "i18n", "ui"].map(String::from).into()
    );
}

#[test]
fn nothing_names_the_shell_or_the_demo_runner() {
    let g = graph();
    let offenders: Vec<String> = g
        .iter()
        .filter(|(m, deps)| {
            m.as_str() != "shell" && (deps.contains("shell") || deps.contains("demo"))
        })
        .map(|(m, deps)| format!("{m} -> {deps:?}"))
        .collect();
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn low_modules_name_no_feature_module() {
    let g = graph();
    let mut wrong = Vec::new();
    for low in LOW {
        for d in &g[*low] {
            if !LOW.contains(&d.as_str()) {
                wrong.push(format!("{low} -> {d}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "low modules naming feature modules: {wrong:?}"
    );
}

#[test]
fn modules_depend_one_way() {
    let mut g = graph();
    let stale: Vec<String> = KNOWN_CYCLES
        .iter()
        .filter(|(a, b)| !g[*a].contains(*b))
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        stale.is_empty(),
        "KNOWN_CYCLES lists edges that are gone: {stale:?}; remove them"
    );
    for (a, b) in KNOWN_CYCLES {
        g.get_mut(*a).expect("module").remove(*b);
    }
    // Without the known exceptions, no edge may lead back to where it came from.
    let cycles: Vec<String> = g
        .iter()
        .flat_map(|(m, deps)| deps.iter().map(move |d| (m, d)))
        .filter(|(m, d)| reaches(&g, d, m))
        .map(|(m, d)| format!("{m} -> {d}"))
        .collect();
    assert!(
        cycles.is_empty(),
        "edges on a module cycle: {cycles:?} (see docs/architecture.md)"
    );
}

/// Every colour class a screen names from our own palette (`bg-danger-100`, `ring-ink-300`,
/// `hover:text-brand-700`, …) has its token in `style/main.css`: Tailwind silently drops a class
/// whose colour is not defined, and the screen loses its colour without an error.
#[test]
fn every_palette_class_has_a_colour_token() {
    let css =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../style/main.css"))
            .expect("style/main.css");
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/offline.html"));
    let mut missing = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        for palette in ["ink", "brand", "info", "success", "warning", "danger"] {
            let needle = format!("-{palette}-");
            for (i, _) in text.match_indices(&needle) {
                let shade: String = text[i + needle.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                // Only utility classes: preceded by a utility name such as `bg` or `ring-inset ring`.
                let before = &text[..i];
                let utility: String = before
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect::<String>()
                    .chars()
                    .rev()
                    .collect();
                if shade.is_empty() || utility.is_empty() || utility.starts_with('-') {
                    continue;
                }
                let token = format!("--color-{palette}-{shade}:");
                if !css.contains(&token) {
                    missing.insert(format!("{utility}-{palette}-{shade} ({})", f.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "classes without a colour token: {missing:#?}"
    );
}
