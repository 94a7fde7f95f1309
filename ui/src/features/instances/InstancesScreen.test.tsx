import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend, type MemoryBackend } from "../../backend/memoryBackend";
import { defaultFleet, MEMORY_STORED } from "../../backend/memoryFleet";
import { InstancesScreen } from "./InstancesScreen";

function show(backend: MemoryBackend) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BackendProvider backend={backend}>
        <InstancesScreen />
      </BackendProvider>
    </QueryClientProvider>,
  );
  return client;
}

const picker = () => screen.getByTestId("fleet-picker");
const shownIds = () =>
  screen
    .queryAllByTestId(/^fleet-row-/)
    .map((r) => r.getAttribute("data-testid")!.slice("fleet-row-".length))
    .sort();
const commands = (b: MemoryBackend) => b.calls.map((c) => c.command);

async function opened(backend = createMemoryBackend()) {
  show(backend);
  await waitFor(() => expect(picker().getAttribute("data-total")).toBe("6"));
  return backend;
}

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});

describe("InstancesScreen (the picker)", () => {
  it("opens on the stored inventory with its age and does not refresh a recent one", async () => {
    const backend = await opened();
    expect(shownIds()).toEqual(["i-bj0api", "i-hz0effdisk", "i-hz0mysql", "i-hz0sqlsrv", "i-sh0otherrole", "i-sh0stopped"]);
    expect(screen.getByTestId("fleet-age").textContent).toBe("Updated 3 minutes ago");
    expect(screen.getByTestId("fleet-age").getAttribute("data-age-ms")).toMatch(/^18\d{4}$/);
    const row = screen.getByTestId("fleet-row-i-hz0effdisk");
    expect(row.getAttribute("data-predicted")).toBe("none");
    expect(within(row).getByTestId("fleet-badge").textContent).toBe("Not eligible");
    expect(within(row).getByText("batch-efficiency-disk")).toBeTruthy();
    expect(within(screen.getByTestId("fleet-row-i-sh0otherrole")).getByText("OpsMonitoringRole")).toBeTruthy();
    expect(within(screen.getByTestId("fleet-row-i-hz0mysql")).getByText("None")).toBeTruthy();
    // Reads only: the status, the stored inventory, the saved settings (language, theme).
    expect(commands(backend).sort()).toEqual(["app_status", "fleet_cached", "settings_get"]);
    // The region scan card stays on the screen.
    expect(screen.getByTestId("region-scan").getAttribute("data-status")).toBe("idle");
  });

  it("refreshes by itself when nothing is stored, showing the regions' progress", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fleet = { ...defaultFleet(), stored: null };
    let steps = 0;
    fleet.beforeStep = () => (steps++ === 0 ? Promise.resolve() : gate);
    const backend = createMemoryBackend({ fleet });
    show(backend);
    const progress = await screen.findByTestId("fleet-refresh-progress", {}, { timeout: 5000 });
    await waitFor(() => expect(progress.getAttribute("data-done")).toBe("1"), { timeout: 5000 });
    expect(progress.getAttribute("data-total")).toBe("4");
    expect(screen.getByTestId("fleet-refresh").getAttribute("data-status")).toBe("running");
    expect(screen.getByTestId("fleet-age").textContent).toBe("Not read yet");
    release();
    await waitFor(() => expect(picker().getAttribute("data-total")).toBe("6"));
    expect(screen.getByTestId("fleet-refresh").getAttribute("data-status")).toBe("done");
    expect(screen.getByTestId("fleet-age").textContent).toMatch(/^Updated (now|\d+ seconds? ago)$/);
    expect(backend.calls.find((c) => c.command === "fleet_refresh")?.args).toMatchObject({ regions: [] });
    expect(backend.world.fleet.stored?.inventory.instances).toHaveLength(6);
  });

  it("refreshes an inventory older than ten minutes on opening", async () => {
    const fleet = defaultFleet();
    fleet.stored = { ...MEMORY_STORED, ageMs: 11 * 60 * 1000 };
    const backend = createMemoryBackend({ fleet });
    show(backend);
    await waitFor(() => expect(screen.getByTestId("fleet-refresh").getAttribute("data-status")).toBe("done"), { timeout: 5000 });
    expect(commands(backend).filter((c) => c === "fleet_refresh")).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("fleet-age").textContent).toMatch(/^Updated (now|\d+ seconds? ago)$/));
  });

  it("filters by prediction, search, failing check and region", async () => {
    await opened();
    fireEvent.click(screen.getByTestId("fleet-filter-prediction-none"));
    await waitFor(() => expect(shownIds()).toEqual(["i-hz0effdisk", "i-hz0mysql", "i-sh0otherrole", "i-sh0stopped"]));
    expect(screen.getByTestId("fleet-counts").textContent).toContain("4 of 6 instances");
    fireEvent.click(screen.getByTestId("fleet-filter-prediction-filesystem"));
    await waitFor(() => expect(shownIds()).toHaveLength(6));
    fireEvent.click(screen.getByTestId("fleet-filter-prediction-none"));
    await waitFor(() => expect(shownIds()).toEqual(["i-bj0api", "i-hz0sqlsrv"]));
    fireEvent.click(screen.getByTestId("fleet-filter-prediction-filesystem"));

    fireEvent.change(within(screen.getByTestId("fleet-search")).getByRole("searchbox"), { target: { value: "CENTOS79" } });
    await waitFor(() => expect(shownIds()).toEqual(["i-bj0api", "i-hz0mysql", "i-sh0stopped"]));
    // The keystroke was measured to the painted rows.
    await waitFor(() => expect(performance.getEntriesByName("fleet-filter", "measure").length).toBeGreaterThan(0));
    fireEvent.change(within(screen.getByTestId("fleet-search")).getByRole("searchbox"), { target: { value: "i-sh0" } });
    await waitFor(() => expect(shownIds()).toEqual(["i-sh0otherrole", "i-sh0stopped"]));
    fireEvent.change(within(screen.getByTestId("fleet-search")).getByRole("searchbox"), { target: { value: "" } });
    await waitFor(() => expect(shownIds()).toHaveLength(6));
  });

  it("lists every check of an instance with its reason worded from key and parameters", async () => {
    await opened();
    fireEvent.click(screen.getByTestId("fleet-open-i-hz0effdisk"));
    const drawer = await screen.findByTestId("instance-drawer");
    expect(drawer.getAttribute("data-instance-id")).toBe("i-hz0effdisk");
    const disks = within(drawer).getByTestId("check-DisksEssd");
    expect(disks.getAttribute("data-status")).toBe("fail");
    expect(within(drawer).getByTestId("check-reason-DisksEssd").textContent).toBe(
      "disk d-hz0eff2 is cloud_efficiency, not ESSD; the category cannot be changed here (migrate the data to an ESSD disk)",
    );
    expect(within(disks).queryByRole("button")).toBeNull();
    expect(within(drawer).getByTestId("drawer-decided-by").textContent).toBe("Decided by: ESSD disks");
    expect(within(drawer).getAllByTestId(/^check-(?!reason)/)).toHaveLength(11);
    expect(within(drawer).getByTestId("fix-FileSystems").textContent).toBe("Run a deep check");

    await i18n.changeLanguage("zh-CN");
    await waitFor(() =>
      expect(within(drawer).getByTestId("check-reason-DisksEssd").textContent).toBe(
        "云盘 d-hz0eff2 的类型是 cloud_efficiency，不是ESSD云盘；此处无法更改云盘类型（请将数据迁移到ESSD云盘）",
      ),
    );
  });

  it("runs a fix from its button as a task, then shows the reloaded checks", async () => {
    const backend = await opened();
    fireEvent.click(screen.getByTestId("fleet-open-i-hz0mysql"));
    const drawer = await screen.findByTestId("instance-drawer");
    expect(within(drawer).getByTestId("check-RamRole").getAttribute("data-status")).toBe("fail");
    fireEvent.click(within(drawer).getByTestId("fix-RamRole"));
    const outcome = await within(drawer).findByTestId("fix-outcome-i-hz0mysql");
    expect(outcome.getAttribute("data-state")).toBe("done");
    expect(within(drawer).getByTestId("fix-status").getAttribute("data-status")).toBe("done");
    expect(within(drawer).getAllByTestId("fix-event").map((e) => e.textContent)).toEqual(["cn-hangzhou read again"]);
    const fix = backend.calls.find((c) => c.command === "fleet_fix");
    expect(fix?.args).toMatchObject({ request: { action: "AttachRole", instanceIds: ["i-hz0mysql"] } });
    expect((fix?.args as { request: object }).request).not.toHaveProperty("onConflict");
    await waitFor(() => expect(within(drawer).getByTestId("check-RamRole").getAttribute("data-status")).toBe("pass"));
    expect(commands(backend).filter((c) => c === "fleet_cached")).toHaveLength(2);
    expect(within(drawer).queryByTestId("fix-RamRole")).toBeNull();
  });

  it("offers extend or replace when the instance holds another role, and sends only the choice", async () => {
    const backend = await opened();
    fireEvent.click(screen.getByTestId("fleet-open-i-sh0otherrole"));
    const drawer = await screen.findByTestId("instance-drawer");
    fireEvent.click(within(drawer).getByTestId("fix-RolePolicy"));
    await waitFor(() => expect(within(drawer).getByTestId("fix-outcome-i-sh0otherrole").getAttribute("data-state")).toBe("conflict"));
    expect(within(drawer).getByTestId("check-RolePolicy").getAttribute("data-status")).toBe("fail");
    fireEvent.click(within(drawer).getByTestId("fix-conflict-extend"));
    await waitFor(() => expect(within(drawer).getByTestId("fix-outcome-i-sh0otherrole").getAttribute("data-state")).toBe("done"));
    const sent = backend.calls.filter((c) => c.command === "fleet_fix").map((c) => (c.args as { request: unknown }).request);
    expect(sent).toEqual([
      { action: "AttachRole", instanceIds: ["i-sh0otherrole"] },
      { action: "AttachRole", instanceIds: ["i-sh0otherrole"], onConflict: "extend" },
    ]);
    await waitFor(() => expect(within(drawer).getByTestId("check-RolePolicy").getAttribute("data-status")).toBe("pass"));
  });

  it("deep-checks the selected instances with the probe's progress", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fleet = defaultFleet();
    fleet.beforeStep = () => gate;
    const backend = await opened(createMemoryBackend({ fleet }));
    expect(screen.getByTestId("fleet-deep-check").textContent).toBe("Deep check (6 shown)");
    for (const id of ["i-hz0mysql", "i-sh0stopped"]) {
      fireEvent.click(within(screen.getByTestId(`fleet-row-${id}`)).getByRole("checkbox"));
    }
    await waitFor(() => expect(screen.getByTestId("fleet-selected").getAttribute("data-count")).toBe("2"));
    expect(screen.getByTestId("fleet-deep-check").textContent).toBe("Deep check (2 selected)");
    fireEvent.click(screen.getByTestId("fleet-deep-check"));
    const progress = await screen.findByTestId("fleet-deep-check-progress");
    expect(progress.getAttribute("data-status")).toBe("running");
    release();
    await waitFor(() => expect(progress.getAttribute("data-status")).toBe("done"));
    expect([progress.getAttribute("data-answered"), progress.getAttribute("data-failed")]).toEqual(["1", "1"]);
    expect(progress.textContent).toBe("Deep check: 1 answered, 1 without answer, 2 sent");
    expect(backend.calls.find((c) => c.command === "fleet_deep_check")?.args).toMatchObject({ instanceIds: ["i-hz0mysql", "i-sh0stopped"] });
    fireEvent.click(screen.getByTestId("fleet-open-i-hz0mysql"));
    const drawer = await screen.findByTestId("instance-drawer");
    expect(within(drawer).getByTestId("check-FreezeScripts").getAttribute("data-reason")).toBe("ScriptMissing");
    expect(within(drawer).getByTestId("check-reason-FreezeScripts").textContent).toBe("/tmp/prescript.sh is missing: only file-system consistency");
    expect(within(drawer).getByTestId("drawer-prediction").getAttribute("data-consistency")).toBe("none");
  });

  it("names drifted scripts and links their fix to the Scripts screen with the instance selected", async () => {
    const fleet = defaultFleet();
    const a = fleet.stored!.inventory.instances.find((x) => x.instance.instanceId === "i-hz0mysql")!;
    a.checks.push({ id: "ScriptsDrift", status: "warn", reason: { key: "ScriptsGone", params: { paths: "/tmp/prescript.sh" }, text: "gone" }, fix: "PushScripts" });
    await opened(createMemoryBackend({ fleet }));
    fireEvent.click(screen.getByTestId("fleet-open-i-hz0mysql"));
    const drawer = await screen.findByTestId("instance-drawer");
    expect(within(drawer).getByTestId("check-ScriptsDrift").getAttribute("data-status")).toBe("warn");
    expect(within(drawer).getByTestId("check-ScriptsDrift").textContent).toContain("Scripts as pushed");
    expect(within(drawer).getByTestId("check-reason-ScriptsDrift").textContent).toBe(
      "/tmp/prescript.sh no longer on the instance (a reboot may have emptied /tmp); a run pushes the recorded scripts again first",
    );
    const link = within(drawer).getByTestId("fix-ScriptsDrift");
    expect(link.tagName).toBe("A");
    expect(link.getAttribute("href")).toBe("#/scripts/i-hz0mysql");
    expect(link.textContent).toBe("Push the scripts");
  });

  it("keeps the selection per profile when the screen is left and opened again", async () => {
    const backend = createMemoryBackend();
    const client = show(backend);
    await waitFor(() => expect(picker().getAttribute("data-total")).toBe("6"));
    fireEvent.click(within(screen.getByTestId("fleet-row-i-bj0api")).getByRole("checkbox"));
    expect(client.getQueryData(["fleet_selection", "Sandbox"])).toEqual(["i-bj0api"]);
    await waitFor(() => expect(screen.getByTestId("fleet-selected").getAttribute("data-count")).toBe("1"));
  });

  it("names what a partial inventory lacks", async () => {
    const fleet = defaultFleet();
    fleet.stored!.inventory.missing = [
      { regionId: "cn-shanghai", action: "DescribeDisks", effect: "disk categories and counts are unknown", error: { code: "Cloud", message: "503", requestId: "REQ-9" } },
    ];
    await opened(createMemoryBackend({ fleet }));
    const partial = screen.getByTestId("fleet-partial");
    const item = within(partial).getByTestId("fleet-missing");
    expect([item.getAttribute("data-region"), item.getAttribute("data-action")]).toEqual(["cn-shanghai", "DescribeDisks"]);
    expect(item.textContent).toBe("cn-shanghai · DescribeDisks: disk categories and counts are unknown (RequestId REQ-9)");
  });

  it("shows a failed refresh with its code, and an empty state before any inventory", async () => {
    const fleet = { ...defaultFleet(), stored: null, refreshError: { code: "PermissionDenied" as const, message: "no ecs:DescribeInstances", requestId: "REQ-1" } };
    show(createMemoryBackend({ fleet }));
    await waitFor(() => expect(screen.getByTestId("fleet-refresh").getAttribute("data-status")).toBe("failed"));
    const alert = screen.getByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe("PermissionDenied");
    expect(alert.textContent).toContain("Could not read the inventory");
    expect(alert.textContent).toContain("REQ-1");
    expect(screen.getByTestId("fleet-empty").textContent).toContain("refresh to read the instances of every region");
  });
});
