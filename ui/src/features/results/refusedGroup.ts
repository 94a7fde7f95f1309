// Whether a run's group is one the mandate refused, as core's `jobs::refused_group` says:
// failed by the mandate, every disk snapshot file-system-consistent, not deleted yet.
// Only then is deleting it offered; core checks again before any call.
import type { RunResult } from "../../bindings/RunResult";

export function refusedGroup(r: RunResult): string | null {
  const byMandate = r.status === "failed" && r.consistency === "failed" && r.explanation.some((f) => f.source === "mandate");
  const filesystem = r.disks.length > 0 && r.disks.every((d) => d.consistency === "filesystem");
  return byMandate && filesystem && !r.groupDeleted ? r.snapshotGroupId : null;
}
