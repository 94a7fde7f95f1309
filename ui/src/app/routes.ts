// Screens are addressed by the URL hash (#/instances), which works under Tauri's
// custom protocol where there is no server to route paths.
import { useCallback, useSyncExternalStore } from "react";

export const SCREEN_KEYS = ["profiles", "ram", "instances", "scripts", "results", "history", "settings"] as const;
export type ScreenKey = (typeof SCREEN_KEYS)[number];

/** The start page: where the daily work begins. */
export const DEFAULT_SCREEN: ScreenKey = "instances";

export function screenFromHash(hash: string): ScreenKey {
  const key = hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return (SCREEN_KEYS as readonly string[]).includes(key ?? "") ? (key as ScreenKey) : DEFAULT_SCREEN;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

const currentHash = () => window.location.hash;

export function useScreen(): [ScreenKey, (next: ScreenKey) => void] {
  const screen = screenFromHash(useSyncExternalStore(subscribe, currentHash, () => ""));
  const navigate = useCallback((next: ScreenKey) => {
    window.location.hash = `#/${next}`;
  }, []);
  return [screen, navigate];
}
