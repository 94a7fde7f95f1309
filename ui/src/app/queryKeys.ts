import type { RamOptions } from "../bindings/RamOptions";

// Every TanStack Query key, in one place: invalidation and cache patches use these, never
// a literal array written at the call site.
export const queryKeys = {
  /** `app_status`: version, current profile, sandbox state, log dir. */
  appStatus: ["app_status"] as const,
  /** `ram_candidates`: instances with their current RAM role (all regions). */
  ramCandidates: ["ram_candidates"] as const,
  /** `ram_plan` for these options; the prefix alone matches every plan. */
  ramPlan: (options?: RamOptions) => (options ? (["ram_plan", options] as const) : (["ram_plan"] as const)),
} as const;
