import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend as memory, MEMORY_STATUS, type MemoryBackend } from "../../backend/memoryBackend";
import { MEMORY_DOWNLOADS } from "../../backend/memoryHistory";
import { MEMORY_PROBE, withChecks } from "../../backend/memoryFleet";
import { DEFAULT_FORM, toOptions } from "../results/snapshotOptions";
import { resetLiveJobs, startJob } from "../results/liveJobs";
import { HistoryScreen } from "./HistoryScreen";
import { toHistoryFilter, NO_FILTERS } from "./historyView";

const DAY = 86_400_000;

/** Two jobs: yesterday the SQL Server one application-consistent, today two instances, one file-system-consistent. */
async function world(): Promise<{ backend: MemoryBackend; older: string; newer: string }> {
  const backend = memory();
  const inv = backend.world.fleet.stored!.inventory;
  inv.instances = inv.instances.map((a) => withChecks(a, MEMORY_PROBE[a.instance.instanceId] ?? []));
  const run = (ids: string[], change: Partial<typeof DEFAULT_FORM> = {}) =>
    startJob(backend, { options: toOptions({ ...DEFAULT_FORM, ...change }), instanceIds: ids, concurrency: 10 });
  const older = await run(["i-hz0sqlsrv"]);
  await waitFor(() => expect(backend.running()).toEqual([]));
  const newer = await run(["i-hz0sqlsrv", "i-bj0api"], { includeWriters: false });
  await waitFor(() => expect(backend.running()).toEqual([]));
  const now = Date.parse("2026-12-02T06:00:00Z");
  backend.world.history.createdMs[older] = now - DAY;
  backend.world.history.createdMs[newer] = now;
  return { backend, older, newer };
}

function show(backend: MemoryBackend, jobId?: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <BackendProvider backend={backend}>
        <HistoryScreen jobId={jobId} />
      </BackendProvider>
    </QueryClientProvider>,
  );
}

const rowIds = () => screen.queryAllByTestId(/^history-row-/).map((r) => r.getAttribute("data-testid")!.replace("history-row-", ""));
const listed = (n: number) => waitFor(() => expect(screen.getByTestId("history-list").getAttribute("data-total")).toBe(String(n)));

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
  resetLiveJobs();
  window.location.hash = "#/history";
});

describe("HistoryScreen", { timeout: 20_000 }, () => {
  it("lists every run newest job first and narrows by text, instance and date", async () => {
    const { backend, older, newer } = await world();
    show(backend);
    await listed(3);
    expect(rowIds()).toEqual([`${newer}-i-bj0api`, `${newer}-i-hz0sqlsrv`, `${older}-i-hz0sqlsrv`]);
    expect(screen.getByTestId(`history-row-${older}-i-hz0sqlsrv`).getAttribute("data-consistency")).toBe("application");
    expect(screen.getByTestId(`history-row-${newer}-i-hz0sqlsrv`).getAttribute("data-consistency")).toBe("filesystem");

    fireEvent.change(within(screen.getByTestId("history-search")).getByRole("searchbox"), { target: { value: "i-bj0" } });
    await listed(1);
    expect(rowIds()).toEqual([`${newer}-i-bj0api`]);
    fireEvent.change(within(screen.getByTestId("history-search")).getByRole("searchbox"), { target: { value: "" } });
    await listed(3);

    fireEvent.change(screen.getByTestId("history-filter-instance-input"), { target: { value: "i-hz0sqlsrv" } });
    await listed(2);
    fireEvent.change(screen.getByTestId("history-filter-until"), { target: { value: "2026-12-01" } });
    await listed(1);
    expect(rowIds()).toEqual([`${older}-i-hz0sqlsrv`]);
    const last = backend.calls.filter((c) => c.command === "history_list").at(-1)!.args as { filter: { instanceId: string; untilMs: number } };
    expect(last.filter).toMatchObject({ instanceId: "i-hz0sqlsrv", untilMs: Date.parse("2026-12-02T00:00:00Z") });
  });

  it("maps every filter field, blanks to none and the until day included", () => {
    expect(toHistoryFilter(NO_FILTERS)).toEqual({ instanceId: null, regionId: null, consistency: null, status: null, sinceMs: null, untilMs: null, text: null });
    expect(toHistoryFilter({ instance: " i-1 ", region: "cn-hangzhou", consistency: "crash", status: "failed", since: "2026-01-01", until: "2026-01-01", text: "x" })).toEqual({
      instanceId: "i-1",
      regionId: "cn-hangzhou",
      consistency: "crash",
      status: "failed",
      sinceMs: Date.parse("2026-01-01T00:00:00Z"),
      untilMs: Date.parse("2026-01-02T00:00:00Z"),
      text: "x",
    });
  });

  it("exports the filtered runs and says where the file went", async () => {
    const { backend } = await world();
    show(backend);
    await listed(3);
    fireEvent.change(screen.getByTestId("history-filter-instance-input"), { target: { value: "i-bj0api" } });
    await listed(1);
    fireEvent.click(screen.getByTestId("history-export-csv"));
    const done = await screen.findByTestId("history-exported");
    expect(done.getAttribute("data-rows")).toBe("1");
    expect(done.getAttribute("data-path")).toBe(`${MEMORY_DOWNLOADS}/appsnap-history-1.csv`);
    expect(done.textContent).toContain(`${MEMORY_DOWNLOADS}/appsnap-history-1.csv`);
    const file = backend.world.history.exports[0]!;
    expect(file.text.startsWith("\ufeffjob_id,started_at")).toBe(true);
    expect(file.text).toContain("i-bj0api");
    expect(file.text).not.toContain("i-hz0sqlsrv");
  });

  it("opens a job's detail with the results view's run cards", async () => {
    const { backend, newer } = await world();
    show(backend, newer);
    await waitFor(() => expect(screen.getByTestId("run-i-bj0api").getAttribute("data-status")).toBe("succeeded"));
    expect(screen.getByTestId("history-detail").getAttribute("data-job-id")).toBe(newer);
    expect(screen.getByTestId("results-job-id").getAttribute("data-job-id")).toBe(newer);
    expect(await screen.findByTestId("history-detail-rollback-i-hz0sqlsrv")).toBeTruthy();
    fireEvent.click(screen.getByTestId("history-back"));
    expect(window.location.hash).toBe("#/history");
  });
});

describe("RollbackDialog", { timeout: 20_000 }, () => {
  it("says what is overwritten and enables the danger button only after stop and the typed name", async () => {
    const { backend, older } = await world();
    show(backend);
    await listed(3);
    fireEvent.click(screen.getByTestId(`history-rollback-${older}-i-hz0sqlsrv`));
    const plan = await screen.findByTestId("rollback-plan");
    expect(plan.getAttribute("data-needs-stop")).toBe("true");
    const summary = screen.getByTestId("rollback-summary").textContent!;
    expect(summary).toContain("i-hz0sqlsrv (win2019-sqlserver)");
    expect(summary).toContain("2026-12-01T06:00:00Z");
    expect(within(screen.getByTestId("rollback-summary")).getByTestId("consistency-badge").getAttribute("data-consistency")).toBe("application");
    const disks = screen.getAllByTestId(/^rollback-disk-d-/);
    expect(disks.map((d) => d.getAttribute("data-size"))).toEqual(["40", "100"]);
    expect(disks[0]!.textContent).toContain("40 GiB");

    const confirm = () => screen.getByTestId("rollback-confirm") as HTMLButtonElement;
    expect(confirm().disabled).toBe(true);
    const input = screen.getByTestId("rollback-confirm-input");
    fireEvent.change(input, { target: { value: "win2019-sqlserver" } });
    // Typed, but a running instance also needs "stop it first".
    expect(confirm().disabled).toBe(true);
    fireEvent.click(within(screen.getByTestId("rollback-stop")).getByRole("checkbox"));
    expect(screen.getByTestId("rollback-stop").getAttribute("data-checked")).toBe("true");
    expect(confirm().disabled).toBe(false);
    fireEvent.change(input, { target: { value: "win2019-sqlserve" } });
    expect(confirm().disabled).toBe(true);
    fireEvent.change(input, { target: { value: "i-hz0sqlsrv" } });
    expect(confirm().disabled).toBe(true);
    fireEvent.change(input, { target: { value: "win2019-sqlserver" } });
    fireEvent.click(within(screen.getByTestId("rollback-start")).getByRole("checkbox"));
    expect(backend.calls.some((c) => c.command === "rollback_run")).toBe(false);
    fireEvent.click(confirm());

    const result = await screen.findByTestId("rollback-result");
    expect(result.getAttribute("data-status")).toBe("succeeded");
    await waitFor(() => expect(screen.getByTestId("rollback-step-start").getAttribute("data-done")).toBe("true"));
    expect(screen.getByTestId("rollback-step-stop").getAttribute("data-done")).toBe("true");
    const [record] = backend.world.history.rollbacks;
    expect(record).toMatchObject({ status: "succeeded", stopped: true, started: true });
    expect(record!.plan.disks.map((d) => d.diskId)).toEqual(disks.map((d) => d.getAttribute("data-testid")!.replace("rollback-disk-", "")));
    const sent = backend.calls.find((c) => c.command === "rollback_run")!.args as { request: { confirmation: string; options: unknown } };
    expect(sent.request).toMatchObject({ confirmation: "win2019-sqlserver", options: { stop: true, startAfter: true } });
    expect(confirm().disabled).toBe(true);

    // The finished rollback is listed under the runs, with what AppSnap did to the instance.
    const row = await screen.findByTestId(`rollback-row-${record!.rollbackId}`);
    expect(row.getAttribute("data-instance")).toBe("i-hz0sqlsrv");
    expect(row.getAttribute("data-status")).toBe("succeeded");
    expect(row.textContent).toContain(record!.plan.snapshotGroupId);
    expect(row.textContent).toContain("stopped · started");
    expect(row.textContent).toContain(record!.requestId!);
    expect(screen.getByTestId("rollback-list").getAttribute("data-total")).toBe("1");
  });

  it("says when an unreadable history was set aside, names the file and opens its folder", async () => {
    const kept = "/home/admin/.local/share/appsnap/appsnap.db.corrupt-1764745200000";
    const backend = memory({ status: { ...MEMORY_STATUS, historySetAside: [kept] } });
    show(backend);
    const alert = await screen.findByTestId("history-set-aside");
    expect(alert.getAttribute("data-count")).toBe("1");
    expect(alert.textContent).toContain("History could not be read and was set aside (1 file)");
    expect(alert.textContent).toContain(kept);
    fireEvent.click(screen.getByTestId("history-set-aside-open"));
    await waitFor(() => expect(backend.calls).toContainEqual({ command: "open_folder", args: { kind: "data" } }));
  });

  it("lists no rollback before the first", async () => {
    const { backend } = await world();
    show(backend);
    await waitFor(() => expect(screen.getByTestId("rollback-list").getAttribute("data-total")).toBe("0"));
    expect(screen.queryByTestId("history-set-aside")).toBeNull();
    expect(within(screen.getByTestId("rollback-list")).getByText("No disk has been rolled back with AppSnap yet.")).toBeTruthy();
  });

  it("shows a refusal as an AppError with its reason, and no way to go on", async () => {
    const { backend, older } = await world();
    const group = backend.world.jobs.reports[older]!.results[0]!.snapshotGroupId!;
    backend.world.history.groupStatus[group] = "progressing";
    show(backend);
    await listed(3);
    fireEvent.click(screen.getByTestId(`history-rollback-${older}-i-hz0sqlsrv`));
    const refused = await screen.findByTestId("rollback-refused");
    expect(refused.getAttribute("data-code")).toBe("Conflict");
    expect(within(refused).getByTestId("app-error").textContent).toContain("not accomplished");
    expect(screen.queryByTestId("rollback-confirm")).toBeNull();
    await act(async () => fireEvent.click(document.querySelector(".ant-modal-close")!));
  });
});
