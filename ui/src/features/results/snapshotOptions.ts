// The dialog's form → `SnapshotOptions`, checked with the engine's limits (jobs/options.rs,
// alibaba-api.md §3.14) so most mistakes are shown before any call; Rust checks them again.
import type { Assessed } from "../../bindings/Assessed";
import type { SnapshotOptions } from "../../bindings/SnapshotOptions";

export const LIMITS = {
  name: [2, 128],
  description: [2, 256],
  retentionDays: [1, 65_536],
  instantAccessDays: [1, 65_535],
  freezeTimeout: [1, 600],
} as const;

/** What the dialog edits: text as typed, numbers as entered (`null` = the command's default). */
export interface SnapshotForm {
  name: string;
  description: string;
  retentionDays: number | null;
  instantAccess: boolean;
  instantAccessDays: number | null;
  includeWriters: boolean;
  fsFreeze: boolean;
  freezeTimeoutSecs: number | null;
  excludeDiskIds: string[];
  mandate: SnapshotOptions["mandate"];
}

export const DEFAULT_FORM: SnapshotForm = {
  name: "",
  description: "",
  retentionDays: null,
  instantAccess: false,
  instantAccessDays: null,
  includeWriters: true,
  fsFreeze: true,
  freezeTimeoutSecs: null,
  excludeDiskIds: [],
  mandate: "allow",
};

export type FormField = "name" | "description" | "retentionDays" | "instantAccessDays" | "freezeTimeoutSecs" | "excludeDiskIds";

/** An i18n key under `snapshot.errors` and its values. */
export interface FieldError {
  key: "length" | "http" | "nameStart" | "nameChars" | "control" | "range" | "needsInstantAccess" | "diskId" | "diskTwice";
  params?: Record<string, string | number>;
}

export function toOptions(f: SnapshotForm): SnapshotOptions {
  const text = (s: string) => (s.trim() === "" ? null : s.trim());
  return {
    name: text(f.name),
    description: text(f.description),
    retentionDays: f.retentionDays,
    instantAccess: f.instantAccess ? true : null,
    instantAccessDays: f.instantAccess ? f.instantAccessDays : null,
    includeWriters: f.includeWriters,
    fsFreeze: f.fsFreeze,
    freezeTimeoutSecs: f.freezeTimeoutSecs,
    excludeDiskIds: f.excludeDiskIds,
    mandate: f.mandate,
  };
}

/** Every field's first problem; empty when the options can be sent. */
export function validateOptions(o: SnapshotOptions): Partial<Record<FormField, FieldError>> {
  const errors: Partial<Record<FormField, FieldError>> = {};
  const length = (s: string, [lo, hi]: readonly [number, number]): FieldError | undefined => {
    const n = [...s].length;
    return n < lo || n > hi ? { key: "length", params: { n, lo, hi } } : undefined;
  };
  if (o.name != null) {
    errors.name =
      length(o.name, LIMITS.name) ??
      (/^https?:\/\//.test(o.name) ? { key: "http" } : undefined) ??
      (!/^\p{L}/u.test(o.name) ? { key: "nameStart" } : undefined) ??
      (/[^\p{L}\p{N}._:-]/u.test(o.name) ? { key: "nameChars" } : undefined);
  }
  if (o.description != null) {
    errors.description =
      length(o.description, LIMITS.description) ??
      (/^https?:\/\//.test(o.description) ? { key: "http" } : undefined) ??
      // eslint-disable-next-line no-control-regex
      (/[\u0000-\u001f\u007f]/.test(o.description) ? { key: "control" } : undefined);
  }
  const range = (v: number | null, [lo, hi]: readonly [number, number]): FieldError | undefined =>
    v != null && (!Number.isInteger(v) || v < lo || v > hi) ? { key: "range", params: { lo, hi } } : undefined;
  errors.retentionDays = range(o.retentionDays, LIMITS.retentionDays);
  errors.instantAccessDays =
    range(o.instantAccessDays, LIMITS.instantAccessDays) ??
    (o.instantAccessDays != null && o.instantAccess !== true ? { key: "needsInstantAccess" } : undefined);
  errors.freezeTimeoutSecs = range(o.freezeTimeoutSecs, LIMITS.freezeTimeout);
  const seen = new Set<string>();
  for (const d of o.excludeDiskIds) {
    if (!/^d-[a-z0-9]{1,62}$/.test(d)) errors.excludeDiskIds ??= { key: "diskId", params: { disk: d } };
    else if (seen.has(d)) errors.excludeDiskIds ??= { key: "diskTwice", params: { disk: d } };
    seen.add(d);
  }
  for (const k of Object.keys(errors) as FormField[]) if (!errors[k]) delete errors[k];
  return errors;
}

/** Why an instance cannot be submitted (the engine's eligibility rule), or nothing. */
export function ineligible(a: Assessed): "none" | "noRole" | undefined {
  if (a.prediction.consistency === "none") return "none";
  if (a.instance.role.state !== "attached") return "noRole";
  return undefined;
}
