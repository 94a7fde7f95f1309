import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { queryKeys } from "../../app/queryKeys";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend, type MemoryBackend } from "../../backend/memoryBackend";
import { ScriptsScreen } from "./ScriptsScreen";

async function show(backend: MemoryBackend, selected: string[] = [], instanceId?: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // The picker's inventory, stored, and its selection.
  const refreshed = await backend.fleetRefresh({ taskId: "setup", regions: [] }, () => {});
  client.setQueryData(queryKeys.fleetSelection("Sandbox"), selected);
  render(
    <QueryClientProvider client={client}>
      <BackendProvider backend={backend}>
        <ScriptsScreen instanceId={instanceId} />
      </BackendProvider>
    </QueryClientProvider>,
  );
  return Object.assign(refreshed, { client });
}

const file = (bytes: number[] | string) => new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], "script.sh");

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});

describe("ScriptsScreen", { timeout: 30_000 }, () => {
  it("selects the instance the picker's drawer linked to (#/scripts/ID)", async () => {
    const backend = createMemoryBackend();
    const { client } = await show(backend, ["i-bj0api", "i-hz0mysql"], "i-hz0mysql");
    await waitFor(() => expect(screen.getByTestId("scripts-targets").getAttribute("data-count")).toBe("1"));
    expect(client.getQueryData(queryKeys.fleetSelection("Sandbox"))).toEqual(["i-hz0mysql"]);
  });

  it("lists the library with what each template holds and shows the rendered pair", async () => {
    const backend = createMemoryBackend();
    await show(backend);
    expect((await screen.findByTestId("scripts-template-mysql")).textContent).toContain("Until the thaw script");
    fireEvent.click(screen.getByTestId("scripts-template-mysql"));
    await waitFor(() => expect(screen.getByTestId("scripts-library").getAttribute("data-template")).toBe("mysql"));
    const detail = screen.getByTestId("scripts-template-detail");
    expect(detail.textContent).toContain("A global read lock.");
    await waitFor(() => expect(screen.getByTestId("scripts-rendered").getAttribute("data-template")).toBe("mysql"));
    const freeze = await screen.findByTestId("scripts-rendered-freeze");
    await waitFor(() => expect(freeze.textContent).toContain("WATCHDOG=40"));
    expect(freeze.textContent).toContain("# option file /root/.my.cnf");
  });

  it("checks parameters live and renders nothing while one breaks its rule", async () => {
    const backend = createMemoryBackend();
    await show(backend);
    fireEvent.click(await screen.findByTestId("scripts-template-mysql"));
    const input = await screen.findByTestId("scripts-param-watchdog_seconds");
    fireEvent.change(input, { target: { value: "abc" } });
    expect((await screen.findByTestId("scripts-param-problem-watchdog_seconds")).getAttribute("data-code")).toBe("InvalidParameter");
    await waitFor(() => expect(screen.queryByTestId("scripts-rendered")).toBeNull());
    expect(screen.getByTestId("scripts-push-start").hasAttribute("disabled")).toBe(true);
    // A value the rule takes but too short for the 30 s freeze is a warning, and renders.
    fireEvent.change(input, { target: { value: "10" } });
    await waitFor(() => expect(screen.getByTestId("scripts-param-problem-watchdog_seconds").getAttribute("data-code")).toBe("WatchdogTooShort"));
    await waitFor(() => expect(screen.getByTestId("scripts-rendered-freeze").textContent).toContain("WATCHDOG=10"));
  });

  it("validates a custom pair: CRLF warns with the bad-interpreter reason, NUL, non-UTF-8 and no shebang refuse", async () => {
    const backend = createMemoryBackend();
    await show(backend, ["i-hz0mysql"]);
    fireEvent.click(await screen.findByTestId("scripts-mode-custom"));
    await waitFor(() => expect(screen.getByTestId("scripts-custom-freeze").getAttribute("data-state")).toBe("ok"), { timeout: 3000 });
    const load = (role: string, f: File) => fireEvent.change(screen.getByTestId(`scripts-load-${role}`), { target: { files: [f] } });

    load("freeze", file("#!/bin/sh\r\necho frozen\r\n"));
    const crlf = await screen.findByTestId("scripts-problem-freeze-CrlfConverted", {}, { timeout: 10_000 });
    expect(crlf.textContent).toContain("bad interpreter");
    expect(crlf.getAttribute("data-severity")).toBe("warning");
    expect(screen.getByTestId("scripts-custom-freeze").getAttribute("data-state")).toBe("ok");

    load("thaw", file([0xff, 0xfe, 0x23, 0x21]));
    expect((await screen.findByTestId("scripts-problem-thaw-NotUtf8", {}, { timeout: 10_000 })).getAttribute("data-severity")).toBe("error");
    expect(screen.getByTestId("scripts-custom-thaw").getAttribute("data-state")).toBe("refused");
    expect(screen.getByTestId("scripts-push-start").hasAttribute("disabled")).toBe(true);

    load("thaw", file("echo no shebang\n"));
    await screen.findByTestId("scripts-problem-thaw-NoShebang", {}, { timeout: 10_000 });
    load("thaw", file("#!/bin/sh\necho a\0b\n"));
    await screen.findByTestId("scripts-problem-thaw-NulByte", {}, { timeout: 10_000 });
    expect(screen.getByTestId("scripts-push-start").hasAttribute("disabled")).toBe(true);
    expect(backend.calls.some((c) => c.command === "scripts_push")).toBe(false);
  }, 60_000);

  it("pushes the template to the picker's instances with progress and the verified SHA-256, then test-runs with the window bar", async () => {
    const backend = createMemoryBackend();
    await show(backend, ["i-hz0mysql"]);
    fireEvent.click(await screen.findByTestId("scripts-template-mysql"));
    await screen.findByTestId("scripts-rendered");
    const start = screen.getByTestId("scripts-push-start");
    await waitFor(() => expect(start.hasAttribute("disabled")).toBe(false));
    fireEvent.click(start);
    await waitFor(() => expect(screen.getByTestId("scripts-push").getAttribute("data-status")).toBe("done"));
    const row = screen.getByTestId("scripts-push-row-i-hz0mysql");
    expect(row.getAttribute("data-verified")).toBe("true");
    expect(row.getAttribute("data-files")).toBe("2");
    const push = backend.calls.find((c) => c.command === "scripts_push")!.args as { source: string; instances: unknown[]; freeze: string };
    expect(push.source).toBe("mysql");
    expect(push.instances).toEqual([{ instanceId: "i-hz0mysql", regionId: "cn-hangzhou" }]);
    // The hash shown is the SHA-256 of exactly the rendered freeze script.
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(push.freeze));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(screen.getByTestId("scripts-push-hash-i-hz0mysql-Freeze").getAttribute("data-sha256")).toBe(hex);
    expect(backend.world.scripts.guests["i-hz0mysql"]!["/tmp/prescript.sh"]).toBe(push.freeze);

    backend.world.scripts.runs["i-hz0mysql"] = { freezeMs: 2000, freezeExit: 0, thawExit: 0, output: "lock held" };
    fireEvent.click(screen.getByTestId("scripts-test-start"));
    const card = await screen.findByTestId("scripts-test-i-hz0mysql");
    expect(card.getAttribute("data-verdict")).toBe("Passed");
    expect(screen.getByTestId("scripts-test-i-hz0mysql-freeze").getAttribute("data-exit")).toBe("0");
    expect(screen.getByTestId("scripts-test-i-hz0mysql-thaw").textContent).toContain("lock released");
    const bar = screen.getByTestId("scripts-freeze-window-i-hz0mysql");
    expect(bar.getAttribute("data-window-ms")).toBe("2005");
    expect(bar.getAttribute("data-timeout-ms")).toBe("30000");
    // (2005 + 1000) / 30000 = 10%.
    expect(within(bar).getByText("10%")).toBeTruthy();
  });

  it("reports a failing freeze script's exit code and its output", async () => {
    const backend = createMemoryBackend();
    await show(backend, ["i-hz0mysql"]);
    backend.world.scripts.guests["i-hz0mysql"] = { "/tmp/prescript.sh": "#!/bin/sh\n", "/tmp/postscript.sh": "#!/bin/sh\n" };
    backend.world.scripts.runs["i-hz0mysql"] = { freezeMs: 40, freezeExit: 3, thawExit: 0, output: "mysql: access denied" };
    const start = await screen.findByTestId("scripts-test-start");
    await waitFor(() => expect(start.hasAttribute("disabled")).toBe(false));
    fireEvent.click(start);
    const card = await screen.findByTestId("scripts-test-i-hz0mysql");
    expect(card.getAttribute("data-verdict")).toBe("FreezeFailed");
    expect(screen.getByTestId("scripts-test-i-hz0mysql-freeze").getAttribute("data-exit")).toBe("3");
    expect(card.textContent).toContain("mysql: access denied");
  });
});
