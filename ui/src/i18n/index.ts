// i18next set-up: both catalogues are bundled; the language is resolved at start.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import enUS from "./en-US.json";
import zhCN from "./zh-CN.json";
import { resolveLanguage, systemLocale, type Language } from "./language";
import { languagePref } from "../settings/preferences";

export const catalogues: Record<Language, typeof enUS> = { "en-US": enUS, "zh-CN": zhCN };

void i18n.use(initReactI18next).init({
  resources: {
    "en-US": { translation: enUS },
    "zh-CN": { translation: zhCN },
  },
  lng: resolveLanguage(languagePref.get(), systemLocale()),
  fallbackLng: "en-US",
  supportedLngs: ["en-US", "zh-CN"],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export default i18n;
