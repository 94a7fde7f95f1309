// An in-memory backend for component tests: the same methods as the real one, over a
// small world the test describes, with the same task rules (ids, order, cancellation).
import type { AppError } from "../bindings/AppError";
import type { AppStatus } from "../bindings/AppStatus";
import type { RegionCount } from "../bindings/RegionCount";
import type { Backend } from "./Backend";
import { applyRam, memoryRam, planRam, type MemoryRam } from "./memoryRam";

export interface MemoryWorld {
  status: AppStatus;
  regions: RegionCount[];
  /** When set, `regionsScan` fails with it after listing the regions. */
  scanError?: AppError;
  /** Awaited before each region is counted (default: one event-loop turn), to pace a scan. */
  beforeRegion?: () => Promise<void>;
  /** The account's RAM side (see memoryRam.ts). */
  ram: MemoryRam;
  /** Awaited before each RAM apply step (default: one event-loop turn). */
  beforeRamStep?: () => Promise<void>;
}

export interface MemoryBackend extends Backend {
  world: MemoryWorld;
  /** Every call in order, by command name, with its arguments. */
  calls: { command: string; args?: unknown }[];
  /** Ids of the tasks running now. */
  running(): string[];
}

export const MEMORY_STATUS: AppStatus = {
  version: "0.1.0",
  profile: "Sandbox",
  sandbox: { state: "running", endpoint: "http://127.0.0.1:40123", scenario: "demo" },
  logDir: "/home/admin/.local/share/com.appsnap.desktop/logs",
};

export const MEMORY_REGIONS: RegionCount[] = [
  { regionId: "cn-hangzhou", localName: "华东1（杭州）", instances: 10 },
  { regionId: "cn-shanghai", localName: "华东2（上海）", instances: 5 },
  { regionId: "cn-beijing", localName: "华北2（北京）", instances: 1 },
];

const TASK_ID = /^[A-Za-z0-9._-]{1,64}$/;

function fail(code: AppError["code"], message: string): AppError {
  return { code, message };
}

/** One turn of the event loop: lets the UI render (and the user cancel) between steps. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createMemoryBackend(world: Partial<MemoryWorld> = {}): MemoryBackend {
  const state: MemoryWorld = { status: MEMORY_STATUS, regions: MEMORY_REGIONS, ram: memoryRam(), ...world };
  const calls: MemoryBackend["calls"] = [];
  const cancelled = new Map<string, boolean>();

  function startTask(taskId: string): void {
    if (!TASK_ID.test(taskId)) throw fail("InvalidInput", `task id '${taskId}' is not 1-64 characters from A-Z a-z 0-9 - _ .`);
    if (cancelled.has(taskId)) throw fail("Conflict", `a task with id '${taskId}' is already running`);
    cancelled.set(taskId, false);
  }
  function checkpoint(taskId: string): void {
    if (cancelled.get(taskId)) throw fail("Cancelled", "stopped at the user's request");
  }

  function taskEmitter<E>(taskId: string, onEvent: (event: { taskId: string; seq: number; event: E }) => void) {
    let seq = 0;
    return (event: E) => onEvent({ taskId, seq: seq++, event });
  }

  return {
    world: state,
    calls,
    running: () => [...cancelled.keys()],
    async appStatus() {
      calls.push({ command: "app_status" });
      return state.status;
    },
    async taskCancel(args) {
      calls.push({ command: "task_cancel", args });
      if (!TASK_ID.test(args.taskId)) throw fail("InvalidInput", `task id '${args.taskId}' is not valid`);
      if (!cancelled.has(args.taskId)) return false;
      cancelled.set(args.taskId, true);
      return true;
    },
    async regionsScan(args, onEvent) {
      calls.push({ command: "regions_scan", args });
      startTask(args.taskId);
      let seq = 0;
      const emit = (event: Parameters<typeof onEvent>[0]["event"]) => onEvent({ taskId: args.taskId, seq: seq++, event });
      try {
        await tick();
        checkpoint(args.taskId);
        emit({ kind: "listed", regionIds: state.regions.map((r) => r.regionId) });
        if (state.scanError) throw state.scanError;
        const counted: RegionCount[] = [];
        for (const region of state.regions) {
          await (state.beforeRegion ?? tick)();
          checkpoint(args.taskId);
          emit({ kind: "counted", region });
          counted.push(region);
        }
        return { regions: counted };
      } finally {
        cancelled.delete(args.taskId);
      }
    },
    async ramCandidates(args) {
      calls.push({ command: "ram_candidates", args });
      const regions = args.regions.length > 0 ? args.regions : [...new Set(state.ram.instances.map((i) => i.regionId))];
      return {
        regions,
        instances: state.ram.instances.filter((i) => regions.includes(i.regionId)).map((i) => ({ ...i })),
      };
    },
    async ramPlan(args) {
      calls.push({ command: "ram_plan", args });
      return planRam(state.ram, args.options);
    },
    async ramApply(args, onEvent) {
      calls.push({ command: "ram_apply", args });
      startTask(args.taskId);
      try {
        return await applyRam(
          state.ram,
          args.options,
          taskEmitter(args.taskId, onEvent),
          state.beforeRamStep ?? tick,
          () => checkpoint(args.taskId),
        );
      } finally {
        cancelled.delete(args.taskId);
      }
    },
  };
}
