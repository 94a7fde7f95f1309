// Keeps i18next on the language resolved from Settings and the OS.
import { useEffect, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, resolveLanguage, systemLocale, type Language } from "../i18n/language";
import { languagePref } from "./preferences";
import { usePreference } from "./preference";

function subscribeSystemLocale(onChange: () => void): () => void {
  window.addEventListener("languagechange", onChange);
  return () => window.removeEventListener("languagechange", onChange);
}

/** Follows Settings and the OS; returns the language the UI is showing now. */
export function useLanguageSync(): Language {
  const pref = usePreference(languagePref);
  const system = useSyncExternalStore(subscribeSystemLocale, systemLocale, () => undefined);
  const wanted = resolveLanguage(pref, system);
  const { i18n } = useTranslation();
  useEffect(() => {
    if (i18n.language !== wanted) void i18n.changeLanguage(wanted);
    document.documentElement.lang = wanted;
  }, [i18n, wanted]);
  // Report what i18next renders with, so data-lang never runs ahead of the text.
  return (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : wanted;
}
