// Runs one backend task at a time from a component: picks the task id, collects the
// streamed events in `seq` order, and exposes status, result, error and cancel. Written
// once for every long job (regions scan, RAM apply, script push, snapshot jobs).
import { useCallback, useEffect, useRef, useState } from "react";
import type { AppError } from "../bindings/AppError";
import type { TaskEvent } from "../bindings/TaskEvent";
import { toAppError } from "../ipc";
import type { Backend, TaskStart } from "./Backend";
import { useBackend } from "./BackendContext";

export type TaskStatus = "idle" | "running" | "done" | "failed" | "cancelled";

export interface TaskView<E, R> {
  status: TaskStatus;
  /** The id of the current or last run. */
  taskId?: string;
  /** The events of the current or last run, in the backend's order. */
  events: E[];
  result?: R;
  error?: AppError;
  /** Cancel was asked and the task has not ended yet. */
  cancelling: boolean;
}

export interface TaskControl<A, E, R> extends TaskView<E, R> {
  /** Starts a run unless one is running; resolves when it ends (never rejects). */
  start(args: A): Promise<void>;
  /** Asks the backend to stop the running task; it ends with status `cancelled`. */
  cancel(): Promise<void>;
}


let counter = 0;
/** Unique within this window and within the backend's 1–64 `[A-Za-z0-9._-]` rule. */
export function newTaskId(prefix: string): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 10);
  return `${prefix.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 32)}-${Date.now().toString(36)}-${counter}-${random}`;
}

/**
 * `useTask((b) => b.regionsScan, "regions")`: the task method is picked from the backend
 * in context, so components run against the in-memory backend in unit tests. Leaving the
 * component does not stop the task; call `cancel()` for that.
 */
export function useTask<A extends { taskId: string }, E, R>(
  pick: (backend: Backend) => TaskStart<A, E, R>,
  prefix: string,
): TaskControl<Omit<A, "taskId">, E, R> {
  const backend = useBackend();
  const [view, setView] = useState<TaskView<E, R>>({ status: "idle", events: [], cancelling: false });
  // Refs, so start/cancel never see a stale render: the last run (its late events still
  // land after the reply) and the run in progress (null when none).
  const current = useRef<{ taskId: string; events: Map<number, E> } | null>(null);
  const active = useRef<object | null>(null);
  const mounted = useRef(true);
  const pickRef = useRef(pick);
  pickRef.current = pick;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const update = useCallback((change: (v: TaskView<E, R>) => TaskView<E, R>) => {
    if (mounted.current) setView(change);
  }, []);

  const start = useCallback(
    async (args: Omit<A, "taskId">) => {
      if (active.current) return;
      const taskId = newTaskId(prefix);
      const run = { taskId, events: new Map<number, E>() };
      current.current = run;
      active.current = run;
      update(() => ({ status: "running", taskId, events: [], cancelling: false }));
      const onEvent = (message: TaskEvent<E>) => {
        // A late event of an earlier run, or a repeat, changes nothing.
        if (current.current !== run || message.taskId !== taskId || run.events.has(message.seq)) return;
        run.events.set(message.seq, message.event);
        const ordered = [...run.events.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);
        update((v) => (v.taskId === taskId ? { ...v, events: ordered } : v));
      };
      try {
        const result = await pickRef.current(backend)({ ...args, taskId } as A, onEvent);
        update((v) => (v.taskId === taskId ? { ...v, status: "done", result, cancelling: false } : v));
      } catch (reason) {
        const error = toAppError(reason);
        const status = error.code === "Cancelled" ? "cancelled" : "failed";
        update((v) => (v.taskId === taskId ? { ...v, status, error, cancelling: false } : v));
      } finally {
        active.current = null;
      }
    },
    [backend, prefix, update],
  );

  const cancel = useCallback(async () => {
    const run = current.current;
    if (!run || active.current !== run) return;
    update((v) => (v.taskId === run.taskId ? { ...v, cancelling: true } : v));
    try {
      await backend.taskCancel({ taskId: run.taskId });
    } catch (reason) {
      update((v) => (v.taskId === run.taskId ? { ...v, cancelling: false, error: toAppError(reason) } : v));
    }
  }, [backend, update]);

  return { ...view, start, cancel };
}
