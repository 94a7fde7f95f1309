#!/usr/bin/env node
// Layer rule from docs/ARCHITECTURE.md: no crate under crates/ depends on Tauri, directly
// or through another crate, for any dependency kind (normal, build, dev).
// Reads `cargo metadata` (the lockfile's resolved graph); exits non-zero on a violation.
// Self-check: the desktop shell must reach `tauri`, or the walk itself is broken.
import { execFileSync } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const meta = JSON.parse(
  execFileSync("cargo", ["metadata", "--format-version", "1", "--locked"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  }),
);

const byId = new Map(meta.packages.map((p) => [p.id, p]));
const deps = new Map(meta.resolve.nodes.map((n) => [n.id, n.deps.map((d) => d.pkg)]));
const isTauri = (id) => /^tauri($|-)/.test(byId.get(id).name);

/** The first path from `start` to a Tauri package, or null. */
function pathToTauri(start) {
  const seen = new Set([start]);
  const queue = [[start]];
  while (queue.length > 0) {
    const path = queue.shift();
    for (const next of deps.get(path.at(-1)) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      const longer = [...path, next];
      if (isTauri(next)) return longer;
      queue.push(longer);
    }
  }
  return null;
}

const members = meta.workspace_members.map((id) => byId.get(id));
const inCrates = members.filter((p) => relative(root, p.manifest_path).startsWith("crates/"));
const shell = members.find((p) => p.name === "appsnap-desktop");
let failed = false;

if (inCrates.length === 0 || !shell || !pathToTauri(shell.id)) {
  console.error("check-layers: cannot see the workspace's crates or the shell's Tauri dependency");
  process.exit(2);
}
for (const p of inCrates) {
  const path = pathToTauri(p.id);
  if (path) {
    failed = true;
    console.error(`check-layers: ${p.name} depends on Tauri: ${path.map((id) => byId.get(id).name).join(" -> ")}`);
  }
}
if (failed) process.exit(1);
console.log(`check-layers: no Tauri under crates/ (${inCrates.map((p) => p.name).join(", ")})`);
