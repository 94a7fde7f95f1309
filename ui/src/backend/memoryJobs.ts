// The in-memory backend's snapshot jobs: a plan over the stored inventory (the engine's
// eligibility and option rules), a run that walks each instance through the run states
// with events, results that follow the options and the world's outcomes, history kept
// per job (so `job_report` answers after the task), and "retry failed" in the same job.
import type { AppError } from "../bindings/AppError";
import type { Assessed } from "../bindings/Assessed";
import type { JobEvent } from "../bindings/JobEvent";
import type { JobFinding } from "../bindings/JobFinding";
import type { JobPlan } from "../bindings/JobPlan";
import type { JobReport } from "../bindings/JobReport";
import type { PlannedRun } from "../bindings/PlannedRun";
import type { RunResult } from "../bindings/RunResult";
import type { SnapshotOptions } from "../bindings/SnapshotOptions";
import type { StoredInventory } from "../bindings/StoredInventory";
import { refusedGroup } from "../features/results/refusedGroup";
import { ineligible, validateOptions } from "../features/results/snapshotOptions";
import type { Backend } from "./Backend";
import type { MemoryTasks } from "./memoryFleet";

/** What a run gives, beyond the default rule. */
export type MemoryOutcome = Partial<Omit<RunResult, "instanceId" | "regionId">>;

export interface MemoryJobs {
  /** History: every job's report by id. */
  reports: Record<string, JobReport>;
  /** Each job's plan, for retry. */
  plans: Record<string, JobPlan>;
  /** Per instance, what its first attempt gives instead of the default rule. */
  outcomes: Record<string, MemoryOutcome>;
  /** Per instance: its recorded scripts are pushed again before each run, verified or not. */
  scriptsPushed: Record<string, boolean>;
  /** Snapshot groups deleted with `snapshot_delete_group`, in order. */
  deletedGroups: string[];
  /** Awaited before each state change (default: one event-loop turn), to pace a run. */
  beforeStep?: () => Promise<void>;
}

export function memoryJobs(): MemoryJobs {
  return { reports: {}, plans: {}, outcomes: {}, scriptsPushed: {}, deletedGroups: [] };
}

const fail = (code: AppError["code"], message: string): AppError => ({ code, message });
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
let jobCounter = 0;

type Commands = Pick<Backend, "snapshotPlan" | "snapshotRun" | "snapshotRetry" | "jobReport" | "snapshotDeleteGroup">;

export function jobCommands(jobs: () => MemoryJobs, fleet: () => StoredInventory | null, tasks: MemoryTasks): Commands {
  function plan(options: SnapshotOptions, instanceIds: string[], concurrency: number, jobId: string): JobPlan {
    const errors = validateOptions(options);
    if (Object.keys(errors).length) throw fail("InvalidInput", `invalid options: ${Object.keys(errors).join(", ")}`);
    if (concurrency < 1 || concurrency > 100) throw fail("InvalidInput", `concurrency is ${concurrency}; it must be 1-100`);
    if (instanceIds.length === 0) throw fail("InvalidInput", "no instance was chosen");
    const stored = fleet();
    if (!stored) throw fail("NotFound", "there is no inventory of this profile yet; refresh the instances first");
    const chosen = instanceIds.map((id) => stored.inventory.instances.find((a) => a.instance.instanceId === id));
    const unknown = instanceIds.filter((_, i) => !chosen[i]);
    if (unknown.length) throw fail("InvalidInput", `not in the stored inventory: ${unknown.join(", ")}`);
    const refused = (chosen as Assessed[]).filter((a) => ineligible(a));
    if (refused.length) throw fail("InvalidInput", refused.map((a) => `${a.instance.instanceId} cannot be snapshotted`).join("; "));
    const name = options.name ?? `AppSnap-${jobId}`;
    return { options, concurrency, experimental: false, runs: (chosen as Assessed[]).map((a) => plannedRun(a, options, name)) };
  }

  async function drive(jobId: string, p: JobPlan, only: string[] | undefined, emit: (e: JobEvent) => void, step: () => Promise<void>): Promise<JobReport> {
    const world = jobs();
    const report = world.reports[jobId]!;
    for (const run of p.runs) {
      if (only && !only.includes(run.instanceId)) continue;
      const index = report.results.findIndex((r) => r.instanceId === run.instanceId);
      const attempt = only ? "retry" : "first";
      const base: RunResult = { ...EMPTY, instanceId: run.instanceId, regionId: run.regionId, status: "queued" };
      const set = (r: RunResult) => {
        report.results[index] = r;
        emit({ kind: "runChanged", jobId, instanceId: r.instanceId, regionId: r.regionId, status: r.status, invokeId: r.invokeId, consistency: r.consistency });
      };
      set(base);
      await step();
      const pushed = world.scriptsPushed[run.instanceId];
      if (pushed !== undefined) {
        const detail = pushed ? "the scripts (mysql) were pushed again to /tmp and verified" : "pushing the scripts again fell short: /tmp/prescript.sh not written (Failed)";
        emit({ kind: "scriptsPushed", jobId, instanceId: run.instanceId, regionId: run.regionId, verified: pushed, detail });
        await step();
      }
      const commandId = run.trigger.kind === "publicCommand" ? run.trigger.commandId : null;
      set({ ...base, status: "invoking", commandId });
      await step();
      const invokeId = `t-mem${jobId.slice(-6)}${index}${attempt === "retry" ? "r" : ""}`;
      set({ ...base, status: "running", commandId, invokeId });
      await step();
      set({ ...base, status: "snapshotting", commandId, invokeId, exitCode: 0 });
      await step();
      set(finish({ ...base, commandId, invokeId }, run, p.options, attempt === "first" ? world.outcomes[run.instanceId] : undefined));
    }
    const allMet = report.results.every((r) => r.status === "succeeded");
    emit({ kind: "jobFinished", jobId, allMet });
    return structuredClone(report);
  }

  async function task<R>(command: string, args: { taskId: string }, work: (step: () => Promise<void>) => Promise<R>): Promise<R> {
    tasks.calls.push({ command, args });
    tasks.startTask(args.taskId);
    const step = async () => {
      await (jobs().beforeStep ?? tick)();
      tasks.checkpoint(args.taskId);
    };
    try {
      return await work(step);
    } finally {
      tasks.endTask(args.taskId);
    }
  }

  return {
    async snapshotPlan(args) {
      tasks.calls.push({ command: "snapshot_plan", args });
      return plan(args.options, args.instanceIds, args.concurrency, "job-000000000000");
    },
    async jobReport(args) {
      tasks.calls.push({ command: "job_report", args });
      const r = jobs().reports[args.jobId];
      if (!r) throw fail("NotFound", `no job ${args.jobId} in history`);
      return structuredClone(r);
    },
    async snapshotDeleteGroup(args) {
      tasks.calls.push({ command: "snapshot_delete_group", args });
      const id = args.snapshotGroupId;
      if (!/^ssg-[A-Za-z0-9]{1,64}$/.test(id)) throw fail("InvalidInput", `'${id}' is not a snapshot group id (ssg- followed by letters and digits)`);
      const world = jobs();
      const run = Object.values(world.reports).flatMap((r) => r.results).find((r) => r.snapshotGroupId === id);
      if (!run) throw fail("NotFound", `no run in history made snapshot group ${id}`);
      if (run.groupDeleted) return structuredClone(run);
      if (!refusedGroup(run)) throw fail("Conflict", `snapshot group ${id} was not refused by the mandate`);
      world.deletedGroups.push(id);
      run.groupDeleted = true;
      run.explanation.push({ source: "snapshotGroup", finding: `snapshot group ${id} was deleted on request, with its ${run.disks.length} disk snapshots` });
      return structuredClone(run);
    },
    snapshotRun: (args, onEvent) =>
      task("snapshot_run", args, async (step) => {
        jobCounter += 1;
        const jobId = `job-${(Date.now() % 0xffffffff).toString(16).padStart(8, "0")}${jobCounter.toString(16).padStart(4, "0")}`.slice(0, 16);
        const p = plan(args.options, args.instanceIds, args.concurrency, jobId);
        let seq = 0;
        const emit = (event: JobEvent) => onEvent({ taskId: args.taskId, seq: seq++, event });
        jobs().plans[jobId] = p;
        jobs().reports[jobId] = { jobId, results: p.runs.map((r) => ({ ...EMPTY, instanceId: r.instanceId, regionId: r.regionId, status: "queued" })) };
        emit({ kind: "jobStarted", jobId, instances: p.runs.length });
        await step();
        return drive(jobId, p, undefined, emit, step);
      }),
    snapshotRetry: (args, onEvent) =>
      task("snapshot_retry", args, async (step) => {
        const world = jobs();
        const report = world.reports[args.jobId];
        const p = world.plans[args.jobId];
        if (!report || !p) throw fail("NotFound", `no job ${args.jobId} in history`);
        if (report.results.some((r) => !["succeeded", "failed", "cancelled", "stuck"].includes(r.status))) {
          throw fail("Conflict", `job ${args.jobId} is still running`);
        }
        const failed = report.results.filter((r) => r.status !== "succeeded").map((r) => r.instanceId);
        if (failed.length === 0) throw fail("InvalidInput", `every instance of job ${args.jobId} met the mandate`);
        let seq = 0;
        const emit = (event: JobEvent) => onEvent({ taskId: args.taskId, seq: seq++, event });
        emit({ kind: "jobStarted", jobId: args.jobId, instances: failed.length });
        return drive(args.jobId, p, failed, emit, step);
      }),
  };
}

const EMPTY: Omit<RunResult, "instanceId" | "regionId" | "status"> = {
  commandId: null,
  invokeId: null,
  exitCode: null,
  snapshotGroupId: null,
  groupState: null,
  consistency: null,
  disks: [],
  explanation: [],
  output: null,
  groupDeleted: false,
};

function plannedRun(a: Assessed, options: SnapshotOptions, name: string): PlannedRun {
  const windows = a.instance.osType === "windows";
  const preflight: JobFinding[] = [{ source: "preflight", finding: `predicted ${a.prediction.consistency} before the run${a.prediction.confirmed ? "" : " (not confirmed by a deep check)"}` }];
  if (windows && !options.includeWriters) preflight.push({ source: "preflight", finding: "include writers is off: VSS runs without application writers, so at most file-system-consistent" });
  if (!windows && !options.fsFreeze) preflight.push({ source: "preflight", finding: "fs freeze/thaw is off: no freeze and no scripts, so the snapshots are not tagged consistent" });
  for (const c of a.checks) if (c.status === "fail") preflight.push({ source: "preflight", finding: `${c.id}: ${c.reason.text}` });
  return {
    instanceId: a.instance.instanceId,
    regionId: a.instance.regionId,
    osType: a.instance.osType,
    trigger: { kind: "publicCommand", commandId: `c-${a.instance.regionId}-${windows ? "win" : "linux"}`, name: `ACS-ECS-CreateAppConsistentSnapshot-for-${windows ? "windows" : "linux"}`, commandType: windows ? "RunPowerShellScript" : "RunShellScript", parameters: [] },
    parameters: { SnapshotGroupName: name, ...(windows ? { EnableWriters: String(options.includeWriters) } : { EnableFsFreeze: String(options.fsFreeze) }) },
    preflight,
    predicted: a.prediction.consistency,
    warnings: windows || !options.fsFreeze ? [] : ["every mounted file system freezes during the snapshot, / included, not only the chosen disks"],
  };
}

/** The default rule: the prediction, lowered by writers or freeze off, judged by the mandate. */
function finish(r: RunResult, run: PlannedRun, options: SnapshotOptions, outcome: MemoryOutcome | undefined): RunResult {
  const windows = run.osType === "windows";
  let consistency: RunResult["consistency"] = run.predicted === "application" ? "application" : "filesystem";
  if (windows && !options.includeWriters) consistency = "filesystem";
  if (!windows && !options.fsFreeze) consistency = "crash";
  const group = `ssg-mem${r.invokeId?.slice(-6) ?? ""}`;
  const tags = (c: RunResult["consistency"]): Record<string, string> =>
    c === "application" ? { APPConsistent: "True" } : c === "filesystem" ? { FsConsistent: "True" } : {};
  const disks = [1, 2].map((n) => ({ diskId: `d-${run.instanceId.slice(2)}${n}`, snapshotId: `s-${group.slice(4)}${n}`, tags: tags(consistency), consistency: consistency! }));
  const explanation: JobFinding[] =
    consistency === "application" ? [] : [...run.preflight, { source: "tags", finding: consistency === "filesystem" ? "the disk snapshots carry FsConsistent:True, not APPConsistent:True" : "the disk snapshots carry neither tag" }];
  const output = [
    "[INFO] Start app-consistent snapshot",
    ...(consistency === "application" ? [] : ["[WARN] take FsConsistent snapshots"]),
    `[INFO] Take ${consistency === "application" ? "APPConsistent" : "FsConsistent"} snapshots successfully`,
    group,
    "",
  ].join("\n");
  let done: RunResult = { ...r, exitCode: 0, snapshotGroupId: group, groupState: "available", consistency, disks, explanation, output, status: "succeeded", ...outcome };
  if (done.status === "succeeded" && options.mandate === "require" && done.consistency !== "application") {
    // As core's judge: a file-system group under "require" makes the run failed.
    done = { ...done, status: "failed", consistency: "failed", explanation: [...done.explanation, { source: "mandate", finding: "application-consistent was required" }] };
  }
  return done;
}
