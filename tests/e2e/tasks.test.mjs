// Long work over a real Tauri Channel: the Instances screen's region scan (`regions_scan`
// through `useTask`), its Cancel (`task_cancel`), against the embedded sandbox cloud.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { byTestId, openApp, screenshot } from "./session.mjs";

const invoke = (browser, cmd, args) =>
  browser.executeAsync(
    (cmd, args, done) => {
      // JSON text both ways: WebKitWebDriver chokes on some rejected values as objects.
      window.__TAURI_INTERNALS__.invoke(cmd, args).then(
        (value) => done(JSON.stringify({ value })),
        (error) => done(JSON.stringify({ error })),
      );
    },
    cmd,
    args,
  ).then((text) => JSON.parse(text));

async function waitForStatus(browser, wanted, timeout = 20000) {
  const card = await byTestId(browser, "region-scan");
  let last = "";
  await card.waitUntil(async () => (last = await card.getAttribute("data-status")) === wanted, {
    timeout,
    timeoutMsg: `region scan status stayed "${last}", wanted "${wanted}"`,
  });
}

async function progress(browser) {
  const el = await byTestId(browser, "region-scan-progress");
  return { done: Number(await el.getAttribute("data-done")), total: Number(await el.getAttribute("data-total")) };
}

describe("tasks over a Channel", () => {
  let browser;
  let endpoint;
  let logDir;
  before(async () => {
    browser = await openApp();
    const status = await byTestId(browser, "sandbox-status");
    await status.waitUntil(async () => (await status.getAttribute("data-state")) === "running", {
      timeout: 20000,
      timeoutMsg: "the sandbox never ran",
    });
    const app = (await invoke(browser, "app_status")).value;
    ({ endpoint, logDir } = { endpoint: app.sandbox.endpoint, logDir: app.logDir });
    assert.equal(app.profile, "Sandbox");
  });
  after(async () => {
    if (endpoint) await fetch(`${endpoint}/_sandbox/faults`, { method: "DELETE" });
    await browser?.deleteSession();
  });

  it("streams every region of the demo account into the Instances screen", async () => {
    await byTestId(browser, "nav-instances").click();
    await byTestId(browser, "region-scan-start").click();
    await waitForStatus(browser, "done");
    assert.deepEqual(await progress(browser), { done: 8, total: 8 });
    // The demo scenario's table (crates/sandbox-cloud/README.md).
    const hangzhou = await byTestId(browser, "region-row-cn-hangzhou").getText();
    assert.match(hangzhou, /\(cn-hangzhou\)\s*10$/);
    assert.match(await byTestId(browser, "region-row-cn-beijing").getText(), /\(cn-beijing\)\s*1$/);
    assert.equal(await byTestId(browser, "region-scan-total").getText(), "21");
    await screenshot(browser, "instances-region-scan-done");
  });

  it("cancels a running scan by its task id and can scan again", async () => {
    // A slow cloud (every DescribeInstances waits 400 ms) leaves time to press Cancel.
    const fault = await fetch(`${endpoint}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "DescribeInstances", latency_ms: 400 }),
    });
    assert.equal(fault.status, 200, await fault.text());

    await byTestId(browser, "region-scan-start").click();
    await waitForStatus(browser, "running", 5000);
    await byTestId(browser, "region-row-cn-hangzhou").waitForExist({ timeout: 10000 });
    await byTestId(browser, "region-scan-cancel").click();
    await waitForStatus(browser, "cancelled");
    const { done, total } = await progress(browser);
    assert.equal(total, 8);
    assert.ok(done >= 1 && done < total, `stopped after ${done} of ${total}`);
    assert.ok(await byTestId(browser, "region-scan-cancelled").isExisting());
    await screenshot(browser, "instances-region-scan-cancelled");

    // The shell logged the cancel reaching a running task, then the task's end.
    let text = "";
    const deadline = Date.now() + 10000;
    while (!/task cancel requested.*found=true/.test(text) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      text = readdirSync(logDir)
        .filter((f) => /^appsnap\..*log$/.test(f))
        .map((f) => readFileSync(join(logDir, f), "utf8"))
        .join("");
    }
    assert.match(text, /task cancel requested.*found=true/);
    assert.match(text, /task ended with an error command="?regions_scan"?.*code=Cancelled/);

    await fetch(`${endpoint}/_sandbox/faults`, { method: "DELETE" });
    await byTestId(browser, "region-scan-start").click();
    await waitForStatus(browser, "done");
    assert.deepEqual(await progress(browser), { done: 8, total: 8 });
  });

  it("answers task_cancel with false for an ended task and refuses a bad id", async () => {
    assert.deepEqual(await invoke(browser, "task_cancel", { taskId: "no-such-task" }), { value: false });
    const bad = await invoke(browser, "task_cancel", { taskId: "has space" });
    assert.equal(bad.error?.code, "InvalidInput", JSON.stringify(bad));
  });
});
