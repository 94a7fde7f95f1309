// Where the ECS console shows a run's invocation, snapshot group and instance: the one
// place these addresses are built. They are not in the API reference (alibaba-api.md has
// no console URL format), only seen in Alibaba's guides and SDK examples, so they are
// UNVERIFIED: the view says so, offers them as text to copy (the app opens no web pages)
// and names the id to look for on pages that are a region's list rather than the item.
import type { RunResult } from "../../bindings/RunResult";

export const CONSOLE_BASE = "https://ecs.console.aliyun.com";

export const CONSOLE_KINDS = ["invocation", "snapshotGroup", "instance"] as const;
export type ConsoleKind = (typeof CONSOLE_KINDS)[number];

export interface ConsoleLink {
  kind: ConsoleKind;
  /** What to look for on the page. */
  id: string;
  url: string;
  /** The page is the item itself, not a list of the region to search in. */
  deep: boolean;
}

type Ids = Pick<RunResult, "instanceId" | "regionId" | "invokeId" | "snapshotGroupId">;

/** The links a run has so far: the instance always, the others once their id is known. */
export function consoleLinks(run: Ids): ConsoleLink[] {
  const region = encodeURIComponent(run.regionId);
  const out: ConsoleLink[] = [];
  if (run.invokeId) {
    // Cloud Assistant's page of the region (guides link /cloud-assistant/region).
    out.push({ kind: "invocation", id: run.invokeId, url: `${CONSOLE_BASE}/cloud-assistant/region/${region}`, deep: false });
  }
  if (run.snapshotGroupId) {
    // The snapshots page of the region (guides link #/snapshot/region/<region>).
    out.push({ kind: "snapshotGroup", id: run.snapshotGroupId, url: `${CONSOLE_BASE}/#/snapshot/region/${region}`, deep: false });
  }
  // An instance's details (the Tag service's own example of a resource page link).
  out.push({
    kind: "instance",
    id: run.instanceId,
    url: `${CONSOLE_BASE}/#/server/${encodeURIComponent(run.instanceId)}/detail?regionId=${region}`,
    deep: true,
  });
  return out;
}
