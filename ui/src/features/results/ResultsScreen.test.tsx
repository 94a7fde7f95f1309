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
      disks: [],
      explanation: [{ source: "exitCode", finding: "the prescript exited 1" }, { source: "pluginLog", finding: "freeze failed: /tmp/prescript.sh returned 1" }],
    };
    const jobId = await run(backend, ["i-hz0sqlsrv", "i-bj0api"]);
    show(backend, jobId);
    await finished();
    expect(card("i-bj0api").getAttribute("data-status")).toBe("failed");
    expect(screen.getByTestId("run-exit-i-bj0api").getAttribute("data-value")).toBe("1");
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

  it("says when a job is not in history", async () => {
    const backend = createMemoryBackend();
    show(backend, "job-0123456789ab");
    await waitFor(() => expect(screen.getByTestId("app-error").getAttribute("data-code")).toBe("NotFound"));
  });
});
