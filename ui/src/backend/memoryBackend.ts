// An in-memory backend for component tests: the same methods as the real one, over a
// small world the test describes, with the same task rules (ids, order, cancellation).
import type { AppError } from "../bindings/AppError";
import type { AppStatus } from "../bindings/AppStatus";
import type { RegionCount } from "../bindings/RegionCount";
import type { Backend } from "./Backend";
import { defaultFleet, fleetCommands, type MemoryFleet } from "./memoryFleet";

export interface MemoryWorld {
  status: AppStatus;
  regions: RegionCount[];
  /** When set, `regionsScan` fails with it after listing the regions. */
  scanError?: AppError;
  /** Awaited before each region is counted (default: one event-loop turn), to pace a scan. */
  beforeRegion?: () => Promise<void>;
  /** The instance picker's stored inventory and cloud (see memoryFleet.ts). */
  fleet: MemoryFleet;
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
  const state: MemoryWorld = { status: MEMORY_STATUS, regions: MEMORY_REGIONS, fleet: defaultFleet(), ...world };
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
    ...fleetCommands(() => state.fleet, { calls, startTask, checkpoint, endTask: (id) => cancelled.delete(id) }),
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
  };
}
