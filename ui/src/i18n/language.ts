// Which UI language to show.
import type { LanguagePref } from "../settings/preferences";

export const LANGUAGES = ["zh-CN", "en-US"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The OS language as the webview reports it, mapped to a supported one. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en-US";
}

/** The user's choice in Settings wins; "system" follows the OS locale. */
export function resolveLanguage(pref: LanguagePref, systemLocale: string | undefined): Language {
  return pref === "system" ? languageFromLocale(systemLocale) : pref;
}

declare global {
  interface Window {
    /** The OS locale, injected by the desktop shell before the page loads. */
    __APPSNAP_OS_LOCALE__?: string;
  }
}

/** The shell's view of the OS locale wins: some webviews ignore the OS language. */
export function systemLocale(): string | undefined {
  if (typeof window !== "undefined" && window.__APPSNAP_OS_LOCALE__) return window.__APPSNAP_OS_LOCALE__;
  return typeof navigator === "undefined" ? undefined : navigator.language;
}
