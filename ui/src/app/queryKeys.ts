import type { HistoryFilter } from "../bindings/HistoryFilter";
import type { PageRequest } from "../bindings/PageRequest";
import type { RamOptions } from "../bindings/RamOptions";
import type { SnapshotOptions } from "../bindings/SnapshotOptions";

// Every TanStack Query key, in one place: invalidation and cache patches use these, never
// a literal array written at the call site.
export const queryKeys = {
  /** `app_status`: version, current profile, sandbox state, log dir. */
  appStatus: ["app_status"] as const,
  /** `ram_candidates`: instances with their current RAM role (all regions). */
  ramCandidates: ["ram_candidates"] as const,
  /** `ram_plan` for these options; the prefix alone matches every plan. */
  ramPlan: (options?: RamOptions) => (options ? (["ram_plan", options] as const) : (["ram_plan"] as const)),
  /** `profiles_list`: the Sandbox's name, stored profiles, the current one. */
  profiles: ["profiles_list"] as const,
  /** `profile_test` per profile: its account, cached (the header shows the current one's). */
  identity: (profile: string) => ["profile_test", profile] as const,
  /** `profile_import_list`: the aliyun CLI's profiles. */
  cliImport: ["profile_import_list"] as const,
  /** `fleet_cached`: the profile's last stored inventory (refresh, deep check and fix replace it). */
  fleetCached: (profile: string) => ["fleet_cached", profile] as const,
  /** The instances chosen in the picker, per profile; the snapshot dialog reads it (no backend call). */
  fleetSelection: (profile: string) => ["fleet_selection", profile] as const,
  /** `scripts_templates`: the freeze/thaw template library (shipped with the app). */
  scriptsTemplates: ["scripts_templates"] as const,
  /** `scripts_check_params` for a template, its values and the freeze timeout. */
  scriptsCheckParams: (name: string, params: Record<string, string>, timeout: number) => ["scripts_check_params", name, params, timeout] as const,
  /** `scripts_render`: the pair exactly as it would be pushed. */
  scriptsRender: (name: string, params: Record<string, string>, timeout: number) => ["scripts_render", name, params, timeout] as const,
  /** `scripts_validate` of one script's text (live validation of the custom pair). */
  scriptsValidate: (text: string) => ["scripts_validate", text] as const,
  /** `snapshot_plan` for these options and instances (pre-flight; reads only). */
  snapshotPlan: (options: SnapshotOptions, instanceIds: readonly string[]) => ["snapshot_plan", options, instanceIds] as const,
  /** `job_report`: a snapshot job as history holds it. */
  jobReport: (jobId: string) => ["job_report", jobId] as const,
  /** `history_list` for a filter and page; the prefix alone matches every page (a rollback or a new job refreshes them). */
  historyList: (filter?: HistoryFilter, page?: PageRequest) =>
    filter && page ? (["history_list", filter, page] as const) : (["history_list"] as const),
  /** `rollback_list`: every recorded rollback (a finished rollback refreshes it). */
  rollbackList: ["rollback_list"] as const,
  /** `rollback_plan`: what rolling an instance back to a group would overwrite (read afresh each time the dialog opens). */
  rollbackPlan: (instanceId: string, groupId: string) => ["rollback_plan", instanceId, groupId] as const,
  /** `settings_get`: language, theme and the snapshot jobs' defaults (settings.json). */
  settings: ["settings_get"] as const,
  /** `diagnostics`: the bug report's text, made afresh on each copy. */
  diagnostics: ["diagnostics"] as const,
} as const;
