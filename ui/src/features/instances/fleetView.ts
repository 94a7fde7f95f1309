// The picker's rows from an inventory, the filters over them, and small derived facts
// (agent state, role, the inventory's age). Pure: the screen and its tests share it.
import type { Assessed } from "../../bindings/Assessed";
import type { CheckId } from "../../bindings/CheckId";
import type { Consistency } from "../../bindings/Consistency";
import type { Inventory } from "../../bindings/Inventory";

export interface FleetFilters {
  search: string;
  /** Empty = every region. */
  regions: string[];
  predictions: Consistency[];
  osTypes: string[];
  statuses: string[];
  /** Rows with at least one of these checks failing. */
  failing: CheckId[];
}

export const NO_FILTERS: FleetFilters = { search: "", regions: [], predictions: [], osTypes: [], statuses: [], failing: [] };

export const CONSISTENCIES: readonly Consistency[] = ["application", "filesystem", "none"];

/** The console's colours: green for application-consistent, blue for file-system, red for none. */
export const CONSISTENCY_COLOR: Record<Consistency, string> = { application: "green", filesystem: "blue", none: "red" };

export interface FleetRow {
  key: string;
  assessed: Assessed;
  /** Lower-cased name and id, for the search box. */
  haystack: string;
  failing: Set<CheckId>;
}

export function toRows(inventory: Inventory | undefined): FleetRow[] {
  return (inventory?.instances ?? []).map((a) => ({
    key: a.instance.instanceId,
    assessed: a,
    haystack: `${a.instance.name}\u0000${a.instance.instanceId}`.toLowerCase(),
    failing: new Set(a.checks.filter((c) => c.status === "fail").map((c) => c.id)),
  }));
}

export function filterRows(rows: readonly FleetRow[], f: FleetFilters): FleetRow[] {
  const search = f.search.trim().toLowerCase();
  const regions = new Set(f.regions);
  const predictions = new Set(f.predictions);
  const osTypes = new Set(f.osTypes);
  const statuses = new Set(f.statuses);
  return rows.filter((r) => {
    const i = r.assessed.instance;
    if (search && !r.haystack.includes(search)) return false;
    if (regions.size && !regions.has(i.regionId)) return false;
    if (predictions.size && !predictions.has(r.assessed.prediction.consistency)) return false;
    if (osTypes.size && !osTypes.has(i.osType)) return false;
    if (statuses.size && !statuses.has(i.status)) return false;
    if (f.failing.length && !f.failing.some((c) => r.failing.has(c))) return false;
    return true;
  });
}

/** The distinct values a filter can take, sorted. */
export function options(rows: readonly FleetRow[], pick: (r: FleetRow) => string): string[] {
  return [...new Set(rows.map(pick))].sort();
}

export type AgentState = "online" | "offline" | "missing" | "unknown";

export function agentState(a: Assessed): AgentState {
  const agent = a.instance.agent;
  if (!agent) return "unknown";
  if (!agent.installed) return "missing";
  return agent.online ? "online" : "offline";
}

/** The role's name, `null` for none, `undefined` when it could not be read. */
export function roleName(a: Assessed): string | null | undefined {
  const role = a.instance.role;
  if (role.state === "attached") return role.roleName;
  return role.state === "none" ? null : undefined;
}

/** "3 minutes ago" in the UI's language, from an age in milliseconds. */
export function formatAge(ageMs: number, language: string): string {
  if (!Number.isFinite(ageMs)) return "";
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const seconds = Math.round(ageMs / 1000);
  if (seconds < 60) return rtf.format(-seconds, "second");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 48) return rtf.format(-hours, "hour");
  return rtf.format(-Math.round(hours / 24), "day");
}
