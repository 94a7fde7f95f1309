// Every TanStack Query key, in one place: invalidation and cache patches use these, never
// a literal array written at the call site.
export const queryKeys = {
  /** `app_status`: version, current profile, sandbox state, log dir. */
  appStatus: ["app_status"] as const,
  /** `fleet_cached`: the profile's last stored inventory (refresh, deep check and fix replace it). */
  fleetCached: (profile: string) => ["fleet_cached", profile] as const,
  /** The instances chosen in the picker, per profile; the snapshot dialog reads it (no backend call). */
  fleetSelection: (profile: string) => ["fleet_selection", profile] as const,
} as const;
