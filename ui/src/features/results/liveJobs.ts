// Snapshot jobs running in this window: started from the dialog (or "retry failed"), they
// outlive the component that started them, so the results view finds their events by job
// id after navigating. Each event is kept with the time it arrived, for the timeline.
// What survives a reload or a restart is history: the results view reads `job_report`.
import { useSyncExternalStore } from "react";
import type { AppError } from "../../bindings/AppError";
import type { JobEvent } from "../../bindings/JobEvent";
import type { JobReport } from "../../bindings/JobReport";
import type { SnapshotOptions } from "../../bindings/SnapshotOptions";
import type { TaskEvent } from "../../bindings/TaskEvent";
import type { Backend } from "../../backend/Backend";
import { newTaskId } from "../../backend/useTask";
import { toAppError } from "../../ipc";

export interface TimedEvent {
  at: number;
  event: JobEvent;
}

export interface LiveJob {
  jobId: string;
  /** The task running now (a run or a retry), if any. */
  taskId?: string;
  running: boolean;
  cancelling: boolean;
  /** Every event of every task of this job in this window, in order. */
  events: TimedEvent[];
  report?: JobReport;
  error?: AppError;
}

const jobs = new Map<string, LiveJob>();
const listeners = new Set<() => void>();

function publish(jobId: string, change: (j: LiveJob) => LiveJob): void {
  const old = jobs.get(jobId) ?? { jobId, running: false, cancelling: false, events: [] };
  jobs.set(jobId, change(old));
  listeners.forEach((l) => l());
}

/** Feeds a task's events (ordered by seq, repeats dropped) into the job named by its first event. */
function follow(firstJobId: string | undefined, onJob: (jobId: string) => void) {
  let jobId = firstJobId;
  const seen = new Map<number, JobEvent>();
  const early: TimedEvent[] = [];
  return {
    onEvent(message: TaskEvent<JobEvent>, taskId: string) {
      if (message.taskId !== taskId || seen.has(message.seq)) return;
      seen.set(message.seq, message.event);
      const timed = { at: Date.now(), event: message.event };
      if (!jobId && message.event.kind === "jobStarted") {
        jobId = message.event.jobId;
        const id = jobId;
        publish(id, (j) => ({ ...j, taskId, running: true, events: [...j.events, ...early, timed] }));
        onJob(id);
        return;
      }
      if (!jobId) {
        early.push(timed);
        return;
      }
      publish(jobId, (j) => ({ ...j, events: [...j.events, timed] }));
    },
    jobId: () => jobId,
  };
}

/**
 * Starts a snapshot job; resolves with its id once the backend names it (then the job
 * goes on in the background), or rejects with the error that stopped it before that.
 */
export function startJob(
  backend: Backend,
  args: { options: SnapshotOptions; instanceIds: string[]; concurrency: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const taskId = newTaskId("snapshot-run");
    const f = follow(undefined, resolve);
    backend
      .snapshotRun({ ...args, taskId }, (m) => f.onEvent(m, taskId))
      .then((report) => {
        const id = f.jobId() ?? report.jobId;
        publish(id, (j) => ({ ...j, running: false, cancelling: false, report, taskId: undefined }));
        resolve(id);
      })
      .catch((reason) => {
        const error = toAppError(reason);
        const id = f.jobId();
        if (id) publish(id, (j) => ({ ...j, running: false, cancelling: false, error, taskId: undefined }));
        reject(error);
      });
  });
}

/** "Retry failed": the same job, only the instances that did not meet the mandate. */
export async function retryJob(backend: Backend, jobId: string): Promise<void> {
  const taskId = newTaskId("snapshot-retry");
  const f = follow(jobId, () => undefined);
  publish(jobId, (j) => ({ ...j, taskId, running: true, error: undefined }));
  try {
    const report = await backend.snapshotRetry({ taskId, jobId }, (m) => f.onEvent(m, taskId));
    publish(jobId, (j) => ({ ...j, running: false, cancelling: false, report, taskId: undefined }));
  } catch (reason) {
    const error = toAppError(reason);
    publish(jobId, (j) => ({ ...j, running: false, cancelling: false, error, taskId: undefined }));
  }
}

export async function cancelJob(backend: Backend, jobId: string): Promise<void> {
  const taskId = jobs.get(jobId)?.taskId;
  if (!taskId) return;
  publish(jobId, (j) => ({ ...j, cancelling: true }));
  try {
    await backend.taskCancel({ taskId });
  } catch (reason) {
    publish(jobId, (j) => ({ ...j, cancelling: false, error: toAppError(reason) }));
  }
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The job as this window follows it; undefined when it was not started here (read history). */
export function useLiveJob(jobId: string | undefined): LiveJob | undefined {
  return useSyncExternalStore(subscribe, () => (jobId ? jobs.get(jobId) : undefined), () => undefined);
}

/** For tests: forget every job. */
export function resetLiveJobs(): void {
  jobs.clear();
  listeners.forEach((l) => l());
}
