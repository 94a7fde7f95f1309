import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend, MEMORY_REGIONS, type MemoryBackend } from "../../backend/memoryBackend";
import { RegionScanCard } from "./RegionScanCard";

function show(backend: MemoryBackend) {
  render(
    <BackendProvider backend={backend}>
      <RegionScanCard />
    </BackendProvider>,
  );
}

const card = () => screen.getByTestId("region-scan");

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});

describe("RegionScanCard", () => {
  it("lists each region as it is counted, then the total", async () => {
    show(createMemoryBackend());
    expect(card().getAttribute("data-status")).toBe("idle");
    fireEvent.click(screen.getByTestId("region-scan-start"));
    await waitFor(() => expect(card().getAttribute("data-status")).toBe("done"));
    for (const region of MEMORY_REGIONS) {
      const row = screen.getByTestId(`region-row-${region.regionId}`);
      expect(row.textContent).toContain(`${region.localName} (${region.regionId})`);
      expect(row.textContent).toContain(String(region.instances));
    }
    expect(screen.getByTestId("region-scan-total").textContent).toBe("16");
    const progress = screen.getByTestId("region-scan-progress");
    expect([progress.getAttribute("data-done"), progress.getAttribute("data-total")]).toEqual(["3", "3"]);
    expect(progress.textContent).toContain("3 / 3 regions");
    expect(screen.queryByTestId("region-scan-cancel")).toBeNull();
    expect(screen.getByTestId("region-scan-start").textContent).toBe("Count again");
  });

  it("stops on Cancel and says how far it got", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const backend = createMemoryBackend({ beforeRegion: () => (started++ === 0 ? Promise.resolve() : gate) });
    show(backend);
    fireEvent.click(screen.getByTestId("region-scan-start"));
    await screen.findByTestId("region-row-cn-hangzhou");
    expect(card().getAttribute("data-status")).toBe("running");
    fireEvent.click(screen.getByTestId("region-scan-cancel"));
    await waitFor(() => expect(backend.calls.some((c) => c.command === "task_cancel")).toBe(true));
    release();
    await waitFor(() => expect(card().getAttribute("data-status")).toBe("cancelled"));
    expect(screen.getByTestId("region-scan-cancelled").textContent).toBe("Stopped after 1 of 3 regions.");
    expect(screen.queryByTestId("region-row-cn-shanghai")).toBeNull();
    expect(screen.queryByTestId("region-scan-total")).toBeNull();
  });

  it("shows the backend's error with its code and RequestId", async () => {
    show(createMemoryBackend({ scanError: { code: "PermissionDenied", message: "no ecs:DescribeInstances", requestId: "REQ-7" } }));
    fireEvent.click(screen.getByTestId("region-scan-start"));
    await waitFor(() => expect(card().getAttribute("data-status")).toBe("failed"));
    const alert = within(card()).getByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe("PermissionDenied");
    expect(alert.textContent).toContain("Could not count the instances");
    expect(alert.textContent).toContain("no ecs:DescribeInstances");
    expect(alert.textContent).toContain("REQ-7");
  });

  it("speaks Chinese with the glossary's words", async () => {
    await i18n.changeLanguage("zh-CN");
    show(createMemoryBackend());
    expect(card().textContent).toContain("地域");
    fireEvent.click(screen.getByTestId("region-scan-start"));
    await waitFor(() => expect(card().getAttribute("data-status")).toBe("done"));
    expect(screen.getByTestId("region-scan-progress").textContent).toContain("3 / 3 个地域");
  });
});
