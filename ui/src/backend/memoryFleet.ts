// The in-memory backend's fleet: a few demo-like instances with their checks, and the
// picker's commands over them (stored inventory, refresh, deep check, fix) with the same
// task rules as the other memory tasks. Its predictions follow the engine's rule closely
// enough for the screen's tests; the engine's own truth is tested in Rust.
import type { AppError } from "../bindings/AppError";
import type { Assessed } from "../bindings/Assessed";
import type { Check } from "../bindings/Check";
import type { CheckId } from "../bindings/CheckId";
import type { CheckStatus } from "../bindings/CheckStatus";
import type { FixAction } from "../bindings/FixAction";
import type { FixOutcome } from "../bindings/FixOutcome";
import type { Inventory } from "../bindings/Inventory";
import type { Prediction } from "../bindings/Prediction";
import type { ReasonKey } from "../bindings/ReasonKey";
import type { RoleFact } from "../bindings/RoleFact";
import type { StoredInventory } from "../bindings/StoredInventory";

export interface MemoryFleet {
  /** What `fleet_cached` answers; `null` = never refreshed. */
  stored: StoredInventory | null;
  /** What the cloud holds: a refresh reads it. */
  cloud: Inventory;
  /** Each instance's guest checks after a deep check. */
  probe: Record<string, Check[]>;
  /** When set, `fleetRefresh` fails with it after listing the regions. */
  refreshError?: AppError;
  /** Awaited before each region or probe batch (default: one event-loop turn). */
  beforeStep?: () => Promise<void>;
}

const GUEST: readonly CheckId[] = ["FileSystems", "FreezeScripts", "VssWriters"];
/** Failing, these still leave file-system consistency. */
const SOFT: readonly CheckId[] = ["FreezeScripts", "VssWriters"];

export function check(id: CheckId, status: CheckStatus, key: ReasonKey, params: Record<string, string> = {}, fix: FixAction | null = null): Check {
  return { id, status, reason: { key, params, text: key }, fix };
}

export function predict(checks: Check[]): Prediction {
  const fails = checks.filter((c) => c.status === "fail");
  const hard = fails.filter((c) => !SOFT.includes(c.id));
  const unknown = checks.filter((c) => c.status === "unknown");
  if (hard.length) return { consistency: "none", decidedBy: hard.map((c) => c.id), confirmed: unknown.length === 0 };
  if (fails.length) return { consistency: "filesystem", decidedBy: fails.map((c) => c.id), confirmed: unknown.length === 0 };
  if (unknown.length) return { consistency: "filesystem", decidedBy: unknown.map((c) => c.id), confirmed: false };
  return { consistency: "application", decidedBy: [], confirmed: true };
}

interface Spec {
  id: string;
  name: string;
  region: string;
  os: "linux" | "windows";
  osName: string;
  status?: string;
  role?: RoleFact;
  /** Checks that differ from a passing one. */
  checks?: Check[];
}

const ROLE_OK: RoleFact = { state: "attached", roleName: "AppSnapshotRoleName", evaluation: { sufficient: true, findings: [] } };

function row(s: Spec): Assessed {
  const passing: Check[] = [
    check("Running", "pass", "InstanceRunning"),
    check("OsSupported", "pass", "OsSupported", { os: s.osName }),
    check("DisksEssd", "pass", "DisksEssd", { count: "2" }),
    check("DiskCount", "pass", "DiskCountOk", { count: "2", limit: "16" }),
    check("AgentInstalled", "pass", "AgentInstalled", { version: "2.2.3.398" }),
    check("AgentOnline", "pass", "AgentOnline"),
    check("AgentVersion", "pass", "AgentVersionOk", { version: "2.2.3.398" }),
    check("RamRole", "pass", "RoleAttached", { role: "AppSnapshotRoleName" }),
    check("RolePolicy", "pass", "RoleGrants", { role: "AppSnapshotRoleName" }),
    ...(s.os === "linux" ? (["FileSystems", "FreezeScripts"] as const) : (["VssWriters"] as const)).map((id) =>
      check(id, "unknown", "NeedsDeepCheck", {}, "DeepCheck"),
    ),
  ];
  const checks = passing.map((c) => s.checks?.find((d) => d.id === c.id) ?? c);
  return {
    instance: {
      instanceId: s.id,
      name: s.name,
      regionId: s.region,
      zoneId: `${s.region}-h`,
      osType: s.os,
      osName: s.osName,
      osNameEn: s.osName,
      status: s.status ?? "Running",
      disks: [
        { diskId: `d-${s.id.slice(2)}1`, category: "cloud_essd", diskType: "system", sizeGib: 40, multiAttach: "Disabled" },
        { diskId: `d-${s.id.slice(2)}2`, category: "cloud_essd", diskType: "data", sizeGib: 100, multiAttach: "Disabled" },
      ],
      agent: { installed: true, online: s.status !== "Stopped", version: "2.2.3.398" },
      role: s.role ?? ROLE_OK,
      guest: null,
    },
    checks,
    prediction: predict(checks),
  };
}

const NO_ROLE = [check("RamRole", "fail", "RoleMissing", {}, "AttachRole"), check("RolePolicy", "unknown", "RoleMissing", {}, "AttachRole")];

export const MEMORY_FLEET_ROWS: Assessed[] = [
  row({ id: "i-hz0mysql", name: "app-centos79-mysql", region: "cn-hangzhou", os: "linux", osName: "CentOS  7.9 64 bit", role: { state: "none" }, checks: NO_ROLE }),
  row({ id: "i-hz0sqlsrv", name: "win2019-sqlserver", region: "cn-hangzhou", os: "windows", osName: "Windows Server  2019 Data Center Edition 64bit" }),
  row({
    id: "i-hz0effdisk",
    name: "batch-efficiency-disk",
    region: "cn-hangzhou",
    os: "linux",
    osName: "CentOS  7.9 64 bit",
    checks: [check("DisksEssd", "fail", "DiskNotEssd", { disk: "d-hz0eff2", category: "cloud_efficiency" })],
  }),
  row({
    id: "i-sh0stopped",
    name: "stopped-centos79",
    region: "cn-shanghai",
    os: "linux",
    osName: "CentOS  7.9 64 bit",
    status: "Stopped",
    checks: [check("Running", "fail", "InstanceNotRunning", { status: "Stopped" }, "StartInstance"), check("AgentOnline", "unknown", "AgentNeedsRunning")],
  }),
  row({
    id: "i-sh0otherrole",
    name: "other-role-alinux3",
    region: "cn-shanghai",
    os: "linux",
    osName: "Alibaba Cloud Linux  3.2104 LTS 64 bit",
    role: { state: "attached", roleName: "OpsMonitoringRole", evaluation: { sufficient: false, findings: [] } },
    checks: [
      check("RamRole", "pass", "RoleAttached", { role: "OpsMonitoringRole" }),
      check("RolePolicy", "fail", "RoleLacks", { role: "OpsMonitoringRole", actions: "ecs:CreateSnapshot*" }, "AttachRole"),
    ],
  }),
  row({ id: "i-bj0api", name: "bj-centos79-api", region: "cn-beijing", os: "linux", osName: "CentOS  7.9 64 bit" }),
];

const LINUX_PROBED = (scripts: "ok" | "missing"): Check[] => [
  check("FileSystems", "pass", "FileSystemsOk", { types: "ext4, xfs" }),
  scripts === "ok"
    ? check("FreezeScripts", "pass", "ScriptsOk", { paths: "/tmp/prescript.sh, /tmp/postscript.sh" })
    : check("FreezeScripts", "fail", "ScriptMissing", { path: "/tmp/prescript.sh" }, "PushScripts"),
];

export const MEMORY_PROBE: Record<string, Check[]> = {
  "i-hz0mysql": LINUX_PROBED("missing"),
  "i-hz0sqlsrv": [check("VssWriters", "pass", "WritersOk", { count: "9" })],
  "i-hz0effdisk": LINUX_PROBED("ok"),
  "i-sh0otherrole": LINUX_PROBED("ok"),
  "i-bj0api": LINUX_PROBED("missing"),
};

export const MEMORY_INVENTORY: Inventory = {
  regions: ["cn-hangzhou", "cn-shanghai", "ap-southeast-1", "cn-beijing"],
  instances: MEMORY_FLEET_ROWS,
  groupDiskLimit: 16,
  missing: [],
};

/** Three minutes old. */
export const MEMORY_STORED: StoredInventory = { profile: "Sandbox", takenAtMs: 1_767_225_420_000, ageMs: 180_000, inventory: MEMORY_INVENTORY };

export function defaultFleet(): MemoryFleet {
  return { stored: structuredClone(MEMORY_STORED), cloud: structuredClone(MEMORY_INVENTORY), probe: structuredClone(MEMORY_PROBE) };
}

/** Replaces some checks of an instance and predicts it again. */
export function withChecks(a: Assessed, changed: Check[]): Assessed {
  const checks = a.checks.map((c) => changed.find((d) => d.id === c.id) ?? c);
  return { ...a, checks, prediction: predict(checks) };
}

export function isGuest(id: CheckId): boolean {
  return GUEST.includes(id);
}

type Update = (a: Assessed) => { outcome: FixOutcome; row?: Assessed };

/** A fix's effect on one instance, as the engine would carry it out. */
export function fixOne(action: FixAction, onConflict: string | undefined, probe: Record<string, Check[]>): Update {
  return (a) => {
    const i = a.instance;
    const base = { instanceId: i.instanceId, regionId: i.regionId };
    switch (action) {
      case "StartInstance":
        if (i.status === "Running") return { outcome: { ...base, state: "skipped", detail: "the instance is already Running" } };
        return {
          outcome: { ...base, state: "done", detail: "started; the instance is Running" },
          row: withChecks({ ...a, instance: { ...i, status: "Running" } }, [check("Running", "pass", "InstanceRunning"), check("AgentOnline", "pass", "AgentOnline")]),
        };
      case "InstallAgent":
        return { outcome: { ...base, state: "done", detail: "InstallCloudAssistant was accepted; the agent takes effect after the instance restarts" } };
      case "AttachRole": {
        const other = i.role.state === "attached" && i.role.roleName !== "AppSnapshotRoleName" ? i.role.roleName : undefined;
        if (other && !onConflict) {
          return {
            outcome: {
              ...base,
              state: "conflict",
              detail: `${i.instanceId} holds role ${other}, not AppSnapshotRoleName (an instance holds one role). Choose extend, replace or skip.`,
              choices: (["extend", "replace", "skip"] as const).map((resolution) => ({ resolution, consequence: resolution, requests: [] })),
            },
          };
        }
        if (other && onConflict === "skip") return { outcome: { ...base, state: "skipped", detail: "skip chosen" } };
        const role = other && onConflict === "extend" ? other : "AppSnapshotRoleName";
        return {
          outcome: { ...base, state: "done", detail: `${i.instanceId} holds role ${role}.` },
          row: withChecks({ ...a, instance: { ...i, role: { state: "attached", roleName: role, evaluation: { sufficient: true, findings: [] } } } }, [
            check("RamRole", "pass", "RoleAttached", { role }),
            check("RolePolicy", "pass", "RoleGrants", { role }),
          ]),
        };
      }
      case "DeepCheck": {
        const found = probe[i.instanceId];
        if (!found || i.status !== "Running") {
          const error = `the instance is ${i.status}`;
          const unknown = a.checks.filter((c) => isGuest(c.id)).map((c) => check(c.id, "unknown", "ProbeFailed", { error }, "DeepCheck"));
          return {
            outcome: { ...base, state: "failed", detail: `the deep check got no answer: ${error}`, error: { code: "Cloud", message: error } },
            row: withChecks({ ...a, instance: { ...i, guest: { state: "failed", reason: error } } }, unknown),
          };
        }
        const guest = { state: "probed" as const, osId: "linux", osVersion: "", mounts: [], files: [], vssWriters: [], plugin: null };
        return { outcome: { ...base, state: "done", detail: "the deep check answered" }, row: withChecks({ ...a, instance: { ...i, guest } }, found) };
      }
      case "PushScripts":
        throw { code: "InvalidInput", message: "pushing the freeze/thaw scripts is done on the Scripts screen, which is not available yet; nothing was sent" } satisfies AppError;
    }
  };
}

export interface MemoryTasks {
  calls: { command: string; args?: unknown }[];
  startTask(taskId: string): void;
  checkpoint(taskId: string): void;
  endTask(taskId: string): void;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

type Commands = Pick<import("./Backend").Backend, "fleetCached" | "fleetRefresh" | "fleetDeepCheck" | "fleetFix">;

/** The picker's four commands over `fleet` (read at call time, so tests may change it). */
export function fleetCommands(fleet: () => MemoryFleet, tasks: MemoryTasks): Commands {
  async function run<E, R>(command: string, args: { taskId: string }, onEvent: (e: { taskId: string; seq: number; event: E }) => void, work: (emit: (e: E) => void, step: () => Promise<void>) => Promise<R>): Promise<R> {
    tasks.calls.push({ command, args });
    tasks.startTask(args.taskId);
    let seq = 0;
    const emit = (event: E) => onEvent({ taskId: args.taskId, seq: seq++, event });
    const step = async () => {
      await (fleet().beforeStep ?? tick)();
      tasks.checkpoint(args.taskId);
    };
    try {
      await tick();
      tasks.checkpoint(args.taskId);
      return await work(emit, step);
    } finally {
      tasks.endTask(args.taskId);
    }
  }
  const stored = (): StoredInventory => {
    const s = fleet().stored;
    if (!s) throw { code: "NotFound", message: "there is no inventory of profile 'Sandbox' yet; refresh first" } satisfies AppError;
    return s;
  };
  const save = (inventory: Inventory): StoredInventory => {
    const s = { profile: "Sandbox", takenAtMs: Date.now(), ageMs: 0, inventory };
    fleet().stored = s;
    return structuredClone(s);
  };
  return {
    async fleetCached() {
      tasks.calls.push({ command: "fleet_cached" });
      const s = fleet().stored;
      return s ? structuredClone(s) : null;
    },
    fleetRefresh: (args, onEvent) =>
      run("fleet_refresh", args, onEvent, async (emit, step) => {
        const f = fleet();
        const regions = args.regions.length ? args.regions : f.cloud.regions;
        emit({ kind: "regionsListed", regionIds: regions });
        if (f.refreshError) throw f.refreshError;
        for (const region of regions) {
          await step();
          emit({ kind: "regionStarted", regionId: region });
          const n = f.cloud.instances.filter((a) => a.instance.regionId === region).length;
          emit({ kind: "regionDone", regionId: region, instances: n, disks: n * 2, failedCalls: f.cloud.missing.filter((m) => m.regionId === region).length });
        }
        const fresh = f.cloud.instances.filter((a) => regions.includes(a.instance.regionId));
        const kept = args.regions.length ? (f.stored?.inventory.instances ?? []).filter((a) => !regions.includes(a.instance.regionId)) : [];
        return save({ ...structuredClone(f.cloud), instances: structuredClone([...kept, ...fresh]) });
      }),
    fleetDeepCheck: (args, onEvent) =>
      run("fleet_deep_check", args, onEvent, async (emit, step) => {
        const inventory = structuredClone(stored().inventory);
        const ids = args.instanceIds.length ? args.instanceIds : inventory.instances.map((a) => a.instance.instanceId);
        for (const region of inventory.regions) {
          const batch = inventory.instances.filter((a) => a.instance.regionId === region && ids.includes(a.instance.instanceId));
          if (!batch.length) continue;
          await step();
          emit({ kind: "probeSent", regionId: region, invokeId: `t-${region}`, instances: batch.length });
          let answered = 0;
          for (const a of batch) {
            const { outcome, row } = fixOne("DeepCheck", undefined, fleet().probe)(a);
            if (outcome.state === "done") answered++;
            if (row) inventory.instances[inventory.instances.indexOf(a)] = row;
          }
          emit({ kind: "probeDone", regionId: region, answered, failed: batch.length - answered });
        }
        return save(inventory);
      }),
    fleetFix: (args, onEvent) =>
      run("fleet_fix", args, onEvent, async (emit, step) => {
        const { request } = args;
        const inventory = structuredClone(stored().inventory);
        const rows = request.instanceIds.map((id) => {
          const a = inventory.instances.find((r) => r.instance.instanceId === id);
          if (!a) throw { code: "InvalidInput", message: `instance ${id} is not in the inventory; refresh it first` } satisfies AppError;
          return a;
        });
        const apply = fixOne(request.action, request.onConflict, fleet().probe);
        const outcomes: FixOutcome[] = [];
        for (const a of rows) {
          await step();
          const { outcome, row } = apply(a);
          if (request.action === "StartInstance" && outcome.state === "done") {
            emit({ kind: "sent", action: "StartInstance", regionId: a.instance.regionId, instanceIds: [a.instance.instanceId] });
          }
          if (row) inventory.instances[inventory.instances.indexOf(a)] = row;
          outcomes.push(outcome);
        }
        for (const outcome of outcomes) emit({ kind: "instanceDone", outcome });
        for (const region of new Set(rows.map((a) => a.instance.regionId))) {
          emit({ kind: "fleet", event: { kind: "regionDone", regionId: region, instances: 0, disks: 0, failedCalls: 0 } });
        }
        save(inventory);
        return { action: request.action, outcomes };
      }),
  };
}
