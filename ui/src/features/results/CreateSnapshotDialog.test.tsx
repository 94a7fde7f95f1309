import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend, type MemoryBackend } from "../../backend/memoryBackend";
import { MEMORY_FLEET_ROWS, MEMORY_PROBE, withChecks } from "../../backend/memoryFleet";
import { CreateSnapshotDialog } from "./CreateSnapshotDialog";
import { resetLiveJobs } from "./liveJobs";

// As after a deep check: the Windows one is predicted application-consistent.
const probed = () => MEMORY_FLEET_ROWS.map((a) => withChecks(a, MEMORY_PROBE[a.instance.instanceId] ?? []));
const rows = (...ids: string[]) => ids.map((id) => probed().find((a) => a.instance.instanceId === id)!);

function show(backend: MemoryBackend, ids: string[]) {
  backend.world.fleet.stored!.inventory.instances = probed();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BackendProvider backend={backend}>
        <CreateSnapshotDialog open instances={rows(...ids)} onClose={() => undefined} />
      </BackendProvider>
    </QueryClientProvider>,
  );
}

const dialog = () => screen.getByTestId("snapshot-dialog");
const confirm = () => screen.getByTestId("snapshot-confirm") as HTMLButtonElement;
const plans = (b: MemoryBackend) => b.calls.filter((c) => c.command === "snapshot_plan");

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
  resetLiveJobs();
  window.location.hash = "#/instances";
});

describe("CreateSnapshotDialog", { timeout: 20_000 }, () => {
  it("predicts per instance, shows the freeze warning and leaves ineligible instances out", async () => {
    const backend = createMemoryBackend();
    show(backend, ["i-hz0sqlsrv", "i-bj0api", "i-hz0mysql"]);
    await waitFor(() => expect(dialog().getAttribute("data-plan")).toBe("success"));
    expect(plans(backend).at(-1)!.args).toMatchObject({ instanceIds: ["i-hz0sqlsrv", "i-bj0api"], concurrency: 10 });
    const win = screen.getByTestId("snapshot-instance-i-hz0sqlsrv");
    expect(win.getAttribute("data-eligible")).toBe("true");
    expect(win.getAttribute("data-predicted")).toBe("application");
    expect(screen.getByTestId("snapshot-instance-i-bj0api").getAttribute("data-predicted")).toBe("filesystem");
    expect(screen.getByTestId("snapshot-warning-i-bj0api").textContent).toContain("/ included");
    expect(screen.queryByTestId("snapshot-warning-i-hz0sqlsrv")).toBeNull();
    const mysql = screen.getByTestId("snapshot-instance-i-hz0mysql");
    expect(mysql.getAttribute("data-eligible")).toBe("false");
    expect(within(mysql).getByTestId("snapshot-ineligible-i-hz0mysql").textContent).toBe("Cannot be snapshotted: not submitted");
    expect(confirm().disabled).toBe(false);
    expect(confirm().textContent).toContain("Create for 2 instance(s)");
  });

  it("says why writers off lowers Windows to file-system-consistent", async () => {
    const backend = createMemoryBackend();
    show(backend, ["i-hz0sqlsrv"]);
    await waitFor(() => expect(dialog().getAttribute("data-plan")).toBe("success"));
    fireEvent.click(screen.getByTestId("snapshot-writers"));
    await waitFor(() => expect(screen.getByTestId("snapshot-preflight-i-hz0sqlsrv").textContent).toContain("include writers is off"));
    expect(plans(backend).at(-1)!.args).toMatchObject({ options: { includeWriters: false } });
  });

  it("refuses bad options before any plan call and cannot be confirmed", async () => {
    const backend = createMemoryBackend();
    show(backend, ["i-hz0sqlsrv"]);
    await waitFor(() => expect(plans(backend)).toHaveLength(1));
    fireEvent.change(screen.getByTestId("snapshot-name"), { target: { value: "9 bad" } });
    await waitFor(() => expect(screen.getByTestId("snapshot-error-name").textContent).toBe("Must start with a letter"));
    expect(dialog().getAttribute("data-valid")).toBe("false");
    expect(confirm().disabled).toBe(true);
    fireEvent.change(screen.getByTestId("snapshot-description"), { target: { value: "x".repeat(257) } });
    await waitFor(() => expect(screen.getByTestId("snapshot-error-description").textContent).toBe("Has 257 characters; it must have 2-256"));
    expect(plans(backend)).toHaveLength(1);
  });

  it("cannot be confirmed when no selected instance is eligible", async () => {
    const backend = createMemoryBackend();
    show(backend, ["i-hz0mysql", "i-sh0stopped"]);
    expect(screen.getByTestId("snapshot-instance-i-sh0stopped").getAttribute("data-eligible")).toBe("false");
    expect(confirm().disabled).toBe(true);
    expect(plans(backend)).toHaveLength(0);
  });

  it("confirm starts the job and opens its results", async () => {
    const backend = createMemoryBackend();
    show(backend, ["i-hz0sqlsrv"]);
    await waitFor(() => expect(confirm().disabled).toBe(false));
    fireEvent.click(confirm());
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/results\/job-[0-9a-f]{12}$/));
    const jobId = window.location.hash.split("/")[2]!;
    await waitFor(() => expect(backend.world.jobs.reports[jobId]!.results[0]!.status).toBe("succeeded"));
    expect(backend.calls.find((c) => c.command === "snapshot_run")!.args).toMatchObject({ instanceIds: ["i-hz0sqlsrv"], options: { mandate: "allow" } });
  });
});
