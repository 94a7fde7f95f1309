// What a region scan's events add up to so far.
import type { RegionCount } from "../../bindings/RegionCount";
import type { RegionScanEvent } from "../../bindings/RegionScanEvent";

export interface ScanProgress {
  /** How many regions will be counted; unknown until the list arrives. */
  total?: number;
  counted: RegionCount[];
  instances: number;
}

export function scanProgress(events: readonly RegionScanEvent[]): ScanProgress {
  let total: number | undefined;
  const counted: RegionCount[] = [];
  for (const event of events) {
    switch (event.kind) {
      case "listed":
        total = event.regionIds.length;
        break;
      case "counted":
        counted.push(event.region);
        break;
    }
  }
  return { total, counted, instances: counted.reduce((sum, r) => sum + r.instances, 0) };
}
