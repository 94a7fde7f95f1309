import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { RegionScan } from "../bindings/RegionScan";
import type { RegionScanEvent } from "../bindings/RegionScanEvent";
import type { TaskEvent } from "../bindings/TaskEvent";
import type { Backend } from "./Backend";
import { BackendProvider } from "./BackendContext";
import { createMemoryBackend, MEMORY_REGIONS } from "./memoryBackend";
import { newTaskId, useTask } from "./useTask";

function renderScan(backend: Backend) {
  const wrapper = ({ children }: { children: ReactNode }) => <BackendProvider backend={backend}>{children}</BackendProvider>;
  return renderHook(() => useTask((b) => b.regionsScan, "regions"), { wrapper });
}

const counted = (events: RegionScanEvent[]) =>
  events.flatMap((e) => (e.kind === "counted" ? [e.region.regionId] : []));

describe("useTask", () => {
  it("streams the events in order and ends with the result", async () => {
    const backend = createMemoryBackend();
    const { result } = renderScan(backend);
    expect(result.current.status).toBe("idle");
    await act(() => result.current.start({}));
    expect(result.current.status).toBe("done");
    expect(result.current.events[0]).toEqual({ kind: "listed", regionIds: ["cn-hangzhou", "cn-shanghai", "cn-beijing"] });
    expect(counted(result.current.events)).toEqual(["cn-hangzhou", "cn-shanghai", "cn-beijing"]);
    expect(result.current.result).toEqual({ regions: MEMORY_REGIONS });
    expect(result.current.error).toBeUndefined();
    const call = backend.calls.find((c) => c.command === "regions_scan");
    expect(call?.args).toEqual({ taskId: result.current.taskId });
    expect(result.current.taskId).toMatch(/^regions-[A-Za-z0-9._-]+$/);
    expect(backend.running()).toEqual([]);
  });

  it("orders events by seq, drops repeats and other tasks' events", async () => {
    const region = (id: string) => ({ kind: "counted", region: { regionId: id, localName: id, instances: 1 } }) as const;
    const backend: Backend = {
      ...createMemoryBackend(),
      async regionsScan(args, onEvent) {
        const send = (seq: number, event: RegionScanEvent, taskId = args.taskId) => onEvent({ taskId, seq, event });
        send(1, region("b"));
        send(0, region("a"));
        send(1, region("b-again"));
        send(0, region("stale"), "another-task");
        send(2, region("c"));
        return { regions: [] } satisfies RegionScan;
      },
    };
    const { result } = renderScan(backend);
    await act(() => result.current.start({}));
    expect(counted(result.current.events)).toEqual(["a", "b", "c"]);
  });

  it("cancels the running task by its id and ends cancelled", async () => {
    // The first region is counted at once; the second waits until the test lets it go.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let regionsStarted = 0;
    const backend = createMemoryBackend({ beforeRegion: () => (regionsStarted++ === 0 ? Promise.resolve() : gate) });
    const { result } = renderScan(backend);
    let run!: Promise<void>;
    act(() => {
      run = result.current.start({});
    });
    await waitFor(() => expect(counted(result.current.events)).toEqual(["cn-hangzhou"]));
    await act(() => result.current.cancel());
    expect(result.current.cancelling).toBe(true);
    expect(result.current.status).toBe("running");
    release();
    await act(() => run);
    expect(result.current.status).toBe("cancelled");
    expect(result.current.error?.code).toBe("Cancelled");
    expect(result.current.cancelling).toBe(false);
    expect(counted(result.current.events)).toEqual(["cn-hangzhou"]);
    expect(backend.calls.filter((c) => c.command === "task_cancel")).toEqual([
      { command: "task_cancel", args: { taskId: result.current.taskId } },
    ]);
  });

  it("keeps the events before a failure and shows the backend's error", async () => {
    const backend = createMemoryBackend({ scanError: { code: "Throttled", message: "slow down", requestId: "R-1" } });
    const { result } = renderScan(backend);
    await act(() => result.current.start({}));
    expect(result.current.status).toBe("failed");
    expect(result.current.error).toEqual({ code: "Throttled", message: "slow down", requestId: "R-1" });
    expect(result.current.events).toEqual([{ kind: "listed", regionIds: ["cn-hangzhou", "cn-shanghai", "cn-beijing"] }]);
  });

  it("normalises a non-AppError rejection to Internal", async () => {
    const backend: Backend = { ...createMemoryBackend(), regionsScan: () => Promise.reject(new Error("boom")) };
    const { result } = renderScan(backend);
    await act(() => result.current.start({}));
    expect(result.current.status).toBe("failed");
    expect(result.current.error).toEqual({ code: "Internal", message: "boom" });
  });

  it("starts one run at a time and a new run forgets the last one's events", async () => {
    let finish!: () => void;
    let late!: (e: TaskEvent<RegionScanEvent>) => void;
    let firstId = "";
    const backend: Backend = {
      ...createMemoryBackend(),
      regionsScan(args, onEvent) {
        if (!firstId) {
          firstId = args.taskId;
          late = onEvent;
          onEvent({ taskId: args.taskId, seq: 0, event: { kind: "listed", regionIds: ["x"] } });
          return new Promise((resolve) => (finish = () => resolve({ regions: [] })));
        }
        return Promise.resolve({ regions: [] });
      },
    };
    const calls: string[] = [];
    const counting: Backend = {
      ...backend,
      regionsScan: (args, onEvent) => (calls.push(args.taskId), backend.regionsScan(args, onEvent)),
    };
    const { result } = renderScan(counting);
    let first!: Promise<void>;
    act(() => {
      first = result.current.start({});
    });
    await act(() => result.current.start({}));
    expect(calls).toHaveLength(1);
    await act(async () => {
      finish();
      await first;
    });
    expect(result.current.events).toHaveLength(1);

    await act(() => result.current.start({}));
    expect(calls).toHaveLength(2);
    expect(result.current.taskId).not.toBe(firstId);
    act(() => late({ taskId: firstId, seq: 1, event: { kind: "listed", regionIds: ["late"] } }));
    expect(result.current.events).toEqual([]);
    expect(result.current.status).toBe("done");
  });

  it("makes ids the backend accepts", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newTaskId("ram apply/✓")));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });
});
