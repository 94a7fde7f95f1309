// The in-memory backend's scripts: a two-template library, parameter rules, the
// validation rules of core's `validate_script` (size, UTF-8, NUL, shebang, CRLF, BOM,
// placeholders), and push / test-run tasks over instances the test describes. Core's own
// truth is tested in Rust; this follows it closely enough for the screen's tests.
import type { AppError } from "../bindings/AppError";
import type { InstanceRef } from "../bindings/InstanceRef";
import type { PushReport } from "../bindings/PushReport";
import type { ScriptProblem } from "../bindings/ScriptProblem";
import type { ScriptProblemCode } from "../bindings/ScriptProblemCode";
import type { ScriptTemplate } from "../bindings/ScriptTemplate";
import type { ScriptValidation } from "../bindings/ScriptValidation";
import type { ScriptsEvent } from "../bindings/ScriptsEvent";
import type { TestRun } from "../bindings/TestRun";
import type { Backend } from "./Backend";
import type { MemoryTasks } from "./memoryFleet";

export interface MemoryScripts {
  templates: ScriptTemplate[];
  /** Template name → [freeze, thaw] with `{{param}}` placeholders. */
  bodies: Record<string, [string, string]>;
  /** What each instance holds after pushes: path → content. */
  guests: Record<string, Record<string, string>>;
  /** Per instance: the freeze script's duration and exit code a test run reports. */
  runs: Record<string, { freezeMs: number; freezeExit: number; thawExit: number; output: string }>;
  /** Awaited before each instance's step (default: one event-loop turn). */
  beforeStep?: () => Promise<void>;
}

/** SendFile's content limit as core sets it for the script (before Base64). */
export const MEMORY_MAX_SCRIPT_BYTES = 24_000;
const PATHS = { Freeze: "/tmp/prescript.sh", Thaw: "/tmp/postscript.sh" } as const;
const ALLOWANCE_MS = 1000;

export function memoryScripts(): MemoryScripts {
  return {
    templates: [
      {
        name: "generic",
        title: "Generic (flush only)",
        description: "Flushes file-system buffers with sync.",
        holds: "Nothing.",
        holdsFor: "No time.",
        proof: "Tested on the sandbox.",
        params: [],
      },
      {
        name: "mysql",
        title: "MySQL / MariaDB",
        description: "FLUSH TABLES WITH READ LOCK in a background session held through the freeze.",
        holds: "A global read lock.",
        holdsFor: "Until the thaw script, at most the watchdog's seconds.",
        proof: "Proven on MariaDB.",
        params: [
          { name: "option_file", description: "Credentials file", default: "/root/.my.cnf", rule: { kind: "absolutePath", optional: true } },
          { name: "watchdog_seconds", description: "Release the lock after", default: "40", rule: { kind: "seconds", min: 5, max: 3600 } },
        ],
      },
    ],
    bodies: {
      generic: ["#!/bin/sh\nsync\necho flushed\n", "#!/bin/sh\necho thawed\n"],
      mysql: [
        "#!/bin/sh\n# option file {{option_file}}\nWATCHDOG={{watchdog_seconds}}\necho lock held\n",
        "#!/bin/sh\necho lock released\n",
      ],
    },
    guests: {},
    runs: {},
  };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const fail = (code: AppError["code"], message: string): AppError => ({ code, message });

function problem(code: ScriptProblemCode, severity: "error" | "warning", message: string, extra: Partial<ScriptProblem> = {}): ScriptProblem {
  return { code, severity, message, ...extra };
}

/** Core's rules for one script's bytes. */
export function validateBytes(bytes: Uint8Array): ScriptValidation {
  const problems: ScriptProblem[] = [];
  if (bytes.length === 0) return { sendable: false, problems: [problem("Empty", "error", "the script is empty")] };
  if (bytes.length > MEMORY_MAX_SCRIPT_BYTES) problems.push(problem("TooLarge", "error", `${bytes.length} bytes is over SendFile's limit of ${MEMORY_MAX_SCRIPT_BYTES}`));
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    problems.push(problem("NotUtf8", "error", "the script is not UTF-8 text"));
  }
  if (text !== undefined) {
    const nul = text.indexOf("\0");
    if (nul >= 0) problems.push(problem("NulByte", "error", "a NUL byte: a binary file or UTF-16 text", { line: text.slice(0, nul).split("\n").length }));
    if (text.startsWith("\uFEFF")) {
      problems.push(problem("ByteOrderMark", "warning", "a UTF-8 byte order mark before the shebang; removed"));
      text = text.slice(1);
    }
    if (text.includes("\r\n")) {
      problems.push(problem("CrlfConverted", "warning", "Windows line endings converted to LF (else: bad interpreter: ^M)", { line: text.split("\r\n")[0]!.split("\n").length }));
      text = text.replace(/\r\n/g, "\n");
    }
    if (!/^#!\/\S+/.test(text)) problems.push(problem("NoShebang", "error", "the first line is not #!/path/to/interpreter", { line: 1 }));
    const hole = /\{\{(\w+)\}\}/.exec(text);
    if (hole) problems.push(problem("UnfilledPlaceholder", "error", `placeholder {{${hole[1]}}} left in the text`));
  }
  const sendable = problems.every((p) => p.severity !== "error");
  return text !== undefined && !problems.some((p) => p.code === "NulByte") ? { sendable, content: text, problems } : { sendable, problems };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

type Commands = Pick<Backend, "scriptsTemplates" | "scriptsCheckParams" | "scriptsRender" | "scriptsValidate" | "scriptsPush" | "scriptsTest">;

/** The scripts screen's commands over `scripts` (read at call time, so tests may change it). */
export function scriptsCommands(scripts: () => MemoryScripts, tasks: MemoryTasks): Commands {
  function check(name: string, params: Record<string, string>, timeout: number): ScriptProblem[] {
    const t = scripts().templates.find((x) => x.name === name);
    if (!t) return [problem("UnknownTemplate", "error", `no template named \`${name}\``)];
    const out: ScriptProblem[] = [];
    for (const key of Object.keys(params)) {
      if (!t.params.some((p) => p.name === key)) out.push(problem("UnknownParameter", "error", `${name} has no parameter ${key}`, { param: key }));
    }
    for (const p of t.params) {
      const v = params[p.name] ?? p.default;
      const r = p.rule;
      const bad =
        r.kind === "absolutePath" ? !(v === "" ? r.optional : /^\/[A-Za-z0-9._\-/]*$/.test(v) && !v.includes(".."))
        : r.kind === "seconds" ? !(/^\d+$/.test(v) && Number(v) >= r.min && Number(v) <= r.max)
        : false;
      if (bad) out.push(problem("InvalidParameter", "error", `${p.name} = '${v}' breaks its rule`, { param: p.name }));
      else if (r.kind === "seconds" && p.name === "watchdog_seconds" && Number(v) * 1000 < timeout * 1000 + ALLOWANCE_MS)
        out.push(problem("WatchdogTooShort", "warning", `the watchdog (${v} s) may release the lock before a ${timeout} s freeze ends`, { param: p.name }));
    }
    return out;
  }
  async function run<R>(command: string, args: { taskId: string }, work: () => Promise<R>): Promise<R> {
    tasks.calls.push({ command, args });
    tasks.startTask(args.taskId);
    try {
      await tick();
      tasks.checkpoint(args.taskId);
      return await work();
    } finally {
      tasks.endTask(args.taskId);
    }
  }
  const step = async (taskId: string) => {
    await (scripts().beforeStep ?? tick)();
    tasks.checkpoint(taskId);
  };
  const need = (instances: InstanceRef[]) => {
    if (instances.length === 0) throw fail("InvalidInput", "no instance to send the scripts to");
  };
  return {
    async scriptsTemplates() {
      tasks.calls.push({ command: "scripts_templates" });
      return structuredClone(scripts().templates);
    },
    async scriptsCheckParams(args) {
      tasks.calls.push({ command: "scripts_check_params", args });
      return check(args.name, args.params, args.freezeTimeoutSeconds);
    },
    async scriptsRender(args) {
      tasks.calls.push({ command: "scripts_render", args });
      const problems = check(args.name, args.params, args.freezeTimeoutSeconds);
      const errors = problems.filter((p) => p.severity === "error");
      if (errors.length) throw fail("InvalidInput", `template ${args.name} was not rendered: ${errors.map((p) => `${p.code}: ${p.message}`).join("; ")}`);
      const t = scripts().templates.find((x) => x.name === args.name)!;
      const values = Object.fromEntries(t.params.map((p) => [p.name, args.params[p.name] ?? p.default]));
      const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? "");
      const [freeze, thaw] = scripts().bodies[args.name]!;
      return { name: t.name, freeze: fill(freeze), thaw: fill(thaw), params: values, ...(problems.length ? { warnings: problems } : {}) };
    },
    async scriptsValidate(args) {
      tasks.calls.push({ command: "scripts_validate", args: { bytes: args.content.length } });
      return validateBytes(new Uint8Array(args.content));
    },
    async scriptsPush(args, onEvent) {
      return run("scripts_push", args, async () => {
        need(args.instances);
        const checked = [args.freeze, args.thaw].map((s) => validateBytes(new TextEncoder().encode(s)));
        const refused = checked.flatMap((c) => c.problems.filter((p) => p.severity === "error"));
        if (refused.length) throw fail("InvalidInput", `nothing was sent: ${refused.map((p) => `${p.code}: ${p.message}`).join("; ")}`);
        let seq = 0;
        const emit = (event: ScriptsEvent) => onEvent({ taskId: args.taskId, seq: seq++, event });
        const texts = { Freeze: checked[0]!.content!, Thaw: checked[1]!.content! };
        const hashes = { Freeze: await sha256(texts.Freeze), Thaw: await sha256(texts.Thaw) };
        const report: PushReport = { source: args.source, mode: "0700", owner: "root", group: "root", warnings: checked.flatMap((c) => c.problems), instances: [] };
        for (const role of ["Freeze", "Thaw"] as const) {
          const regions = [...new Set(args.instances.map((i) => i.regionId))];
          for (const r of regions) emit({ kind: "fileSent", regionId: r, role, invokeId: `f-${role}-${r}`, instances: args.instances.filter((i) => i.regionId === r).length });
        }
        for (const target of args.instances) {
          await step(args.taskId);
          const guest = (scripts().guests[target.instanceId] ??= {});
          const files = (["Freeze", "Thaw"] as const).map((role) => {
            guest[PATHS[role]] = texts[role];
            emit({ kind: "fileDone", instanceId: target.instanceId, role, status: "Success" });
            const size = new TextEncoder().encode(texts[role]).length;
            return {
              role, path: PATHS[role], sha256: hashes[role], size, invokeId: `f-${role}-${target.regionId}`, sendStatus: "Success", written: true,
              found: { owner: "root", group: "root", mode: "0700", size, crlf: false, sha256: hashes[role] }, mismatches: [],
            };
          });
          emit({ kind: "verified", instanceId: target.instanceId, verified: true });
          report.instances.push({ ...target, files, verified: true });
        }
        return report;
      });
    },
    async scriptsTest(args, onEvent) {
      return run("scripts_test", args, async () => {
        need(args.instances);
        let seq = 0;
        onEvent({ taskId: args.taskId, seq: seq++, event: { kind: "guestScriptSent", regionId: args.instances[0]!.regionId, instances: args.instances.length } });
        const out: TestRun[] = [];
        for (const target of args.instances) {
          await step(args.taskId);
          const guest = scripts().guests[target.instanceId] ?? {};
          const base = { ...target, timeoutSeconds: args.timeoutSeconds, snapshotAllowanceMs: ALLOWANCE_MS };
          if (!guest[PATHS.Freeze]) {
            out.push({ ...base, verdict: "NotRun", freeze: null, thaw: null, freezeWindowMs: null, withinTimeout: null, error: `${PATHS.Freeze} is missing` });
            continue;
          }
          const r = scripts().runs[target.instanceId] ?? { freezeMs: 300, freezeExit: 0, thawExit: 0, output: "lock held" };
          const window = r.freezeMs + 5;
          const within = window + ALLOWANCE_MS <= args.timeoutSeconds * 1000;
          const verdict = r.freezeExit !== 0 ? "FreezeFailed" : r.thawExit !== 0 ? "ThawFailed" : within ? "Passed" : "TooSlow";
          out.push({
            ...base, verdict, freezeWindowMs: window, withinTimeout: within,
            freeze: { path: PATHS.Freeze, exitCode: r.freezeExit, durationMs: r.freezeMs, timedOut: false, output: r.output },
            thaw: { path: PATHS.Thaw, exitCode: r.thawExit, durationMs: 5, timedOut: false, output: "lock released" },
          });
        }
        return out;
      });
    },
  };
}
