// Every TanStack Query key, in one place: invalidation and cache patches use these, never
// a literal array written at the call site.
export const queryKeys = {
  /** `app_status`: version, current profile, sandbox state, log dir. */
  appStatus: ["app_status"] as const,
} as const;
