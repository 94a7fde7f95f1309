// What the app needs before its first render: the query cache and the event subscriptions.
import { QueryClient } from "@tanstack/react-query";
import { realBackend, type Backend } from "../backend/Backend";
import { subscribeSandboxStatus } from "../status/appStatus";

export interface AppRuntime {
  queryClient: QueryClient;
  /** What every component calls: the desktop shell, or an in-memory fake in tests. */
  backend: Backend;
  dispose(): void;
}

export function createAppRuntime(backend: Backend = realBackend): AppRuntime {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { refetchOnWindowFocus: false, retry: 1 },
    },
  });
  const stopSandboxEvents = subscribeSandboxStatus(queryClient);
  return {
    queryClient,
    backend,
    dispose() {
      stopSandboxEvents();
      queryClient.clear();
    },
  };
}
