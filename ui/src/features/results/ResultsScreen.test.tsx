import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend as memory, type MemoryBackend } from "../../backend/memoryBackend";
import { MEMORY_PROBE, withChecks } from "../../backend/memoryFleet";
import { DEFAULT_FORM, toOptions } from "./snapshotOptions";
import { resetLiveJobs, startJob } from "./liveJobs";
import { ResultsScreen } from "./ResultsScreen";

/** The memory world after a deep check (the Windows one predicted application-consistent). */
function createMemoryBackend(): MemoryBackend {
  const b = memory();
  const inv = b.world.fleet.stored!.inventory;
  inv.instances = inv.instances.map((a) => withChecks(a, MEMORY_PROBE[a.instance.instanceId] ?? []));
  return b;
}

function show(backend: MemoryBackend, jobId: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BackendProvider backend={backend}>
        <ResultsScreen jobId={jobId} />
      </BackendProvider>
    </QueryClientProvider>,
  );
}

const run = (backend: MemoryBackend, instanceIds: string[], change: Partial<typeof DEFAULT_FORM> = {}) =>
  startJob(backend, { options: toOptions({ ...DEFAULT_FORM, ...change }), instanceIds, concurrency: 10 });
const card = (id: string) => screen.getByTestId(`run-${id}`);
const finished = () => waitFor(() => expect(screen.getByTestId("results-job").getAttribute("data-finished")).toBe("true"), { timeout: 4000 });

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
  resetLiveJobs();
});

describe("ResultsScreen", { timeout: 20_000 }, () => {
  it("shows an application-consistent run with IDs, disks, tags and its timeline", async () => {
    const backend = createMemoryBackend();
    const jobId = await run(backend, ["i-hz0sqlsrv"]);
    show(backend, jobId);
    await finished();
    const c = card("i-hz0sqlsrv");
    expect(c.getAttribute("data-status")).toBe("succeeded");
    expect(c.getAttribute("data-consistency")).toBe("application");
    expect(within(c).getByTestId("run-command-i-hz0sqlsrv").getAttribute("data-value")).toBe("c-cn-hangzhou-win");
    expect(within(c).getByTestId("run-invoke-i-hz0sqlsrv").getAttribute("data-value")).toMatch(/^t-mem/);
    expect(within(c).getByTestId("run-exit-i-hz0sqlsrv").getAttribute("data-value")).toBe("0");
    expect(within(c).getByTestId("run-group-i-hz0sqlsrv").getAttribute("data-value")).toMatch(/^ssg-/);
    const state = within(c).getByTestId("run-group-state-i-hz0sqlsrv");
    expect(state.getAttribute("data-state")).toBe("available");
    expect(state.textContent).toBe("Available — copy still in progress");
    expect(within(c).getAllByTestId("run-disk-tag").map((t) => t.getAttribute("data-tag"))).toEqual(["APPConsistent:True", "APPConsistent:True"]);
    expect(within(c).queryByTestId("run-explanation-i-hz0sqlsrv")).toBeNull();
    expect(screen.getByTestId("run-stage-i-hz0sqlsrv-tagged").getAttribute("data-reached")).toBe("true");
    expect(screen.getByTestId("results-summary").getAttribute("data-met")).toBe("1");
    expect((screen.getByTestId("results-retry") as HTMLButtonElement).disabled).toBe(true);
  });

  it("explains a file-system-consistent result with each finding's source", async () => {
    const backend = createMemoryBackend();
    const jobId = await run(backend, ["i-hz0sqlsrv"], { includeWriters: false });
    show(backend, jobId);
    await finished();
    const c = card("i-hz0sqlsrv");
    expect(c.getAttribute("data-consistency")).toBe("filesystem");
    expect(within(c).getAllByTestId("run-disk-tag").map((t) => t.getAttribute("data-tag"))).toEqual(["FsConsistent:True", "FsConsistent:True"]);
    const findings = within(screen.getByTestId("run-explanation-i-hz0sqlsrv")).getAllByTestId("run-finding");
    expect(findings.map((f) => f.getAttribute("data-source"))).toEqual(["preflight", "preflight", "tags"]);
    expect(findings[1]!.textContent).toContain("include writers is off");
  });

  it("shows a failed run, retries only it in the same job, and reads history when reopened", async () => {
    const backend = createMemoryBackend();
    backend.world.jobs.outcomes["i-bj0api"] = {
      status: "failed",
      consistency: "failed",
      exitCode: 1,
      snapshotGroupId: null,
      groupState: null,
      disks: [],
      explanation: [{ source: "exitCode", finding: "the prescript exited 1" }, { source: "pluginLog", finding: "freeze failed: /tmp/prescript.sh returned 1" }],
    };
    const jobId = await run(backend, ["i-hz0sqlsrv", "i-bj0api"]);
    show(backend, jobId);
    await finished();
    expect(card("i-bj0api").getAttribute("data-status")).toBe("failed");
    expect(screen.getByTestId("run-exit-i-bj0api").getAttribute("data-value")).toBe("1");
    expect(screen.queryByTestId("run-group-state-i-bj0api")).toBeNull();
    expect(within(screen.getByTestId("run-explanation-i-bj0api")).getAllByTestId("run-finding").map((f) => f.getAttribute("data-source"))).toEqual(["exitCode", "pluginLog"]);
    expect(screen.getByTestId("run-output-i-bj0api")).toBeTruthy();
    const retry = screen.getByTestId("results-retry") as HTMLButtonElement;
    expect(retry.textContent).toContain("Retry failed (1)");
    expect(retry.disabled).toBe(false);
    fireEvent.click(retry);
    await waitFor(() => expect(card("i-bj0api").getAttribute("data-consistency")).toBe("filesystem"), { timeout: 4000 });
    await finished();
    expect(card("i-bj0api").getAttribute("data-status")).toBe("succeeded");
    const retried = backend.calls.filter((c) => c.command === "snapshot_retry");
    expect(retried).toHaveLength(1);
    expect(retried[0]!.args).toMatchObject({ jobId });
    expect(backend.world.jobs.reports[jobId]!.results.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    // After a restart: no live job in this window, the stored report is shown.
    resetLiveJobs();
    expect(card("i-bj0api").getAttribute("data-consistency")).toBe("filesystem");
    expect(backend.calls.filter((c) => c.command === "job_report").length).toBeGreaterThan(0);
  });

  it("folds the decoded output in a monospace block with a copy button", async () => {
    const backend = createMemoryBackend();
    backend.world.jobs.outcomes["i-bj0api"] = { output: "[INFO] Start\n[WARN] Prescript failed, exit code 1: boom\nssg-out1\n" };
    const jobId = await run(backend, ["i-bj0api"]);
    show(backend, jobId);
    await finished();
    const block = screen.getByTestId("run-output-i-bj0api");
    expect(block.getAttribute("data-lines")).toBe("3");
    expect(block.textContent).toContain("Output (3 lines)");
    // Folded until opened.
    expect(screen.queryByTestId("run-output-text-i-bj0api")).toBeNull();
    expect(within(screen.getByTestId("run-output-copy-i-bj0api")).getByRole("button")).toBeTruthy();
    fireEvent.click(within(block).getByText("Output (3 lines)"));
    const text = await screen.findByTestId("run-output-text-i-bj0api");
    expect(text.tagName).toBe("PRE");
    expect(text.textContent).toBe("[INFO] Start\n[WARN] Prescript failed, exit code 1: boom\nssg-out1\n");
  });

  it("offers the console's addresses as text, marked unverified", async () => {
    const backend = createMemoryBackend();
    const jobId = await run(backend, ["i-hz0sqlsrv"]);
    show(backend, jobId);
    await finished();
    const links = screen.getByTestId("run-console-i-hz0sqlsrv");
    expect(within(links).getByTestId("run-console-unverified").textContent).toBe("unverified addresses");
    const group = screen.getByTestId("run-group-i-hz0sqlsrv").getAttribute("data-value")!;
    const invoke = screen.getByTestId("run-invoke-i-hz0sqlsrv").getAttribute("data-value")!;
    const url = (kind: string) => within(links).getByTestId(`run-console-${kind}`);
    expect(url("instance").getAttribute("data-url")).toBe("https://ecs.console.aliyun.com/#/server/i-hz0sqlsrv/detail?regionId=cn-hangzhou");
    expect(url("invocation").getAttribute("data-url")).toBe("https://ecs.console.aliyun.com/cloud-assistant/region/cn-hangzhou");
    expect(url("invocation").textContent).toContain(`look for ${invoke} there`);
    expect(url("snapshotGroup").getAttribute("data-url")).toBe("https://ecs.console.aliyun.com/#/snapshot/region/cn-hangzhou");
    expect(url("snapshotGroup").textContent).toContain(`look for ${group} there`);
    await i18n.changeLanguage("zh-CN");
    await waitFor(() => expect(within(links).getByTestId("run-console-unverified").textContent).toBe("地址未经验证"));
    expect(url("instance").textContent).toContain("实例");
  });

  it("offers to delete a group the mandate refused, after a confirmation", async () => {
    const backend = createMemoryBackend();
    const jobId = await run(backend, ["i-hz0sqlsrv"], { includeWriters: false, mandate: "require" });
    show(backend, jobId);
    await finished();
    const c = card("i-hz0sqlsrv");
    expect(c.getAttribute("data-status")).toBe("failed");
    expect(c.getAttribute("data-consistency")).toBe("failed");
    const group = screen.getByTestId("run-group-i-hz0sqlsrv").getAttribute("data-value")!;
    fireEvent.click(screen.getByTestId("run-delete-group-button-i-hz0sqlsrv"));
    // Nothing is sent before the confirmation, which names the group and its snapshots.
    expect(backend.calls.filter((x) => x.command === "snapshot_delete_group")).toHaveLength(0);
    expect(await screen.findByText(`Delete instance snapshot ${group}?`)).toBeTruthy();
    expect(screen.getByText("Its 2 disk snapshots are deleted with it. This cannot be undone.")).toBeTruthy();
    fireEvent.click(screen.getByTestId("run-delete-group-ok"));
    await waitFor(() => expect(screen.queryByTestId("run-delete-group-i-hz0sqlsrv")).toBeNull());
    expect(backend.calls.filter((x) => x.command === "snapshot_delete_group").map((x) => x.args)).toEqual([{ snapshotGroupId: group }]);
    expect(backend.world.jobs.deletedGroups).toEqual([group]);
    const findings = within(screen.getByTestId("run-explanation-i-hz0sqlsrv")).getAllByTestId("run-finding");
    expect(findings.at(-1)!.textContent).toContain(`snapshot group ${group} was deleted on request`);
  });

  it("offers no deletion when the group met the mandate", async () => {
    const backend = createMemoryBackend();
    const jobId = await run(backend, ["i-hz0sqlsrv"], { includeWriters: false });
    show(backend, jobId);
    await finished();
    expect(card("i-hz0sqlsrv").getAttribute("data-status")).toBe("succeeded");
    expect(screen.queryByTestId("run-delete-group-i-hz0sqlsrv")).toBeNull();
    const group = screen.getByTestId("run-group-i-hz0sqlsrv").getAttribute("data-value")!;
    await expect(backend.snapshotDeleteGroup({ snapshotGroupId: group })).rejects.toMatchObject({ code: "Conflict" });
  });

  it("shows the scripts pushed again as a stage of a Linux run's timeline", async () => {
    const backend = createMemoryBackend();
    backend.world.jobs.scriptsPushed["i-bj0api"] = true;
    const jobId = await run(backend, ["i-bj0api", "i-hz0sqlsrv"]);
    show(backend, jobId);
    await finished();
    expect(screen.getByTestId("run-stage-i-bj0api-scriptsPushed").getAttribute("data-reached")).toBe("true");
    expect(screen.getByTestId("run-stage-i-bj0api-scriptsPushed").textContent).toBe("Scripts pushed");
    // Windows (no scripts): no such stage at all.
    expect(screen.queryByTestId("run-stage-i-hz0sqlsrv-scriptsPushed")).toBeNull();
    expect(screen.getByTestId("run-stage-i-hz0sqlsrv-tagged").getAttribute("data-reached")).toBe("true");
  });

  it("says when a job is not in history", async () => {
    const backend = createMemoryBackend();
    show(backend, "job-0123456789ab");
    await waitFor(() => expect(screen.getByTestId("app-error").getAttribute("data-code")).toBe("NotFound"));
  });
});
