// Light or dark, from the user's choice or the OS.
import { useSyncExternalStore } from "react";
import type { ThemePref } from "./preferences";

export type ThemeMode = "light" | "dark";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function darkQuery(): MediaQueryList | undefined {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia(DARK_QUERY)
    : undefined;
}

function subscribe(onChange: () => void): () => void {
  const query = darkQuery();
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
}

const systemIsDark = () => darkQuery()?.matches ?? false;

export function useSystemTheme(): ThemeMode {
  const dark = useSyncExternalStore(subscribe, systemIsDark, () => false);
  return dark ? "dark" : "light";
}

export function resolveTheme(pref: ThemePref, system: ThemeMode): ThemeMode {
  return pref === "system" ? system : pref;
}
