import { beforeEach, describe, expect, it } from "vitest";
import { languageFromLocale, resolveLanguage, systemLocale } from "./language";
import { languagePref, themePref } from "../settings/preferences";

describe("languageFromLocale", () => {
  it.each([
    ["zh-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["ZH-cn", "zh-CN"],
    ["en-US", "en-US"],
    ["en-GB", "en-US"],
    ["fr-FR", "en-US"],
    ["ja", "en-US"],
    ["", "en-US"],
    [undefined, "en-US"],
  ])("%s → %s", (locale, expected) => {
    expect(languageFromLocale(locale)).toBe(expected);
  });
});

describe("systemLocale", () => {
  it("prefers the locale the desktop shell injected over navigator.language", () => {
    window.__APPSNAP_OS_LOCALE__ = "zh-CN";
    try {
      expect(systemLocale()).toBe("zh-CN");
    } finally {
      delete window.__APPSNAP_OS_LOCALE__;
    }
    expect(systemLocale()).toBe(navigator.language);
  });
});

describe("resolveLanguage", () => {
  it("follows the OS when the setting is 'system'", () => {
    expect(resolveLanguage("system", "zh-CN")).toBe("zh-CN");
    expect(resolveLanguage("system", "de-DE")).toBe("en-US");
  });

  it("lets the user's choice win over the OS", () => {
    expect(resolveLanguage("en-US", "zh-CN")).toBe("en-US");
    expect(resolveLanguage("zh-CN", "en-US")).toBe("zh-CN");
  });
});

describe("stored preferences", () => {
  beforeEach(() => localStorage.clear());

  it("default to 'system'", () => {
    expect(languagePref.get()).toBe("system");
    expect(themePref.get()).toBe("system");
  });

  it("persist the user's choice in localStorage", () => {
    languagePref.set("zh-CN");
    expect(localStorage.getItem("appsnap.language")).toBe("zh-CN");
    expect(languagePref.get()).toBe("zh-CN");
    expect(resolveLanguage(languagePref.get(), "en-US")).toBe("zh-CN");
    themePref.set("dark");
    expect(themePref.get()).toBe("dark");
  });

  it("ignore unknown stored values", () => {
    localStorage.setItem("appsnap.language", "klingon");
    localStorage.setItem("appsnap.theme", "sepia");
    expect(languagePref.get()).toBe("system");
    expect(themePref.get()).toBe("system");
  });

  it("notify subscribers", () => {
    let calls = 0;
    const stop = languagePref.subscribe(() => calls++);
    languagePref.set("en-US");
    stop();
    languagePref.set("zh-CN");
    expect(calls).toBe(1);
  });
});
