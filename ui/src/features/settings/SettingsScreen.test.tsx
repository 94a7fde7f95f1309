// The Settings screen over the in-memory backend: choices saved whole, job defaults checked
// as typed, folders opened (or the error with what to do), diagnostics copied or selected.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../../i18n";
import { App } from "../../app/App";
import { createAppRuntime, type AppRuntime } from "../../app/runtime";
import { createMemoryBackend, MEMORY_SETTINGS, type MemoryBackend } from "../../backend/memoryBackend";
import { validateJobDefaults } from "./jobDefaults";

let runtime: AppRuntime;

async function show(backend: MemoryBackend) {
  window.location.hash = "#/settings";
  runtime = createAppRuntime(backend);
  render(<App runtime={runtime} />);
  await screen.findByTestId("settings-jobs");
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const saves = (backend: MemoryBackend) => backend.calls.filter((c) => c.command === "settings_save");

beforeEach(async () => {
  localStorage.clear();
  await i18n.changeLanguage("en-US");
});
afterEach(() => {
  runtime?.dispose();
  vi.unstubAllGlobals();
});

describe("SettingsScreen", () => {
  it("takes the saved language on start and saves a new choice whole", async () => {
    const backend = createMemoryBackend({ settings: { ...MEMORY_SETTINGS, language: "zh-CN", concurrency: 12 } });
    await show(backend);
    await waitFor(() => expect(document.querySelector("[data-lang]")!.getAttribute("data-lang")).toBe("zh-CN"));
    expect(localStorage.getItem("appsnap.language")).toBe("zh-CN");
    fireEvent.click(screen.getByTestId("lang-en-US"));
    await waitFor(() => expect(screen.getByTestId("settings-language").getAttribute("data-saved")).toBe("en-US"));
    expect(saves(backend).at(-1)!.args).toEqual({ settings: { ...MEMORY_SETTINGS, language: "en-US", concurrency: 12 } });
    fireEvent.click(screen.getByTestId("theme-dark"));
    await waitFor(() => expect(backend.world.settings.theme).toBe("dark"));
    expect(backend.world.settings.language).toBe("en-US");
  });

  it("checks the job defaults as typed and saves them with Save", async () => {
    const backend = createMemoryBackend();
    await show(backend);
    type("settings-concurrency", "0");
    expect(screen.getByTestId("settings-error-concurrency").textContent).toBe("Enter a whole number from 1 to 100");
    expect((screen.getByTestId("settings-save") as HTMLButtonElement).disabled).toBe(true);
    type("settings-concurrency", "25");
    type("settings-commandPattern", " ACS ");
    expect(screen.getByTestId("settings-error-commandPattern").textContent).toBe("Remove the spaces at the start or end");
    type("settings-commandPattern", "ACS-ECS");
    type("settings-maxPollSecs", "20");
    fireEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(backend.world.settings).toEqual({ ...MEMORY_SETTINGS, concurrency: 25, maxPollSecs: 20, commandPattern: "ACS-ECS" }));
    expect(screen.queryByTestId("app-error")).toBeNull();
  });

  it("shows the backend's refusal of a save with ErrorAlert", async () => {
    const backend = createMemoryBackend();
    await show(backend);
    // A refusal the UI's own checks did not foresee (e.g. the file became unwritable).
    const original = backend.settingsSave;
    backend.settingsSave = async () => {
      throw { code: "Internal", message: "cannot save the settings in /home/admin/.config/appsnap/settings.json: Permission denied" };
    };
    fireEvent.click(screen.getByTestId("settings-save"));
    const alert = await within(screen.getByTestId("settings-jobs")).findByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe("Internal");
    expect(alert.textContent).toContain("settings.json: Permission denied");
    backend.settingsSave = original;
  });

  it("opens a folder, and says what to do when the OS cannot", async () => {
    const backend = createMemoryBackend();
    await show(backend);
    expect(screen.getByTestId("folder-path-data").textContent).toContain("/home/admin/.local/share/appsnap");
    fireEvent.click(screen.getByTestId("folder-open-logs"));
    await waitFor(() => expect(backend.world.opened).toEqual(["logs"]));
    backend.world.openError = {
      code: "Internal",
      message: "cannot open /home/admin/.config/appsnap: xdg-open could not be started (No such file or directory)",
      hint: { key: "OpenFolderYourself", params: { path: "/home/admin/.config/appsnap" } },
    };
    fireEvent.click(screen.getByTestId("folder-open-config"));
    const alert = await within(screen.getByTestId("settings-folders")).findByTestId("app-error");
    expect(alert.textContent).toContain("xdg-open could not be started");
    expect(alert.querySelector("[data-hint]")!.textContent).toContain("Open /home/admin/.config/appsnap in your file manager");
  });

  it("copies the diagnostics to the clipboard, or selects them when it is refused", async () => {
    const written: string[] = [];
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: async (t: string) => void written.push(t) } });
    const backend = createMemoryBackend();
    await show(backend);
    fireEvent.click(screen.getByTestId("diagnostics-copy"));
    await waitFor(() => expect(screen.getByTestId("diagnostics-copied").getAttribute("data-state")).toBe("copied"));
    expect(written).toHaveLength(1);
    expect(written[0]).toContain("app: AppSnap desktop 0.1.0");
    expect((screen.getByTestId("diagnostics-text") as HTMLTextAreaElement).value).toBe(written[0]);

    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: async () => Promise.reject(new Error("denied")) } });
    fireEvent.click(screen.getByTestId("diagnostics-copy"));
    await waitFor(() => expect(screen.getByTestId("diagnostics-copied").getAttribute("data-state")).toBe("selectToCopy"));
    const area = screen.getByTestId("diagnostics-text") as HTMLTextAreaElement;
    await waitFor(() => expect(area.selectionEnd - area.selectionStart).toBe(area.value.length));
  });
});

describe("validateJobDefaults", () => {
  it("names each rule core checks", () => {
    const ok = { concurrency: 10, firstPollMs: 500, maxPollSecs: 5, commandPattern: "Consistent" };
    expect(validateJobDefaults(ok)).toEqual({});
    expect(validateJobDefaults({ ...ok, concurrency: null, firstPollMs: 100, maxPollSecs: 61, commandPattern: "" })).toEqual({
      concurrency: { key: "required" },
      firstPollMs: { key: "range", params: { min: 200, max: 10000 } },
      maxPollSecs: { key: "range", params: { min: 1, max: 60 } },
      commandPattern: { key: "length", params: { min: 1, max: 128 } },
    });
    expect(validateJobDefaults({ ...ok, firstPollMs: 6000 })).toEqual({ firstPollMs: { key: "pollOrder" } });
    expect(validateJobDefaults({ ...ok, commandPattern: "a\tb" })).toEqual({ commandPattern: { key: "control" } });
    expect(validateJobDefaults({ ...ok, concurrency: 2.5 })).toEqual({ concurrency: { key: "range", params: { min: 1, max: 100 } } });
  });
});
