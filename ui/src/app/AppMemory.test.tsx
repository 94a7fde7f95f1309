// The whole app over the in-memory backend: routes with parameters and the backend in context.
import { render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { createMemoryBackend } from "../backend/memoryBackend";
import { App } from "./App";
import { createAppRuntime, type AppRuntime } from "./runtime";

let runtime: AppRuntime;

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});
afterEach(() => runtime?.dispose());

describe("App over the in-memory backend", () => {
  it("asks the backend in context for the status", async () => {
    const backend = createMemoryBackend({
      status: { version: "9.9.9", profile: "Sandbox", sandbox: { state: "starting" }, logDir: "/tmp/logs", dataDir: "/tmp/data", configDir: "/tmp/config", historySetAside: [] },
    });
    runtime = createAppRuntime(backend);
    render(<App runtime={runtime} />);
    await waitFor(() => expect(screen.getByTestId("active-profile").textContent).toContain("Sandbox"));
    // The start screen (the picker) then asks once for the profile's stored inventory.
    // Settings are read once too, for the saved language and theme.
    await waitFor(() =>
      expect([...backend.calls].sort((a, b) => a.command.localeCompare(b.command))).toEqual([
        { command: "app_status" },
        { command: "fleet_cached" },
        { command: "settings_get" },
      ]),
    );
    expect(screen.getByTestId("sandbox-status").getAttribute("data-state")).toBe("loading");
  });

  it("opens #/results/JOB_ID on that run and keeps the id in the address", async () => {
    window.location.hash = "#/results/ssg-bp1a2b3c";
    runtime = createAppRuntime(createMemoryBackend());
    render(<App runtime={runtime} />);
    expect(screen.getByTestId("page-title").textContent).toBe("Snapshot results");
    expect(screen.getByTestId("results-job-id").getAttribute("data-job-id")).toBe("ssg-bp1a2b3c");
    expect(screen.getByTestId("results-job-id").textContent).toBe("Run ssg-bp1a2b3c");
    expect(window.location.hash).toBe("#/results/ssg-bp1a2b3c");
  });

  it("shows the Instances screen: the picker on the stored inventory, with the region scan", async () => {
    runtime = createAppRuntime(createMemoryBackend());
    render(<App runtime={runtime} />);
    expect(screen.getByTestId("page-title").textContent).toBe("Instances");
    await waitFor(() => expect(screen.getByTestId("fleet-picker").getAttribute("data-total")).toBe("6"));
    expect(screen.queryByTestId("planned-screen")).toBeNull();
    expect(screen.getByTestId("region-scan").getAttribute("data-status")).toBe("idle");
  });
});
