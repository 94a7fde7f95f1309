// The user's choices in Settings.
import { createPreference } from "./preference";

export const LANGUAGE_PREFS = ["system", "zh-CN", "en-US"] as const;
export type LanguagePref = (typeof LANGUAGE_PREFS)[number];

export const THEME_PREFS = ["system", "light", "dark"] as const;
export type ThemePref = (typeof THEME_PREFS)[number];

export const languagePref = createPreference<LanguagePref>("appsnap.language", LANGUAGE_PREFS, "system");
export const themePref = createPreference<ThemePref>("appsnap.theme", THEME_PREFS, "system");
