//! The house's module rules (docs/architecture.md), checked on the source: which top-level
//! module of `app/src` may name which. A module's dependencies are the `crate::<module>` paths
//! its files mention (comments excluded).
//!
//! - Nothing names the shell: the shell composes pages, pages never reach back.
//! - Nothing names `demo` (the runner of every module's demo step); modules take their generator
//!   from the leaf `fake`.
//! - The low modules (`error`, `i18n`, `values`, `export`, `fake`, `sms`, `ui`, `db`) name no
//!   feature module.
//! - No cycles between modules, except the ones whose edges are listed in `KNOWN_CYCLE_EDGES`,
//!   which are being taken apart: a new edge on any cycle fails, and an edge that no longer lies
//!   on a cycle must leave the list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every dependency edge that lies on a module cycle, to be taken apart (docs/architecture.md).
/// Empty since the unit page takes its people, residents and history through the shell's slots
/// and the import readers left `AppContext`: keep it so.
const KNOWN_CYCLE_EDGES: &[(&str, &str)] = &[];

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

/// Source without `//` comments (doc comments name modules freely). A comment starts a line
/// or follows a space, so `"https://…"` in a string is kept.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| {
            let cut = l
                .match_indices("//")
                .map(|(i, _)| i)
                .find(|&i| i == 0 || l[..i].ends_with(char::is_whitespace));
            cut.map_or(l, |i| &l[..i])
        })
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
            // The first name of each top-level item of the group: `{a::{X, Y}, people}`.
            let mut depth = 0usize;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        let name = ident_at(&group[i..]);
                        if modules.contains(&name) {
                            out.insert(name);
                        }
                    }
                    _ => {}
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
    let modules: BTreeSet<String> = ["access", "ui", "i18n", "people", "api"]
        .map(String::from)
        .into();
    let code = code_of(
        "use crate::access::Permission;\nuse crate::{ui::{Icon, Tone}, i18n::Tr, people};\n\
         let u = \"https://x\"; crate::api::Ctx;\n// crate::shell is only a comment",
    );
    assert_eq!(
        named_modules(&code, &modules),
        ["access", "api", "i18n", "people", "ui"]
            .map(String::from)
            .into()
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
    let g = graph();
    // An edge lies on a cycle when its target reaches back to its source.
    let on_cycles: BTreeSet<(String, String)> = g
        .iter()
        .flat_map(|(m, deps)| deps.iter().map(move |d| (m.clone(), d.clone())))
        .filter(|(m, d)| reaches(&g, d, m))
        .collect();
    let known: BTreeSet<(String, String)> = KNOWN_CYCLE_EDGES
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    let new: Vec<String> = on_cycles
        .difference(&known)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        new.is_empty(),
        "new edges on a module cycle: {new:?} (see docs/architecture.md)"
    );
    let gone: Vec<String> = known
        .difference(&on_cycles)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        gone.is_empty(),
        "KNOWN_CYCLE_EDGES lists edges that no longer lie on a cycle: {gone:?}; remove them"
    );
}

/// The check itself: a made-up graph with one cycle is caught, and a path through a known
/// cycle edge does not hide a new cycle.
#[test]
fn a_new_cycle_is_caught() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(m, d)| (m.to_owned(), d.into_iter().map(String::from).collect()))
    .collect();
    assert!(reaches(&g, "a", "c") && reaches(&g, "c", "a"));
    assert!(!reaches(&g, "a", "d"), "d is not on the cycle");
}
