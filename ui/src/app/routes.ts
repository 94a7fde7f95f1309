// Screens are addressed by the URL hash (#/instances, #/results/JOB_ID, #/history/JOB_ID,
// #/scripts/INSTANCE_ID), which works under
// Tauri's custom protocol where there is no server to route paths. A route keeps its
// parameters: parse and build are inverse, and every navigation goes through build.
import { useCallback, useSyncExternalStore } from "react";

export const SCREEN_KEYS = ["profiles", "ram", "instances", "scripts", "results", "history", "settings"] as const;
export type ScreenKey = (typeof SCREEN_KEYS)[number];

/** The start page: where the daily work begins. */
export const DEFAULT_SCREEN: ScreenKey = "instances";

/** The screens that open one job from the route (`#/results/JOB_ID`, `#/history/JOB_ID`). */
const JOB_SCREENS = ["results", "history"] as const;
type JobScreen = (typeof JOB_SCREENS)[number];

/** Where the app is: a screen and, for screens that take one, its parameter. */
export type Route =
  | { [K in JobScreen]: { screen: K; jobId?: string } }[JobScreen]
  | { screen: "scripts"; instanceId?: string }
  | { screen: Exclude<ScreenKey, JobScreen | "scripts"> };

function isJobScreen(key: ScreenKey): key is JobScreen {
  return (JOB_SCREENS as readonly string[]).includes(key);
}

function isScreenKey(key: string | undefined): key is ScreenKey {
  return (SCREEN_KEYS as readonly string[]).includes(key ?? "");
}

function decode(part: string): string | undefined {
  try {
    const value = decodeURIComponent(part).trim();
    return value === "" ? undefined : value;
  } catch {
    // A malformed escape (#/results/%E0) is no id at all.
    return undefined;
  }
}

export function parseRoute(hash: string): Route {
  const [key, param] = hash.replace(/^#\/?/, "").split("?")[0]!.split("/");
  if (!isScreenKey(key)) return { screen: DEFAULT_SCREEN };
  if (isJobScreen(key)) {
    const jobId = param === undefined ? undefined : decode(param);
    return jobId ? { screen: key, jobId } : { screen: key };
  }
  if (key === "scripts") {
    // The instance to push to, selected on arrival (the picker's drawer links here).
    const instanceId = param === undefined ? undefined : decode(param);
    return instanceId ? { screen: "scripts", instanceId } : { screen: "scripts" };
  }
  return { screen: key };
}

export function buildRoute(route: Route): string {
  if ("jobId" in route && route.jobId) return `#/${route.screen}/${encodeURIComponent(route.jobId)}`;
  if (route.screen === "scripts" && route.instanceId) return `#/scripts/${encodeURIComponent(route.instanceId)}`;
  return `#/${route.screen}`;
}

export function screenFromHash(hash: string): ScreenKey {
  return parseRoute(hash).screen;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

const currentHash = () => window.location.hash;

/** The current route (re-rendered on every hash change) and how to go elsewhere. */
export function useRoute(): [Route, (next: Route) => void] {
  const hash = useSyncExternalStore(subscribe, currentHash, () => "");
  const navigate = useCallback((next: Route) => {
    window.location.hash = buildRoute(next);
  }, []);
  return [parseRoute(hash), navigate];
}
