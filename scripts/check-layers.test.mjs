// node --test scripts/check-layers.test.mjs (part of `make lint`): every rule of
// check-layers.mjs fails on a synthetic `cargo metadata` graph that breaks it, and a rule
// that cannot see its known-good path reports itself broken instead of passing.
import assert from "node:assert/strict";
import { test } from "node:test";

import { RULES, checkLayers } from "./check-layers.mjs";

const ROOT = "/ws";
const MEMBERS = {
  "appsnap-desktop": "Cargo.toml",
  "appsnap-core": "crates/appsnap-core/Cargo.toml",
  "acs-openapi": "crates/acs-openapi/Cargo.toml",
  "sandbox-cloud": "crates/sandbox-cloud/Cargo.toml",
  "appsnap-cli": "crates/appsnap-cli/Cargo.toml",
  "test-support": "crates/test-support/Cargo.toml",
};
const N = null;

/** Today's workspace, reduced to the edges the rules care about: [from, to, kind]. */
const GOOD = [
  ["appsnap-desktop", "appsnap-core", N],
  ["appsnap-desktop", "sandbox-cloud", N],
  ["appsnap-desktop", "tauri", N],
  ["appsnap-desktop", "tauri-build", "build"],
  ["tauri", "wry", N],
  ["appsnap-cli", "acs-openapi", N],
  ["appsnap-cli", "appsnap-core", N],
  ["appsnap-cli", "sandbox-cloud", N],
  ["appsnap-cli", "test-support", "dev"],
  ["appsnap-core", "acs-openapi", N],
  ["appsnap-core", "test-support", "dev"],
  ["acs-openapi", "serde", N],
  ["acs-openapi", "sandbox-cloud", "dev"],
  ["acs-openapi", "test-support", "dev"],
  ["sandbox-cloud", "serde", N],
  ["sandbox-cloud", "test-support", "dev"],
  ["test-support", "sandbox-cloud", N],
];

const id = (name) => `registry+${name}@1.0.0`;

/** A `cargo metadata` document with these edges (a pair listed twice gets both kinds). */
function metadata(edges) {
  const names = new Set(Object.keys(MEMBERS));
  for (const [from, to] of edges) names.add(from).add(to);
  const packages = [...names].map((name) => ({
    id: id(name),
    name,
    manifest_path: `${ROOT}/${MEMBERS[name] ?? `registry/${name}/Cargo.toml`}`,
  }));
  const nodes = [...names].map((name) => {
    const deps = new Map();
    for (const [from, to, kind] of edges.filter(([f]) => f === name)) {
      const dep = deps.get(to) ?? { pkg: id(to), name: to.replaceAll("-", "_"), dep_kinds: [] };
      dep.dep_kinds.push({ kind, target: null });
      deps.set(to, dep);
    }
    return { id: id(name), deps: [...deps.values()] };
  });
  return {
    packages,
    workspace_members: Object.keys(MEMBERS).map(id),
    workspace_root: ROOT,
    resolve: { nodes },
  };
}

const ruleIds = (violations) => violations.map((v) => v.split(" ")[0]);

test("today's graph holds every rule and every rule sees its witnesses", () => {
  const r = checkLayers(metadata(GOOD));
  assert.deepEqual(r.broken, []);
  assert.deepEqual(r.violations, []);
});

// One edge that breaks each rule, through a third-party crate where that is the sneaky way.
const BREAKS = {
  "crates-no-tauri": [
    ["acs-openapi", "some-helper", "dev"],
    ["some-helper", "tauri-utils", N],
  ],
  "sandbox-no-client": [["sandbox-cloud", "acs-openapi", N]],
  "client-no-core-or-sandbox": [
    ["acs-openapi", "glue", N],
    ["glue", "appsnap-core", N],
  ],
  "core-no-front-end": [["appsnap-core", "appsnap-cli", "dev"]],
  "core-no-sandbox": [["appsnap-core", "sandbox-cloud", "build"]],
  "test-support-dev-only": [["appsnap-core", "test-support", N]],
};

test("every rule has a breaking graph", () => {
  assert.deepEqual(Object.keys(BREAKS).sort(), RULES.map((r) => r.id).sort());
});

for (const [rule, extra] of Object.entries(BREAKS)) {
  test(`a graph violating ${rule} fails it`, () => {
    const r = checkLayers(metadata([...GOOD, ...extra]));
    assert.deepEqual(r.broken, []);
    assert.ok(ruleIds(r.violations).includes(rule), r.violations.join("\n"));
    const path = extra.map(([from]) => from).concat(extra.at(-1)[1]).join(" -> ");
    assert.ok(r.violations.some((v) => v.endsWith(path)), `${path} not in ${r.violations}`);
  });
}

test("a forbidden edge also fails every rule that reaches it transitively", () => {
  const r = checkLayers(metadata([...GOOD, ["acs-openapi", "sandbox-cloud", N]]));
  // core ships acs-openapi, so core now ships the sandbox too.
  assert.deepEqual(ruleIds(r.violations), ["client-no-core-or-sandbox", "core-no-sandbox"]);
  assert.ok(r.violations[1].endsWith("appsnap-core -> acs-openapi -> sandbox-cloud"));
});

test("dev-dependencies are allowed where the rules say so", () => {
  const devOnly = [
    ["sandbox-cloud", "acs-openapi", "dev"],
    ["appsnap-core", "sandbox-cloud", "dev"],
    // A dependency's own dev-dependencies are never built.
    ["glue", "tauri", "dev"],
    ["appsnap-core", "glue", N],
  ];
  const r = checkLayers(metadata([...GOOD, ...devOnly]));
  assert.deepEqual(r.violations, []);
});

test("a rule that cannot see its known-good path is broken, not green", () => {
  const withoutTauri = GOOD.filter(([, to]) => to !== "tauri");
  const r = checkLayers(metadata(withoutTauri));
  assert.ok(r.broken.some((b) => b.startsWith("crates-no-tauri:")), r.broken.join("\n"));
  const noCliCore = GOOD.filter(([f, t]) => !(f === "appsnap-cli" && t === "appsnap-core"));
  const r2 = checkLayers(metadata(noCliCore));
  assert.ok(r2.broken.some((b) => b.startsWith("client-no-core-or-sandbox:")), r2.broken.join("\n"));
});

test("a renamed crate breaks the rules that name it", () => {
  const meta = metadata(GOOD);
  meta.packages.find((p) => p.name === "sandbox-cloud").name = "sandbox";
  const r = checkLayers(meta);
  for (const rule of ["sandbox-no-client", "client-no-core-or-sandbox", "core-no-sandbox"]) {
    assert.ok(r.broken.some((b) => b.startsWith(`${rule}:`)), `${rule}: ${r.broken}`);
  }
});
