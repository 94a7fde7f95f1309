// The snapshot jobs' defaults as Settings edits them, checked with core's limits
// (settings/mod.rs, jobs CONCURRENCY) so mistakes show before Save; Rust checks them again.
import type { AppSettings } from "../../bindings/AppSettings";

export const JOB_LIMITS = {
  concurrency: [1, 100],
  firstPollMs: [200, 10_000],
  maxPollSecs: [1, 60],
  commandPattern: [1, 128],
} as const;

export type JobField = keyof typeof JOB_LIMITS;
export const JOB_FIELDS = Object.keys(JOB_LIMITS) as JobField[];

/** What the card edits: numbers as entered (`null` while the field is empty). */
export interface JobDefaults {
  concurrency: number | null;
  firstPollMs: number | null;
  maxPollSecs: number | null;
  commandPattern: string;
}

export interface FieldError {
  key: "range" | "length" | "spaces" | "control" | "pollOrder" | "required";
  params?: Record<string, number>;
}

export function fromSettings(s: AppSettings): JobDefaults {
  return { concurrency: s.concurrency, firstPollMs: s.firstPollMs, maxPollSecs: s.maxPollSecs, commandPattern: s.commandPattern };
}

export function validateJobDefaults(d: JobDefaults): Partial<Record<JobField, FieldError>> {
  const errors: Partial<Record<JobField, FieldError>> = {};
  for (const field of ["concurrency", "firstPollMs", "maxPollSecs"] as const) {
    const v = d[field];
    const [min, max] = JOB_LIMITS[field];
    if (v === null) errors[field] = { key: "required" };
    else if (!Number.isInteger(v) || v < min || v > max) errors[field] = { key: "range", params: { min, max } };
  }
  if (!errors.firstPollMs && !errors.maxPollSecs && d.firstPollMs! > d.maxPollSecs! * 1000) {
    errors.firstPollMs = { key: "pollOrder" };
  }
  const p = d.commandPattern;
  const [min, max] = JOB_LIMITS.commandPattern;
  const n = [...p.trim()].length;
  if (n < min || n > max) errors.commandPattern = { key: "length", params: { min, max } };
  else if (/[\u0000-\u001f\u007f]/.test(p)) errors.commandPattern = { key: "control" };
  else if (p.trim() !== p) errors.commandPattern = { key: "spaces" };
  return errors;
}

/** The saved settings with the card's values (call only when valid). */
export function withJobDefaults(s: AppSettings, d: JobDefaults): AppSettings {
  return { ...s, concurrency: d.concurrency!, firstPollMs: d.firstPollMs!, maxPollSecs: d.maxPollSecs!, commandPattern: d.commandPattern };
}
