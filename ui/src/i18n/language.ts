// Which UI language to show.
import type { LanguagePref } from "../settings/preferences";

export const LANGUAGES = ["zh-CN", "en-US"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The OS language as the webview reports it, mapped to a supported one. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en-US";
}

/** The user's choice in Settings wins; "system" follows `navigator.language`. */
export function resolveLanguage(pref: LanguagePref, systemLocale: string | undefined): Language {
  return pref === "system" ? languageFromLocale(systemLocale) : pref;
}

export function systemLocale(): string | undefined {
  return typeof navigator === "undefined" ? undefined : navigator.language;
}
