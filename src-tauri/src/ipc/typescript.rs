//! Writes `ui/src/bindings/commands.ts` from the command table: one typed function per
//! command over `call()`, so a renamed command or a changed type fails `npm run typecheck`.

use std::collections::BTreeMap;
use std::path::Path;

use appsnap_core::progress::TaskEvent;
use ts_rs::{Config, Dependency, TypeVisitor, TS};

/// One row of the command table, as data.
pub struct CommandSpec {
    pub name: &'static str,
    pub docs: Vec<&'static str>,
    /// Rust argument names (snake_case); Tauri takes them in camelCase.
    pub args: Vec<(&'static str, TsType)>,
    pub result: TsType,
    /// For tasks: the `TaskEvent<E>` their channel carries.
    pub events: Option<TsType>,
}

/// A type as TypeScript names it, with the generated files it needs imported.
pub struct TsType {
    pub ts: String,
    /// TS name → module path relative to the bindings dir, without extension.
    pub imports: BTreeMap<String, String>,
}

impl TsType {
    /// Imports only the names the text uses (the type and its generic arguments): an
    /// unused import fails `noUnusedLocals`, and the files import their own dependencies.
    pub fn of<T: TS + 'static + ?Sized>() -> Self {
        struct Names<'a>(&'a Config, BTreeMap<String, String>);
        impl Names<'_> {
            fn add<U: TS + 'static + ?Sized>(&mut self) {
                if let Some(d) = Dependency::from_ty::<U>(self.0) {
                    let path = d.output_path.with_extension("");
                    self.1
                        .insert(d.ts_name, path.to_string_lossy().replace('\\', "/"));
                }
                U::visit_generics(self);
            }
        }
        impl TypeVisitor for Names<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                self.add::<U>();
            }
        }
        let cfg = Config::from_env();
        let mut names = Names(&cfg, BTreeMap::new());
        names.add::<T>();
        Self {
            ts: T::name(&cfg),
            imports: names.1,
        }
    }

    pub fn event<E: TS + 'static>() -> Self {
        Self::of::<TaskEvent<E>>()
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn jsdoc(docs: &[&str], indent: &str) -> String {
    if docs.is_empty() {
        return String::new();
    }
    let lines: String = docs
        .iter()
        .map(|l| format!("{indent} *{}\n", l.trim_end()))
        .collect();
    format!("{indent}/**\n{lines}{indent} */\n")
}

/// The whole `commands.ts`.
pub fn render(specs: &[CommandSpec]) -> String {
    let mut imports = BTreeMap::new();
    for s in specs {
        let types = s.args.iter().map(|(_, t)| t).chain([&s.result]);
        for t in types.chain(s.events.as_ref()) {
            imports.extend(t.imports.clone());
        }
    }
    let mut out = String::from(
        "// GENERATED from the command table in src-tauri/src/ipc/mod.rs by\n\
         // `cargo test export_bindings`. Do not edit; `make bindings-check` fails when stale.\n\
         import { call, channel } from \"../ipc\";\n",
    );
    for (name, path) in &imports {
        out += &format!("import type {{ {name} }} from \"./{path}\";\n");
    }
    let names = |tasks: bool| -> String {
        specs
            .iter()
            .filter(|s| s.events.is_some() == tasks)
            .map(|s| format!("\"{}\"", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out += &format!(
        "\n/** Commands that answer at once. */\nexport const CALL_COMMANDS = [{}] as const;\n\
         /** Commands that run as tasks: a caller-chosen `taskId`, `TaskEvent`s on `onEvent`, cancellable. */\n\
         export const TASK_COMMANDS = [{}] as const;\n\
         export type CommandName = (typeof CALL_COMMANDS)[number] | (typeof TASK_COMMANDS)[number];\n\n\
         /** Every command as a typed function; the UI's `Backend` has exactly these methods. */\n\
         export const commands = {{\n",
        names(false),
        names(true)
    );
    for s in specs {
        let fields: Vec<String> = s
            .args
            .iter()
            .map(|(n, t)| format!("{}: {}", camel(n), t.ts))
            .collect();
        let args = format!("{{ {} }}", fields.join(", "));
        let (result, name) = (&s.result.ts, s.name);
        out += &jsdoc(&s.docs, "  ");
        out += &match (&s.events, fields.is_empty()) {
            (Some(events), _) => format!(
                "  {}: (args: {args}, onEvent: (event: {}) => void): Promise<{result}> =>\n    \
                 call<{result}>(\"{name}\", {{ ...args, onEvent: channel(onEvent) }}),\n",
                camel(name),
                events.ts
            ),
            (None, true) => format!(
                "  {}: (): Promise<{result}> => call<{result}>(\"{name}\"),\n",
                camel(name)
            ),
            (None, false) => format!(
                "  {}: (args: {args}): Promise<{result}> => call<{result}>(\"{name}\", args),\n",
                camel(name)
            ),
        };
    }
    out += "};\n\nexport type Commands = typeof commands;\n";
    out
}

pub fn export(specs: &[CommandSpec], dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("commands.ts"), render(specs))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::ipc::specs;

    #[test]
    fn export_bindings_commands() {
        export(&specs(), Config::from_env().out_dir()).expect("write commands.ts");
    }

    #[test]
    fn command_names_are_unique_snake_case() {
        let specs = specs();
        let names: HashSet<_> = specs.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), specs.len());
        for name in names {
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
        }
    }

    #[test]
    fn renders_calls_and_tasks_with_their_imports() {
        let ts = render(&specs());
        assert!(
            ts.contains(
                "  appStatus: (): Promise<AppStatus> => call<AppStatus>(\"app_status\"),\n"
            ),
            "{ts}"
        );
        assert!(
            ts.contains("  taskCancel: (args: { taskId: string }): Promise<boolean> => call<boolean>(\"task_cancel\", args),\n"),
            "{ts}"
        );
        assert!(
            ts.contains(
                "  regionsScan: (args: { taskId: string }, onEvent: (event: TaskEvent<RegionScanEvent>) => void): Promise<RegionScan> =>\n    \
                 call<RegionScan>(\"regions_scan\", { ...args, onEvent: channel(onEvent) }),\n"
            ),
            "{ts}"
        );
        for import in [
            "import type { AppStatus } from \"./AppStatus\";",
            "import type { RegionScan } from \"./RegionScan\";",
            "import type { RegionScanEvent } from \"./RegionScanEvent\";",
            "import type { TaskEvent } from \"./TaskEvent\";",
        ] {
            assert!(ts.contains(import), "missing {import}\n{ts}");
        }
        assert!(
            !ts.contains("SandboxStatus"),
            "AppStatus imports its own parts; an unused import fails the UI's typecheck"
        );
        assert!(
            ts.contains(
                "  ramApply: (args: { taskId: string, options: RamOptions }, onEvent: (event: TaskEvent<RamApplyEvent>) => void): Promise<RamApplyReport> =>\n    \
                 call<RamApplyReport>(\"ram_apply\", { ...args, onEvent: channel(onEvent) }),\n"
            ),
            "{ts}"
        );
        // Every task of the table, in table order, and only the tasks.
        let specs = specs();
        let tasks: Vec<String> = specs
            .iter()
            .filter(|c| c.events.is_some())
            .map(|c| format!("\"{}\"", c.name))
            .collect();
        assert!(tasks.len() >= 2 && tasks[..2] == ["\"regions_scan\"", "\"ram_apply\""]);
        assert!(
            ts.contains(&format!(
                "export const TASK_COMMANDS = [{}] as const;",
                tasks.join(", ")
            )),
            "{ts}"
        );
    }

    #[test]
    fn camel_cases_argument_names_as_tauri_does() {
        assert_eq!(camel("task_id"), "taskId");
        assert_eq!(camel("on_event"), "onEvent");
        assert_eq!(camel("region"), "region");
    }
}
