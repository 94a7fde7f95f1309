//! Proof of the world's one direction of dependency: every file under `src/world/` imports
//! only world modules listed before its own in [`MODULE_ORDER`], by absolute path
//! (`crate::world::…`; `super::` only inside test modules).

use std::path::{Path, PathBuf};

use super::MODULE_ORDER;

/// The module a world file defines: `plugin/mod.rs` → `plugin`, `model/tags.rs` →
/// `model::tags`, `mod.rs` → `world`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.is_empty() {
        "world".into()
    } else {
        parts.join("::")
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/world is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The world modules a source text names, longest known prefix of each `crate::world::` path.
fn references(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in code.match_indices("crate::world::") {
        let rest = &code[i + "crate::world::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let module = (1..=segments.len())
            .rev()
            .map(|n| segments[..n].join("::"))
            .find(|m| MODULE_ORDER.contains(&m.as_str()))
            .unwrap_or_else(|| "world".into());
        found.push(module);
    }
    found
}

/// Production code only: everything before the first `#[cfg(test)]`, without comments.
fn production(text: &str) -> String {
    text.split("#[cfg(test)]")
        .next()
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn world_modules_only_import_downwards() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/world");
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut seen = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&root).expect("under src/world");
        let module = module_of(rel);
        if module == "layers" || module.ends_with("tests") {
            continue;
        }
        let rank = MODULE_ORDER
            .iter()
            .position(|m| *m == module)
            .unwrap_or_else(|| panic!("{module} is missing from MODULE_ORDER"));
        let code = production(&std::fs::read_to_string(&path).expect("readable"));
        assert!(
            !code.contains("super::"),
            "{module}: use crate::world::… paths, not super::"
        );
        for used in references(&code) {
            let used_rank = MODULE_ORDER.iter().position(|m| *m == used).unwrap();
            assert!(
                used_rank < rank || used == module,
                "{module} imports {used}, which is not below it in MODULE_ORDER"
            );
        }
        seen.push(module);
    }
    for m in MODULE_ORDER {
        assert!(
            seen.iter().any(|s| s == m),
            "MODULE_ORDER names {m}, no such file"
        );
    }
}

#[test]
fn the_checker_sees_an_upward_import() {
    let code = production("use crate::world::plugin::run::Run;\nuse crate::world::World;");
    assert_eq!(references(&code), vec!["plugin::run", "world"]);
    assert_eq!(module_of(Path::new("plugin/mod.rs")), "plugin");
    assert_eq!(module_of(Path::new("model/tags.rs")), "model::tags");
}
