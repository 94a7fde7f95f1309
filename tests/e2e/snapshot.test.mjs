// The seed's workflow in the real window on the embedded sandbox's demo scenario: RAM set
// up for win2019-sqlserver through the IPC, the picker refreshed, the instance selected,
// the create-snapshot dialog's per-instance prediction, confirm → the results view with
// IDs, badges and tags (writers on → application); again with writers off → filesystem
// with the explanation; the decoded output folded and opened, in both languages. The
// sandbox's control API holds exactly those groups.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { byTestId, openApp, screenshot, clickSettled } from "./session.mjs";

const invoke = (browser, cmd, args) =>
  browser
    .executeAsync(
      (cmd, args, done) => {
        const i = window.__TAURI_INTERNALS__;
        // A task's `onEvent` is a Channel: its JSON form names a registered callback.
        if (args && args.onEvent === "channel") args.onEvent = `__CHANNEL__:${i.transformCallback(() => {})}`;
        i.invoke(cmd, args).then(
          (value) => done(JSON.stringify({ value })),
          (error) => done(JSON.stringify({ error })),
        );
      },
      cmd,
      args,
    )
    .then((text) => JSON.parse(text));

async function waitAttr(browser, id, name, wanted, timeout = 30000) {
  const el = await byTestId(browser, id);
  let last = null;
  await browser.waitUntil(async () => (await el.isExisting()) && (last = await el.getAttribute(name)) === String(wanted), {
    timeout,
    timeoutMsg: `${id} ${name} stayed "${last}", wanted "${wanted}"`,
  });
}

async function control(endpoint, path) {
  const r = await fetch(`${endpoint}/_sandbox/${path}`);
  const text = await r.text();
  assert.equal(r.status, 200, `GET ${path}: ${text}`);
  return JSON.parse(text);
}

const attr = (browser, id, name) => byTestId(browser, id).getAttribute(name);

describe("create snapshot → results", () => {
  let browser;
  let endpoint;
  let sql; // win2019-sqlserver
  before(async () => {
    browser = await openApp();
    const status = await byTestId(browser, "sandbox-status");
    await status.waitUntil(async () => (await status.getAttribute("data-state")) === "running", { timeout: 20000, timeoutMsg: "the sandbox never ran" });
    endpoint = (await invoke(browser, "app_status")).value.sandbox.endpoint;
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it("sets up RAM for win2019-sqlserver and finds it eligible in the picker", async () => {
    await byTestId(browser, "nav-instances").click();
    // Earlier suites may have left another scenario's inventory stored: read the demo fleet.
    await waitAttr(browser, "fleet-picker", "data-total", 21, 60000).catch(() => {});
    await byTestId(browser, "fleet-refresh").click();
    await browser.pause(500);
    await waitAttr(browser, "fleet-refresh", "data-status", "done", 120000);
    const stored = (await invoke(browser, "fleet_cached")).value;
    sql = stored.inventory.instances.find((a) => a.instance.name === "win2019-sqlserver").instance;
    const applied = await invoke(browser, "ram_apply", {
      taskId: "e2e-snapshot-ram",
      onEvent: "channel",
      options: { roleName: "AppSnapshotRoleName", policyName: "AppSnapshotPolicy", instances: [{ instanceId: sql.instanceId, regionId: sql.regionId }], useExistingRole: true, useExistingPolicy: true, onConflict: "replace", resolutions: {} },
    });
    assert.equal(applied.error, undefined, JSON.stringify(applied.error));
    const state = await control(endpoint, `instances/${sql.instanceId}`);
    assert.match(JSON.stringify(state), /AppSnapshotRoleName/);
    await byTestId(browser, "fleet-refresh").click();
    await browser.pause(500);
    await waitAttr(browser, "fleet-refresh", "data-status", "done", 60000);
    await browser.$(`[data-testid="fleet-row-${sql.instanceId}"] .ant-checkbox-wrapper`).click();
    await waitAttr(browser, "fleet-selected", "data-count", 1);
  });

  async function createSnapshot(writersOff) {
    await byTestId(browser, "snapshot-create").click();
    await waitAttr(browser, "snapshot-dialog", "data-plan", "success", 60000);
    assert.equal(await attr(browser, `snapshot-instance-${sql.instanceId}`, "data-eligible"), "true");
    if (writersOff) {
      await byTestId(browser, "snapshot-writers").click();
      await browser.waitUntil(async () => (await byTestId(browser, `snapshot-preflight-${sql.instanceId}`).getText()).includes("include writers is off"), {
        timeout: 30000,
        timeoutMsg: "the pre-flight never said writers are off",
      }).catch(async (e) => { await screenshot(browser, "snapshot-dialog-writers-off-timeout"); throw e; });
    }
    await screenshot(browser, writersOff ? "snapshot-dialog-writers-off" : "snapshot-dialog");
    await clickSettled(await byTestId(browser, "snapshot-confirm"));
    await browser.waitUntil(async () => /^#\/results\/job-[0-9a-f]{12}$/.test(await browser.execute(() => window.location.hash)), {
      timeout: 60000,
      timeoutMsg: "the results view never opened",
    });
    const jobId = (await browser.execute(() => window.location.hash)).split("/")[2];
    await waitAttr(browser, "results-job", "data-finished", "true", 240000);
    return jobId;
  }

  async function tags() {
    return browser.execute(() => [...document.querySelectorAll('[data-testid="run-disk-tag"]')].map((t) => t.getAttribute("data-tag")));
  }

  let groups = [];
  let jobOfOutput;
  it("writers on: application-consistent with its IDs, group, disks and tags", async () => {
    const jobId = await createSnapshot(false);
    const card = `run-${sql.instanceId}`;
    assert.equal(await attr(browser, card, "data-status"), "succeeded");
    assert.equal(await attr(browser, card, "data-consistency"), "application");
    assert.match(await attr(browser, `run-command-${sql.instanceId}`, "data-value"), /^c-/);
    assert.match(await attr(browser, `run-invoke-${sql.instanceId}`, "data-value"), /^t-/);
    assert.equal(await attr(browser, `run-exit-${sql.instanceId}`, "data-value"), "0");
    const group = await attr(browser, `run-group-${sql.instanceId}`, "data-value");
    assert.match(group, /^ssg-/);
    const t = await tags();
    assert.ok(t.length > 0 && t.every((x) => /^APPConsistent:True$/i.test(x)), JSON.stringify(t));
    const report = (await invoke(browser, "job_report", { jobId })).value;
    assert.equal(report.results[0].snapshotGroupId, group);
    groups.push(group);
    await screenshot(browser, "snapshot-results-application");
    // The decoded output, folded until opened: the plugin's lines, the group id last.
    const block = `run-output-${sql.instanceId}`;
    assert.ok(Number(await attr(browser, block, "data-lines")) > 1);
    await browser.$(`[data-testid="${block}"] .ant-collapse-header`).click();
    const text = await byTestId(browser, `run-output-text-${sql.instanceId}`);
    await text.waitForDisplayed({ timeout: 10000 });
    const output = await browser.execute((id) => document.querySelector(`[data-testid="run-output-text-${id}"]`).textContent, sql.instanceId);
    assert.equal(output.trim().split("\n").at(-1), group, output);
    assert.equal(output, report.results[0].output);
    assert.equal(await attr(browser, "run-console-instance", "data-url"), `https://ecs.console.aliyun.com/#/server/${sql.instanceId}/detail?regionId=${sql.regionId}`);
    await text.scrollIntoView();
    await screenshot(browser, "snapshot-results-output");
    jobOfOutput = report.jobId;
  });

  it("shows the output block and the console addresses in en-US", async () => {
    await byTestId(browser, "nav-settings").click();
    await byTestId(browser, "lang-en-US").click();
    await browser.waitUntil(async () => (await browser.$("[data-lang]").getAttribute("data-lang")) === "en-US", { timeout: 5000, timeoutMsg: "language did not switch" });
    await browser.execute((id) => (window.location.hash = `#/results/${id}`), jobOfOutput);
    await waitAttr(browser, "results-job", "data-finished", "true", 60000);
    const block = `run-output-${sql.instanceId}`;
    await browser.$(`[data-testid="${block}"] .ant-collapse-header`).click();
    const text = await byTestId(browser, `run-output-text-${sql.instanceId}`);
    await text.waitForDisplayed({ timeout: 10000 });
    assert.match(await byTestId(browser, block).getText(), /Output \(\d+ lines\)/);
    assert.equal(await byTestId(browser, "run-console-unverified").getText(), "unverified addresses");
    await text.scrollIntoView();
    await screenshot(browser, "snapshot-results-output-en-US");
    // Leave the OS language to what follows.
    await byTestId(browser, "nav-settings").click();
    await byTestId(browser, "lang-system").click();
    await byTestId(browser, "nav-instances").click();
  });

  it("writers off: file-system-consistent, and the explanation says why", async () => {
    await byTestId(browser, "nav-instances").click();
    await waitAttr(browser, "fleet-selected", "data-count", 1);
    await createSnapshot(true);
    const card = `run-${sql.instanceId}`;
    assert.equal(await attr(browser, card, "data-consistency"), "filesystem");
    const t = await tags();
    assert.ok(t.length > 0 && t.every((x) => /^FsConsistent:True$/i.test(x)), JSON.stringify(t));
    const explanation = await byTestId(browser, `run-explanation-${sql.instanceId}`).getText();
    assert.match(explanation, /include writers is off/);
    groups.push(await attr(browser, `run-group-${sql.instanceId}`, "data-value"));
    await screenshot(browser, "snapshot-results-filesystem");
  });

  it("the sandbox holds exactly one group per run", async () => {
    const state = JSON.stringify(await control(endpoint, "state/snapshot-groups"));
    for (const g of groups) assert.equal(state.split(`"${g}"`).length - 1 >= 1, true, `${g} missing from the sandbox`);
    assert.notEqual(groups[0], groups[1]);
  });
});
