// The History screen's filter as the user edits it, and what the backend is asked: every
// field narrows, blanks match all; dates are whole UTC days (the until day included).
import type { HistoryFilter } from "../../bindings/HistoryFilter";
import type { ResultConsistency } from "../../bindings/ResultConsistency";
import type { RunStatus } from "../../bindings/RunStatus";

/** One entry per member, so the compiler fails when Rust adds a status or a consistency. */
const STATUS_SET: Record<RunStatus, true> = {
  queued: true,
  invoking: true,
  running: true,
  snapshotting: true,
  succeeded: true,
  failed: true,
  cancelled: true,
  stuck: true,
};
const CONSISTENCY_SET: Record<ResultConsistency, true> = { application: true, filesystem: true, crash: true, failed: true };
export const RUN_STATUSES = Object.keys(STATUS_SET) as RunStatus[];
export const RESULT_CONSISTENCIES = Object.keys(CONSISTENCY_SET) as ResultConsistency[];

/** Rows per page of `history_list`; the table virtualises above `VIRTUAL_FROM` of them. */
export const PAGE_SIZE = 200;

export interface HistoryFilters {
  instance: string;
  region: string;
  consistency?: ResultConsistency;
  status?: RunStatus;
  /** `yyyy-MM-dd`, UTC. */
  since?: string;
  until?: string;
  text: string;
}

export const NO_FILTERS: HistoryFilters = { instance: "", region: "", text: "" };

const DAY_MS = 86_400_000;

function dayMs(day: string | undefined): number | null {
  if (!day) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

export function toHistoryFilter(f: HistoryFilters): HistoryFilter {
  const until = dayMs(f.until);
  const blank = (s: string) => (s.trim() === "" ? null : s.trim());
  return {
    instanceId: blank(f.instance),
    regionId: blank(f.region),
    consistency: f.consistency ?? null,
    status: f.status ?? null,
    sinceMs: dayMs(f.since),
    untilMs: until === null ? null : until + DAY_MS,
    text: blank(f.text),
  };
}

/** `yyyy-MM-dd HH:mm` in local time, for the table. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
