import { describe, expect, it } from "vitest";
import enUS from "./en-US.json";
import zhCN from "./zh-CN.json";
import { ERROR_CODES } from "../ipc";
import { SCREEN_KEYS } from "../app/routes";
import { CHECK_IDS, FIX_ACTIONS, REASON_KEYS, REASON_PARAMS } from "../bindings/fleetLists";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object") {
      for (const [k, v] of flatten(value, path)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

const catalogues = { "en-US": flatten(enUS), "zh-CN": flatten(zhCN) };

describe("translation catalogues", () => {
  it("have exactly the same keys", () => {
    const en = [...catalogues["en-US"].keys()].sort();
    const zh = [...catalogues["zh-CN"].keys()].sort();
    expect(zh).toEqual(en);
  });

  it.each(Object.entries(catalogues))("%s has no empty or non-string values", (_, entries) => {
    for (const [key, value] of entries) {
      expect(typeof value, key).toBe("string");
      expect((value as string).trim(), key).not.toBe("");
    }
  });

  it.each(Object.entries(catalogues))("%s uses the same interpolation variables as en-US", (_, entries) => {
    const vars = (s: unknown) => [...String(s).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
    for (const [key, value] of catalogues["en-US"]) {
      expect(vars(entries.get(key)), key).toEqual(vars(value));
    }
  });

  it.each(Object.entries(catalogues))("%s names every error code and screen", (_, entries) => {
    for (const code of ERROR_CODES) expect(entries.has(`error.code.${code}`), code).toBe(true);
    for (const screen of SCREEN_KEYS) {
      expect(entries.has(`nav.${screen}`), screen).toBe(true);
      expect(entries.has(`screens.${screen}.description`), screen).toBe(true);
    }
  });

  it.each(Object.entries(catalogues))("%s words every check, reason and fix of the fleet engine", (_, entries) => {
    for (const id of CHECK_IDS) expect(entries.has(`fleet.check.${id}`), id).toBe(true);
    for (const action of FIX_ACTIONS) expect(entries.has(`fleet.fix.${action}`), action).toBe(true);
    const vars = (s: unknown) => [...new Set([...String(s).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]))].sort();
    for (const key of REASON_KEYS) {
      expect(entries.has(`fleet.reason.${key}`), key).toBe(true);
      // Exactly the parameters the engine sends: none missing, none left as {{…}}.
      expect(vars(entries.get(`fleet.reason.${key}`)), key).toEqual([...REASON_PARAMS[key]].sort());
    }
    const reasons = [...entries.keys()].filter((k) => k.startsWith("fleet.reason.")).map((k) => k.slice("fleet.reason.".length));
    expect(reasons.sort()).toEqual([...REASON_KEYS].sort());
  });

  it("zh-CN is actually Chinese where it matters", () => {
    expect(catalogues["zh-CN"].get("nav.instances")).toBe("实例");
    expect(catalogues["zh-CN"].get("nav.settings")).not.toBe(catalogues["en-US"].get("nav.settings"));
  });

  // The console's own words (../shared/reference/glossary.md), so admins meet the terms
  // they know in either language. [catalogue key, zh-CN terms, en-US terms]
  const GLOSSARY: [string, string[], string[]][] = [
    ["screens.ram.description", ["RAM角色", "可信实体为阿里云服务", "自定义权限策略", "授予实例RAM角色"], ["RAM role", "trusted entity", "custom policy", "attach the RAM role"]],
    ["screens.instances.description", ["地域", "ESSD云盘", "云助手客户端", "RAM角色"], ["region", "ESSD", "Cloud Assistant Agent", "RAM role"]],
    ["screens.scripts.description", ["应用冻结脚本", "应用解冻脚本", "云助手", "/tmp/prescript.sh", "/tmp/postscript.sh"], ["freeze script", "thaw script", "Cloud Assistant", "/tmp/prescript.sh", "/tmp/postscript.sh"]],
    ["screens.results.description", ["命令ID", "命令执行ID", "退出码", "回显信息", "实例快照", "云盘快照", "APPConsistent:True", "FsConsistent:True"], ["command ID", "invocation ID", "exit code", "output", "instance snapshot", "disk snapshot", "APPConsistent:True", "FsConsistent:True"]],
    ["screens.history.description", ["回滚云盘"], ["roll back disk"]],
    ["fleet.consistency.application", ["应用一致性"], ["Application-consistent"]],
    ["fleet.consistency.filesystem", ["文件系统一致性"], ["File-system-consistent"]],
    ["fleet.check.AgentOnline", ["云助手客户端"], ["Cloud Assistant Agent"]],
    ["fleet.fix.AttachRole", ["授予实例RAM角色"], ["RAM role"]],
    ["fleet.reason.DiskNotEssd", ["ESSD云盘"], ["ESSD"]],
    ["instances.col.region", ["地域"], ["Region"]],
  ];

  it.each(GLOSSARY)("%s uses the glossary's words", (key, zh, en) => {
    for (const term of zh) expect(catalogues["zh-CN"].get(key), term).toContain(term);
    for (const term of en) expect(catalogues["en-US"].get(key), term).toContain(term);
  });
});
