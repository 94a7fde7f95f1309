// A small persisted setting: read from localStorage, observable from React.
import { useSyncExternalStore } from "react";

export interface Preference<T extends string> {
  readonly key: string;
  get(): T;
  set(value: T): void;
  subscribe(onChange: () => void): () => void;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Access can throw when storage is disabled; the default then applies.
    return undefined;
  }
}

/** A preference stored under `key`; unknown stored values read as `fallback`. */
export function createPreference<T extends string>(
  key: string,
  allowed: readonly T[],
  fallback: T,
): Preference<T> {
  const listeners = new Set<() => void>();
  return {
    key,
    get() {
      const stored = storage()?.getItem(key);
      return stored !== null && stored !== undefined && (allowed as readonly string[]).includes(stored)
        ? (stored as T)
        : fallback;
    },
    set(value) {
      try {
        storage()?.setItem(key, value);
      } catch {
        // Quota or privacy mode: keep going; the choice just won't survive a restart.
      }
      listeners.forEach((listener) => listener());
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
}

export function usePreference<T extends string>(preference: Preference<T>): T {
  return useSyncExternalStore(preference.subscribe, preference.get, preference.get);
}
