#!/usr/bin/env node
// The "never" arrows of docs/ARCHITECTURE.md, checked on `cargo metadata` (the lockfile's
// resolved graph). Exits 1 on a violation, 2 when a rule cannot see what it forbids.
//
// Each rule walks from its crates along the dependency kinds it names and fails on
// reaching a forbidden package, directly or through any other crate. "normal" means what
// ships: normal and build dependencies. "any" adds the crate's own dev-dependencies (a
// dependency's dev-dependencies are never built, so they are not followed).
// Self-check: every rule's crates and targets must exist, and its witnesses (known-good
// paths of the same kind it forbids) must be found by the same walk, or the walk is broken.
import { execFileSync } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SHIPPING = new Set([null, "build"]);
const ANY = new Set([null, "build", "dev"]);
const isTauri = (name) => /^tauri($|-)/.test(name);
const FRONT_ENDS = ["appsnap-desktop", "appsnap-cli"];
const GUI = (name) => isTauri(name) || name === "wry" || name === "tao";

/**
 * The rules, one per arrow. `from`: the crates it starts at (names, or "crates/" for every
 * workspace crate under crates/); `to`: forbidden package names or a predicate; `kinds`:
 * SHIPPING or ANY; `witnesses`: [from, to] pairs (or [from, to, kinds]) that must connect.
 */
export const RULES = [
  {
    id: "crates-no-tauri",
    doc: "no crate under crates/ depends on Tauri (any kind)",
    from: "crates/",
    to: isTauri,
    kinds: ANY,
    witnesses: [["appsnap-desktop", "tauri"]],
  },
  {
    id: "sandbox-no-client",
    doc: "sandbox-cloud never depends on acs-openapi (its tests may, as dev-dependencies)",
    from: ["sandbox-cloud"],
    to: ["acs-openapi"],
    kinds: SHIPPING,
    witnesses: [["appsnap-core", "acs-openapi"]],
  },
  {
    id: "client-no-core-or-sandbox",
    doc: "acs-openapi knows nothing of the workflow or the sandbox (its tests may use the sandbox)",
    from: ["acs-openapi"],
    to: ["appsnap-core", "sandbox-cloud"],
    kinds: SHIPPING,
    witnesses: [
      ["appsnap-cli", "appsnap-core"],
      ["appsnap-desktop", "sandbox-cloud"],
    ],
  },
  {
    id: "core-no-front-end",
    doc: "appsnap-core knows no front end: not the shell, the CLI, Tauri or a webview (any kind)",
    from: ["appsnap-core"],
    to: (name) => FRONT_ENDS.includes(name) || GUI(name),
    kinds: ANY,
    witnesses: [["appsnap-desktop", "tauri"]],
    mustExist: FRONT_ENDS,
  },
  {
    id: "core-no-sandbox",
    doc: "appsnap-core never depends on sandbox-cloud (the front ends start it)",
    from: ["appsnap-core"],
    to: ["sandbox-cloud"],
    kinds: SHIPPING,
    witnesses: [["appsnap-cli", "sandbox-cloud"]],
  },
  {
    id: "test-support-dev-only",
    doc: "test-support is only ever a dev-dependency",
    from: (p) => p.name !== "test-support",
    to: ["test-support"],
    kinds: SHIPPING,
    // No shipping path may exist, so the witness is a dev edge: the package is seen.
    witnesses: [["acs-openapi", "test-support", ANY]],
  },
];

/** Check `meta` (cargo metadata JSON) against `rules`: { broken, violations, members }. */
export function checkLayers(meta, rules = RULES) {
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const edges = new Map(meta.resolve.nodes.map((n) => [n.id, n.deps]));
  const members = meta.workspace_members.map((id) => byId.get(id));
  const underCrates = (p) => relative(meta.workspace_root, p.manifest_path).startsWith("crates/");
  const byName = (name) => members.find((p) => p.name === name);
  const anyNamed = (name) => meta.packages.some((p) => p.name === name);

  /** The first path from `start` to a package `hit` accepts, or null. */
  function pathFrom(start, hit, kinds) {
    const seen = new Set([start]);
    const queue = [[start]];
    while (queue.length > 0) {
      const path = queue.shift();
      for (const dep of edges.get(path.at(-1)) ?? []) {
        const root = path.length === 1;
        const follows = dep.dep_kinds.some((k) => kinds.has(k.kind) && (k.kind !== "dev" || root));
        if (!follows || seen.has(dep.pkg)) continue;
        seen.add(dep.pkg);
        const longer = [...path, dep.pkg];
        if (hit(byId.get(dep.pkg).name)) return longer;
        queue.push(longer);
      }
    }
    return null;
  }
  const names = (path) => path.map((id) => byId.get(id).name).join(" -> ");

  const broken = [];
  const violations = [];
  for (const rule of rules) {
    const hit = typeof rule.to === "function" ? rule.to : (name) => rule.to.includes(name);
    const starts =
      rule.from === "crates/"
        ? members.filter(underCrates)
        : typeof rule.from === "function"
          ? members.filter(rule.from)
          : rule.from.map((name) => byName(name) ?? name);
    for (const s of starts.filter((s) => typeof s === "string")) {
      broken.push(`${rule.id}: no workspace crate named ${s}`);
    }
    if (starts.length === 0) broken.push(`${rule.id}: no crate to check`);
    const targets = [...(Array.isArray(rule.to) ? rule.to : []), ...(rule.mustExist ?? [])];
    for (const t of targets.filter((t) => !anyNamed(t))) {
      broken.push(`${rule.id}: no package named ${t} in the graph`);
    }
    for (const [from, to, kinds = rule.kinds] of rule.witnesses) {
      const start = byName(from);
      if (!start || !pathFrom(start.id, (name) => name === to, kinds)) {
        broken.push(`${rule.id}: cannot see the known-good path ${from} -> ${to}`);
      }
    }
    for (const p of starts.filter((s) => typeof s !== "string")) {
      const path = pathFrom(p.id, hit, rule.kinds);
      if (path) violations.push(`${rule.id} (${rule.doc}): ${names(path)}`);
    }
  }
  return { broken, violations, members: members.map((p) => p.name) };
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const meta = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--locked"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
  const { broken, violations, members } = checkLayers(meta);
  for (const b of broken) console.error(`check-layers: broken rule: ${b}`);
  if (broken.length > 0) process.exit(2);
  for (const v of violations) console.error(`check-layers: ${v}`);
  if (violations.length > 0) process.exit(1);
  console.log(`check-layers: ${RULES.length} rules hold for ${members.join(", ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
