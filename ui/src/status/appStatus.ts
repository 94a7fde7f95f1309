// The backend's status (`app_status`) and its live sandbox updates (`sandbox-status`).
import { useQuery, type QueryClient } from "@tanstack/react-query";
import { listen } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";
import type { AppStatus } from "../bindings/AppStatus";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { queryKeys } from "../app/queryKeys";
import { useBackend } from "../backend/BackendContext";

const APP_STATUS_KEY = queryKeys.appStatus;
export const SANDBOX_STATUS_EVENT = "sandbox-status";

export function useAppStatus() {
  const backend = useBackend();
  return useQuery<AppStatus, AppError>({
    queryKey: APP_STATUS_KEY,
    queryFn: () => backend.appStatus(),
    // Changes arrive as events; a failure (e.g. outside the desktop app) will not heal by retrying.
    staleTime: Infinity,
    retry: false,
  });
}

/** Puts a pushed sandbox status into the cache, or refetches when there is nothing to patch. */
export function applySandboxStatus(client: QueryClient, sandbox: SandboxStatus): void {
  const current = client.getQueryData<AppStatus>(APP_STATUS_KEY);
  if (current) {
    client.setQueryData<AppStatus>(APP_STATUS_KEY, { ...current, sandbox });
  } else {
    // The first query may be in flight with an older state: drop it and ask again. The
    // backend stores the new state before it emits, so the new answer is never behind.
    void client
      .cancelQueries({ queryKey: APP_STATUS_KEY })
      .then(() => client.invalidateQueries({ queryKey: APP_STATUS_KEY }));
  }
}

/**
 * Subscribes to `sandbox-status` events. Call it before the first render so that no
 * event is missed while the first `app_status` query runs. Returns the unsubscribe.
 */
export function subscribeSandboxStatus(client: QueryClient): () => void {
  let disposed = false;
  let unlisten: (() => void) | undefined;
  listen<SandboxStatus>(SANDBOX_STATUS_EVENT, (event) => applySandboxStatus(client, event.payload))
    .then((stop) => {
      if (disposed) stop();
      else unlisten = stop;
    })
    .catch(() => {
      // Outside the desktop app there are no events; the status query reports why.
    });
  return () => {
    disposed = true;
    unlisten?.();
  };
}

export type SandboxView =
  | { state: "loading" }
  | { state: "running"; endpoint: string; scenario: string }
  | { state: "unavailable"; reason: string }
  | { state: "unavailable"; error: AppError };

/** What the header and banner show about the sandbox. */
export function useSandboxView(): SandboxView {
  const { data, error } = useAppStatus();
  if (data) return data.sandbox.state === "starting" ? { state: "loading" } : data.sandbox;
  if (error) return { state: "unavailable", error };
  return { state: "loading" };
}
