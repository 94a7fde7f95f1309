import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { listen, type EventCallback } from "@tauri-apps/api/event";
import "../i18n";
import i18n from "../i18n";
import type { AppStatus } from "../bindings/AppStatus";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { MEMORY_SETTINGS } from "../backend/memoryBackend";
import { App } from "./App";
import { createAppRuntime, type AppRuntime } from "./runtime";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

const STATUS: AppStatus = {
  version: "0.1.0",
  profile: "Sandbox",
  sandbox: { state: "running", endpoint: "http://127.0.0.1:40123", scenario: "default" },
  logDir: "/home/admin/.local/share/com.appsnap.desktop/logs",
  dataDir: "/home/admin/.local/share/appsnap",
  configDir: "/home/admin/.config/appsnap",
  historySetAside: [],
};

/** The shell's answers: the status, and a fresh, empty stored inventory for the start screen (the picker). */
function answer(status: AppStatus) {
  invokeMock.mockImplementation(async (cmd, args) =>
    cmd === "fleet_cached"
      ? { profile: status.profile, takenAtMs: Date.now(), ageMs: 0, inventory: { regions: [], instances: [], groupDiskLimit: 16, missing: [] } }
      : cmd === "settings_get"
        ? MEMORY_SETTINGS
        : cmd === "settings_save"
          ? (args as { settings: unknown }).settings
          : cmd === "ram_candidates"
            ? { regions: [], instances: [] }
            : status,
  );
}

let emitSandbox: (payload: SandboxStatus) => void;
let runtime: AppRuntime;

beforeEach(async () => {
  invokeMock.mockReset();
  listenMock.mockReset();
  listenMock.mockImplementation(async (_event, handler) => {
    emitSandbox = (payload) =>
      (handler as EventCallback<SandboxStatus>)({ event: "sandbox-status", id: 1, payload });
    return () => {};
  });
  await i18n.changeLanguage("en-US");
});

afterEach(() => runtime?.dispose());

function start() {
  runtime = createAppRuntime();
  return render(<App runtime={runtime} />);
}

const root = () => document.querySelector(".app-root") as HTMLElement;
const sandboxState = () => screen.getByTestId("sandbox-status").getAttribute("data-state");

describe("App", () => {
  it("renders the navigation and starts on Instances", async () => {
    answer(STATUS);
    start();
    for (const key of ["profiles", "ram", "instances", "scripts", "results", "history", "settings"]) {
      expect(screen.getByTestId(`nav-${key}`)).toBeTruthy();
    }
    expect(screen.getByTestId("page-title").textContent).toBe("Instances");
    expect(screen.getByTestId("fleet-picker")).toBeTruthy();
    expect(root().getAttribute("data-lang")).toBe("en-US");
    expect(listenMock).toHaveBeenCalledWith("sandbox-status", expect.any(Function));
    await waitFor(() => expect(sandboxState()).toBe("running"));
    expect(invokeMock).toHaveBeenCalledWith("app_status", undefined);
    expect(screen.getByTestId("active-profile").textContent).toContain("Sandbox");
  });

  it("navigates from the menu", async () => {
    answer(STATUS);
    start();
    fireEvent.click(screen.getByTestId("nav-ram"));
    await waitFor(() => expect(screen.getByTestId("page-title").textContent).toBe("RAM setup"));
    expect(window.location.hash).toBe("#/ram");
  });

  it("switches language from the Settings radio and remembers it", async () => {
    answer(STATUS);
    start();
    fireEvent.click(screen.getByTestId("nav-settings"));
    await waitFor(() => expect(screen.getByTestId("page-title").textContent).toBe("Settings"));
    expect(await screen.findByTestId("app-version")).toBeTruthy();
    expect(screen.getByTestId("folder-path-logs").textContent).toContain(STATUS.logDir);

    fireEvent.click(screen.getByTestId("lang-zh-CN"));
    await waitFor(() => expect(root().getAttribute("data-lang")).toBe("zh-CN"));
    expect(screen.getByTestId("page-title").textContent).toBe("设置");
    expect(screen.getByTestId("nav-instances").textContent).toBe("实例");
    expect(localStorage.getItem("appsnap.language")).toBe("zh-CN");

    fireEvent.click(screen.getByTestId("lang-en-US"));
    await waitFor(() => expect(root().getAttribute("data-lang")).toBe("en-US"));
    expect(screen.getByTestId("page-title").textContent).toBe("Settings");

    // jsdom's navigator.language is en-US.
    fireEvent.click(screen.getByTestId("lang-zh-CN"));
    await waitFor(() => expect(root().getAttribute("data-lang")).toBe("zh-CN"));
    fireEvent.click(screen.getByTestId("lang-system"));
    await waitFor(() => expect(root().getAttribute("data-lang")).toBe("en-US"));
    expect(localStorage.getItem("appsnap.language")).toBe("system");
  });

  it("starts in the stored language", async () => {
    localStorage.setItem("appsnap.language", "zh-CN");
    answer(STATUS);
    start();
    await waitFor(() => expect(root().getAttribute("data-lang")).toBe("zh-CN"));
    expect(screen.getByTestId("page-title").textContent).toBe("实例");
    await waitFor(() => expect(screen.getByTestId("sandbox-status").textContent).toBe("沙箱运行中"));
  });

  it("switches theme from the Settings radio", async () => {
    answer(STATUS);
    start();
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.click(await screen.findByTestId("theme-dark"));
    await waitFor(() => expect(root().getAttribute("data-theme")).toBe("dark"));
    expect(localStorage.getItem("appsnap.theme")).toBe("dark");
    fireEvent.click(screen.getByTestId("theme-light"));
    await waitFor(() => expect(root().getAttribute("data-theme")).toBe("light"));
  });

  it("applies live sandbox-status events to the header", async () => {
    answer(STATUS);
    start();
    await waitFor(() => expect(sandboxState()).toBe("running"));
    act(() => emitSandbox({ state: "unavailable", reason: "port 0 refused" }));
    await waitFor(() => expect(sandboxState()).toBe("unavailable"));
    const banner = screen.getByTestId("sandbox-banner");
    expect(banner.textContent).toContain("not available yet");
    expect(banner.textContent).toContain("port 0 refused");
  });

  it("shows a starting sandbox as loading, then running when the event arrives", async () => {
    answer({ ...STATUS, sandbox: { state: "starting" } });
    start();
    await waitFor(() => expect(invokeMock).toHaveBeenCalled());
    expect(sandboxState()).toBe("loading");
    expect(screen.queryByTestId("sandbox-banner")).toBeNull();
    act(() => emitSandbox(STATUS.sandbox));
    await waitFor(() => expect(sandboxState()).toBe("running"));
  });

  it("subscribes to sandbox events before it asks for the status", async () => {
    answer(STATUS);
    start();
    await waitFor(() => expect(invokeMock).toHaveBeenCalledWith("app_status", undefined));
    const subscribed = listenMock.mock.invocationCallOrder[0];
    const asked = invokeMock.mock.invocationCallOrder[0];
    expect(subscribed).toBeDefined();
    expect(subscribed!).toBeLessThan(asked!);
  });

  it("refetches when an event arrives before the first status", async () => {
    let resolveFirst: (s: AppStatus) => void = () => {};
    invokeMock.mockImplementationOnce(() => new Promise((resolve) => (resolveFirst = resolve as never)));
    answer({ ...STATUS, sandbox: { state: "unavailable", reason: "no scenario" } });
    start();
    expect(sandboxState()).toBe("loading");
    await waitFor(() => expect(listenMock).toHaveBeenCalled());
    act(() => emitSandbox({ state: "unavailable", reason: "no scenario" }));
    // The stale first answer must not win over the refetch.
    act(() => resolveFirst({ ...STATUS, sandbox: { state: "starting" } }));
    await waitFor(() => expect(screen.getByTestId("sandbox-banner").textContent).toContain("no scenario"));
    expect(invokeMock.mock.calls.filter(([command]) => command === "app_status")).toHaveLength(2);
  });

  it("shows a failed status call as unavailable, with the error's code, hint and RequestId", async () => {
    invokeMock.mockRejectedValue({
      code: "PermissionDenied",
      message: "You are not authorized to do this action.",
      requestId: "0A1B2C3D-REQ",
      hint: { key: "GrantPermission", params: { action: "GetRole" } },
    });
    start();
    await waitFor(() => expect(sandboxState()).toBe("unavailable"));
    const alert = within(screen.getByTestId("sandbox-banner")).getByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe("PermissionDenied");
    expect(alert.textContent).toContain("Permission denied");
    expect(alert.textContent).toContain("You are not authorized to do this action.");
    expect(alert.textContent).toContain("The RAM user or RAM role lacks a permission for GetRole");
    expect(alert.textContent).toContain("0A1B2C3D-REQ");
  });

  it("survives running outside Tauri (invoke and listen throw)", async () => {
    invokeMock.mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'invoke')"));
    listenMock.mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'transformCallback')"));
    start();
    await waitFor(() => expect(sandboxState()).toBe("unavailable"));
    expect(screen.getByTestId("app-error").getAttribute("data-code")).toBe("Internal");
    expect(screen.getByTestId("page-title").textContent).toBe("Instances");
  });
});
