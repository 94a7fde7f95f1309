// The user's choices in Settings that the UI needs before the backend answers (kept in
// localStorage for the first paint; settings.json holds them across restarts).
import type { LanguageSetting } from "../bindings/LanguageSetting";
import type { ThemeSetting } from "../bindings/ThemeSetting";
import { createPreference } from "./preference";

export const LANGUAGE_PREFS = ["system", "zh-CN", "en-US"] as const satisfies readonly LanguageSetting[];
export type LanguagePref = LanguageSetting;

export const THEME_PREFS = ["system", "light", "dark"] as const satisfies readonly ThemeSetting[];
export type ThemePref = ThemeSetting;

// Fails typecheck when the Rust enums gain a value these lists lack.
const everyLanguage: Exclude<LanguageSetting, (typeof LANGUAGE_PREFS)[number]> extends never ? true : never = true;
const everyTheme: Exclude<ThemeSetting, (typeof THEME_PREFS)[number]> extends never ? true : never = true;
void everyLanguage;
void everyTheme;

export const languagePref = createPreference<LanguagePref>("appsnap.language", LANGUAGE_PREFS, "system");
export const themePref = createPreference<ThemePref>("appsnap.theme", THEME_PREFS, "system");
