// The picker's data: the stored inventory of the current profile (shown at once, with its
// age), the refresh and deep-check tasks that replace it, and a refresh started by itself
// when nothing is stored yet or what is stored is old.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { AppError } from "../../bindings/AppError";
import type { StoredInventory } from "../../bindings/StoredInventory";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { useTask } from "../../backend/useTask";
import { useAppStatus } from "../../status/appStatus";

/** Older than this, the stored inventory is refreshed on opening. */
export const AUTO_REFRESH_AFTER_MS = 10 * 60 * 1000;

export function useFleet() {
  const backend = useBackend();
  const client = useQueryClient();
  const status = useAppStatus().data;
  const profile = status?.profile;
  const cached = useQuery<StoredInventory | null, AppError>({
    queryKey: queryKeys.fleetCached(profile ?? ""),
    queryFn: () => backend.fleetCached(),
    enabled: profile !== undefined,
    retry: false,
  });
  const refresh = useTask((b) => b.fleetRefresh, "fleet-refresh");
  const deepCheck = useTask((b) => b.fleetDeepCheck, "fleet-deep-check");

  useKeepResult(refresh.status, refresh.result, profile);
  useKeepResult(deepCheck.status, deepCheck.result, profile);

  const [autoStarted, setAutoStarted] = useState(false);
  const sandboxReady = status !== undefined && status.sandbox.state !== "starting";
  useEffect(() => {
    if (autoStarted || !sandboxReady || !cached.isSuccess || refresh.status !== "idle") return;
    const stored = cached.data;
    if (stored && stored.ageMs < AUTO_REFRESH_AFTER_MS) return;
    setAutoStarted(true);
    void refresh.start({ regions: [] });
  }, [autoStarted, sandboxReady, cached.isSuccess, cached.data, refresh]);

  return {
    profile,
    stored: cached.data ?? undefined,
    /** When the stored inventory was fetched, to age it while the screen is open. */
    fetchedAt: cached.dataUpdatedAt,
    loadError: cached.error ?? undefined,
    loading: cached.isPending,
    refresh,
    deepCheck,
    reload: () => client.invalidateQueries({ queryKey: queryKeys.fleetCached(profile ?? "") }),
  };
}

/** A finished task's inventory becomes the cached one. */
function useKeepResult(status: string, result: StoredInventory | undefined, profile: string | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    if (status === "done" && result && profile !== undefined) client.setQueryData(queryKeys.fleetCached(profile), result);
  }, [client, status, result, profile]);
}
