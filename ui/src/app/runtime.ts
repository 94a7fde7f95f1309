// What the app needs before its first render: the query cache and the event subscriptions.
import { QueryClient } from "@tanstack/react-query";
import { subscribeSandboxStatus } from "../status/appStatus";

export interface AppRuntime {
  queryClient: QueryClient;
  dispose(): void;
}

export function createAppRuntime(): AppRuntime {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { refetchOnWindowFocus: false, retry: 1 },
    },
  });
  const stopSandboxEvents = subscribeSandboxStatus(queryClient);
  return {
    queryClient,
    dispose() {
      stopSandboxEvents();
      queryClient.clear();
    },
  };
}
