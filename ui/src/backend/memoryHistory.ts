// The in-memory backend's history and rollback: rows derived from the jobs' reports (so a
// job run in a test shows up), the same filters and paging as core, exports kept with
// their text, and rollback plans and runs that follow core's refusals and steps.
import type { AppError } from "../bindings/AppError";
import type { ExportFile } from "../bindings/ExportFile";
import type { HistoryFilter } from "../bindings/HistoryFilter";
import type { HistoryRow } from "../bindings/HistoryRow";
import type { RollbackEvent } from "../bindings/RollbackEvent";
import type { RollbackPlan } from "../bindings/RollbackPlan";
import type { RollbackRecord } from "../bindings/RollbackRecord";
import type { StoredInventory } from "../bindings/StoredInventory";
import type { Backend } from "./Backend";
import type { MemoryTasks } from "./memoryFleet";
import type { MemoryJobs } from "./memoryJobs";

export interface MemoryHistory {
  /** When each job started (Unix ms); a job without one gets the time it was first listed. */
  createdMs: Record<string, number>;
  /** Every export written, with its text. */
  exports: (ExportFile & { text: string })[];
  /** Every rollback recorded. */
  rollbacks: RollbackRecord[];
  /** An instance's status when it is not the stored inventory's (rollbacks change it). */
  instanceStatus: Record<string, string>;
  /** Groups that are not `accomplished`, by id, with their status. */
  groupStatus: Record<string, string>;
  /** Disks released since their snapshot: a plan naming one is refused. */
  goneDisks: string[];
  /** Awaited before each rollback step (default: one event-loop turn). */
  beforeStep?: () => Promise<void>;
}

export function memoryHistory(): MemoryHistory {
  return { createdMs: {}, exports: [], rollbacks: [], instanceStatus: {}, groupStatus: {}, goneDisks: [] };
}

/** Where exports go in memory: the Downloads folder of the admin's home. */
export const MEMORY_DOWNLOADS = "/home/admin/Downloads";
export const MEMORY_CSV_COLUMNS = ["job_id", "started_at", "profile", "instance_id", "region_id", "status", "consistency"] as const;

const fail = (code: AppError["code"], message: string): AppError => ({ code, message });
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

type Commands = Pick<Backend, "historyList" | "historyExport" | "rollbackList" | "rollbackPlan" | "rollbackRun">;

export function historyCommands(history: () => MemoryHistory, jobs: () => MemoryJobs, fleet: () => StoredInventory | null, tasks: MemoryTasks): Commands {
  function allRows(): HistoryRow[] {
    const h = history();
    const rows: HistoryRow[] = [];
    for (const report of Object.values(jobs().reports)) {
      const createdMs = (h.createdMs[report.jobId] ??= Date.now());
      for (const r of report.results) {
        rows.push({ jobId: report.jobId, createdMs, profile: "Sandbox", instanceId: r.instanceId, regionId: r.regionId, status: r.status, consistency: r.consistency, snapshotGroupId: r.snapshotGroupId, exitCode: r.exitCode });
      }
    }
    // Newest job first, then by job id and instance, as core orders them.
    return rows.sort((a, b) => b.createdMs - a.createdMs || b.jobId.localeCompare(a.jobId) || a.instanceId.localeCompare(b.instanceId));
  }

  function matching(f: HistoryFilter): HistoryRow[] {
    if (f.sinceMs !== null && f.untilMs !== null && f.sinceMs >= f.untilMs) throw fail("InvalidInput", "the date range ends before it starts");
    const text = f.text?.trim().toLowerCase();
    return allRows().filter((r) => {
      if (f.instanceId && r.instanceId !== f.instanceId) return false;
      if (f.regionId && r.regionId !== f.regionId) return false;
      if (f.consistency && r.consistency !== f.consistency) return false;
      if (f.status && r.status !== f.status) return false;
      if (f.sinceMs !== null && r.createdMs < f.sinceMs) return false;
      if (f.untilMs !== null && r.createdMs >= f.untilMs) return false;
      if (text) {
        const result = jobs().reports[r.jobId]!.results.find((x) => x.instanceId === r.instanceId);
        if (!`${r.jobId} ${JSON.stringify(result)} ${r.profile}`.toLowerCase().includes(text)) return false;
      }
      return true;
    });
  }

  function instance(id: string) {
    return fleet()?.inventory.instances.find((a) => a.instance.instanceId === id)?.instance;
  }

  function plan(instanceId: string, regionId: string, groupId: string): RollbackPlan {
    if (!/^i-[A-Za-z0-9-]+$/.test(instanceId)) throw fail("InvalidInput", `'${instanceId}' is not a instance id (it starts with i-)`);
    if (!/^ssg-[A-Za-z0-9-]+$/.test(groupId)) throw fail("InvalidInput", `'${groupId}' is not a snapshot group id (it starts with ssg-)`);
    const owner = Object.values(jobs().reports).flatMap((j) => j.results).find((r) => r.snapshotGroupId === groupId);
    if (!owner || owner.regionId !== regionId) throw fail("NotFound", `no snapshot group ${groupId} in ${regionId} (deleted, or another region)`);
    if (owner.instanceId !== instanceId) {
      throw fail("InvalidInput", `snapshot group ${groupId} belongs to instance ${owner.instanceId}, not ${instanceId}; a rollback only restores an instance from its own group`);
    }
    const groupStatus = history().groupStatus[groupId];
    if (groupStatus) throw fail("Conflict", `snapshot group ${groupId} is ${groupStatus}, not accomplished; only a complete group can be restored`);
    const gone = owner.disks.filter((d) => history().goneDisks.includes(d.diskId)).map((d) => d.diskId);
    if (gone.length) throw fail("Conflict", `disk ${gone.join(", ")} of snapshot group ${groupId} no longer exists on instance ${instanceId} (released or detached); nothing was reset`);
    const i = instance(instanceId);
    const status = history().instanceStatus[instanceId] ?? i?.status ?? "Running";
    return {
      instanceId,
      instanceName: i?.name ?? "",
      regionId,
      instanceStatus: status,
      snapshotGroupId: groupId,
      groupName: "",
      groupCreated: new Date(history().createdMs[Object.values(jobs().reports).find((j) => j.results.includes(owner))!.jobId] ?? 0).toISOString().replace(/\.\d+Z$/, "Z"),
      consistency: owner.disks.some((d) => d.consistency !== "application") ? (owner.consistency === "filesystem" ? "filesystem" : "crash") : "application",
      disks: owner.disks.map((d, n) => ({ diskId: d.diskId, diskName: "", diskType: n === 0 ? "system" : "data", sizeGib: n === 0 ? 40 : 100, device: `/dev/xvd${"abcdefghij"[n]}`, snapshotId: d.snapshotId })),
      needsStop: status !== "Stopped",
    };
  }

  return {
    async historyList(args) {
      tasks.calls.push({ command: "history_list", args });
      if (args.page.limit < 1 || args.page.limit > 1000) throw fail("InvalidInput", `a page holds 1 to 1000 runs, not ${args.page.limit}`);
      const rows = matching(args.filter);
      return { rows: rows.slice(args.page.offset, args.page.offset + args.page.limit), total: rows.length };
    },
    async historyExport(args) {
      tasks.calls.push({ command: "history_export", args });
      const rows = matching(args.filter);
      const h = history();
      const text =
        args.format === "csv"
          ? "\ufeff" + [MEMORY_CSV_COLUMNS.join(","), ...rows.map((r) => [r.jobId, new Date(r.createdMs).toISOString(), r.profile, r.instanceId, r.regionId, r.status, r.consistency ?? ""].join(","))].join("\r\n") + "\r\n"
          : JSON.stringify(rows, null, 2);
      const file: ExportFile = { path: `${MEMORY_DOWNLOADS}/appsnap-history-${h.exports.length + 1}.${args.format}`, format: args.format, rows: rows.length };
      h.exports.push({ ...file, text });
      return file;
    },
    async rollbackList() {
      tasks.calls.push({ command: "rollback_list", args: {} });
      return structuredClone([...history().rollbacks].sort((a, b) => b.createdMs - a.createdMs || b.rollbackId.localeCompare(a.rollbackId)));
    },
    async rollbackPlan(args) {
      tasks.calls.push({ command: "rollback_plan", args });
      await tick();
      return plan(args.instanceId, args.regionId, args.groupId);
    },
    async rollbackRun(args, onEvent) {
      tasks.calls.push({ command: "rollback_run", args });
      tasks.startTask(args.taskId);
      let seq = 0;
      const emit = (event: RollbackEvent) => onEvent({ taskId: args.taskId, seq: seq++, event });
      const step = async () => {
        await (history().beforeStep ?? tick)();
        tasks.checkpoint(args.taskId);
      };
      try {
        const { plan: confirmed, options, confirmation } = args.request;
        const word = confirmed.instanceName.trim() || confirmed.instanceId;
        if (confirmation.trim() !== word) throw fail("Cancelled", `the confirmation did not match '${word}'; nothing was changed`);
        const fresh = plan(confirmed.instanceId, confirmed.regionId, confirmed.snapshotGroupId);
        if (fresh.needsStop && !options.stop) {
          throw fail("Conflict", `instance ${fresh.instanceId} is ${fresh.instanceStatus}; a rollback needs it stopped — stop it, or confirm that AppSnap may stop it`);
        }
        const h = history();
        let stopped = false;
        if (fresh.needsStop) {
          await step();
          emit({ kind: "stopping" });
          h.instanceStatus[fresh.instanceId] = "Stopped";
          stopped = true;
          emit({ kind: "stopped" });
        }
        await step();
        emit({ kind: "resetting", diskIds: fresh.disks.map((d) => d.diskId) });
        emit({ kind: "reset" });
        let started = false;
        if (options.startAfter) {
          emit({ kind: "starting" });
          await (h.beforeStep ?? tick)();
          h.instanceStatus[fresh.instanceId] = "Running";
          started = true;
          emit({ kind: "started" });
        }
        const record: RollbackRecord = {
          rollbackId: `rb-mem${h.rollbacks.length + 1}`,
          createdMs: Date.now(),
          profile: "Sandbox",
          plan: fresh,
          options,
          status: "succeeded",
          stopped,
          started,
          requestId: "0F2C6B49-2C4F-4A1E-9B6F-00000000RB01",
          error: null,
        };
        h.rollbacks.push(record);
        return structuredClone(record);
      } finally {
        tasks.endTask(args.taskId);
      }
    },
  };
}
