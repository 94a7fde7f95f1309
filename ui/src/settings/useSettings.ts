// The saved settings (settings.json through the backend) and saving them whole. Language
// and theme also live in localStorage for the first paint; settings.json is what survives
// a restart of the app, so `useSettingsSync` puts its choice back once it is read.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { AppError } from "../bindings/AppError";
import type { AppSettings } from "../bindings/AppSettings";
import { queryKeys } from "../app/queryKeys";
import { useBackend } from "../backend/BackendContext";
import { toAppError } from "../ipc";
import { languagePref, themePref } from "./preferences";

export function useSettings() {
  const backend = useBackend();
  return useQuery<AppSettings, AppError>({
    queryKey: queryKeys.settings,
    queryFn: () => backend.settingsGet().catch((e) => Promise.reject(toAppError(e))),
    retry: false,
    staleTime: Infinity,
  });
}

/** Saves the settings whole; the cache then holds them as stored. */
export function useSaveSettings() {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<AppSettings, AppError, AppSettings>({
    mutationFn: (settings) => backend.settingsSave({ settings }).catch((e) => Promise.reject(toAppError(e))),
    onSuccess: (saved) => client.setQueryData(queryKeys.settings, saved),
  });
}

/** Once the saved settings are read, the UI takes their language and theme. */
export function useSettingsSync(): void {
  const settings = useSettings();
  const applied = useRef(false);
  useEffect(() => {
    if (applied.current || !settings.data) return;
    applied.current = true;
    if (languagePref.get() !== settings.data.language) languagePref.set(settings.data.language);
    if (themePref.get() !== settings.data.theme) themePref.set(settings.data.theme);
  }, [settings.data]);
}
