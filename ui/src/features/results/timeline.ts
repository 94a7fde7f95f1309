// A run's timeline from the events this window saw: when each stage began and how long it
// took. The events tell the run's states; the guest's freeze, snapshot and thaw all fall
// in the "in the guest" stage (the invocation's run), the tags are read after it ends.
// Linux runs with recorded scripts have a "scripts pushed" stage before the invocation.
import type { RunStatus } from "../../bindings/RunStatus";
import type { TimedEvent } from "./liveJobs";

export const STAGES = ["queued", "scriptsPushed", "invoked", "inGuest", "snapshot", "tagged"] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_OF: Record<RunStatus, Stage> = {
  queued: "queued",
  invoking: "invoked",
  running: "inGuest",
  snapshotting: "snapshot",
  succeeded: "tagged",
  failed: "tagged",
  cancelled: "tagged",
  stuck: "tagged",
};

export const FINAL: readonly RunStatus[] = ["succeeded", "failed", "cancelled", "stuck"];

export interface StageTime {
  stage: Stage;
  at: number;
  /** Until the next stage began; undefined while it lasts (or for the last one). */
  durationMs?: number;
}

/** The stages a run's timeline shows: "scripts pushed" only where it happened. */
export function shownStages(reached: readonly StageTime[]): Stage[] {
  return STAGES.filter((s) => s !== "scriptsPushed" || reached.some((r) => r.stage === s));
}

/** The stages the latest attempt of `instanceId` reached, in order, with durations. */
export function timeline(events: readonly TimedEvent[], instanceId: string): StageTime[] {
  const mine = events.flatMap((e): { at: number; stage: Stage }[] => {
    if (e.event.kind === "runChanged" && e.event.instanceId === instanceId) return [{ at: e.at, stage: STAGE_OF[e.event.status] }];
    if (e.event.kind === "scriptsPushed" && e.event.instanceId === instanceId) return [{ at: e.at, stage: "scriptsPushed" }];
    return [];
  });
  // A retry starts over at `queued`: show the latest attempt only.
  const lastQueued = mine.map((e) => e.stage).lastIndexOf("queued");
  const attempt = lastQueued >= 0 ? mine.slice(lastQueued) : mine;
  const out: StageTime[] = [];
  for (const e of attempt) {
    const stage = e.stage;
    if (out.at(-1)?.stage === stage) continue;
    const prev = out.at(-1);
    if (prev) prev.durationMs = e.at - prev.at;
    out.push({ stage, at: e.at });
  }
  return out;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
