// History in the real window on the embedded sandbox: the suite makes its own job first
// (RAM for win2019-sqlserver and a snapshot run through the IPC, since suites run in name
// order), then filter → the job's detail (the results view) → CSV and JSON exports read
// back from disk → rollback: the plan in words, the danger button held until "stop first"
// is ticked and the instance name typed, the result, and the sandbox's disks reset from
// exactly the plan's snapshots, and the rollback listed in History. Screenshots of the
// table and the dialog in both languages.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { byTestId, openApp, screenshot } from "./session.mjs";

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

async function control(endpoint, path) {
  const r = await fetch(`${endpoint}/_sandbox/${path}`);
  const text = await r.text();
  assert.equal(r.status, 200, `GET ${path}: ${text}`);
  return JSON.parse(text);
}

async function waitAttr(browser, id, name, wanted, timeout = 30000) {
  let last = null;
  await browser.waitUntil(async () => {
    const el = await byTestId(browser, id);
    return (await el.isExisting()) && (last = await el.getAttribute(name)) === String(wanted);
  }, {
    timeout,
    timeoutMsg: `${id} ${name} stayed "${last}", wanted "${wanted}"`,
  });
}

const attr = (browser, id, name) => byTestId(browser, id).getAttribute(name);

/** Replaces a React-controlled input's text with real keys (clearing by WebDriver fires no change). */
async function typeInto(browser, el, text) {
  await el.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  if (text) await el.addValue(text);
}

async function language(browser, lang) {
  await byTestId(browser, "nav-settings").click();
  await byTestId(browser, `lang-${lang}`).click();
  await browser.waitUntil(async () => (await browser.$("[data-lang]").getAttribute("data-lang")) === lang, {
    timeout: 5000,
    timeoutMsg: `language did not switch to ${lang}`,
  });
}

/** Opens History filtered to the job's text, so exactly its run is listed. */
async function listJob(browser, jobId) {
  await byTestId(browser, "nav-history").click();
  const search = await browser.$('[data-testid="history-search"] input');
  await search.waitForExist({ timeout: 10000 });
  await typeInto(browser, search, jobId);
  await waitAttr(browser, "history-list", "data-total", 1);
}

describe("history: filter → detail → export → rollback", () => {
  let browser;
  let endpoint;
  let sql; // win2019-sqlserver
  let jobId;
  let report;
  before(async () => {
    browser = await openApp();
    await browser.setTimeout({ script: 300000 });
    const status = await byTestId(browser, "sandbox-status");
    await status.waitUntil(async () => (await status.getAttribute("data-state")) === "running", { timeout: 20000, timeoutMsg: "the sandbox never ran" });
    endpoint = (await invoke(browser, "app_status")).value.sandbox.endpoint;
  });
  after(async () => {
    // Later suites expect the OS language: leave the choice as it was.
    try {
      if (browser) {
        await byTestId(browser, "nav-settings").click();
        await byTestId(browser, "lang-system").click();
        await browser.waitUntil(async () => (await browser.$("[data-lang]").getAttribute("data-lang")) === "zh-CN", { timeout: 5000 });
      }
    } finally {
      await browser?.deleteSession();
    }
  });

  it("makes its own snapshot job of win2019-sqlserver", async () => {
    const refresh = async (n) => {
      const r = await invoke(browser, "fleet_refresh", { taskId: `e2e-history-refresh-${n}`, onEvent: "channel", regions: [] });
      assert.equal(r.error, undefined, JSON.stringify(r.error));
      return r.value;
    };
    sql = (await refresh(1)).inventory.instances.find((a) => a.instance.name === "win2019-sqlserver").instance;
    const applied = await invoke(browser, "ram_apply", {
      taskId: "e2e-history-ram",
      onEvent: "channel",
      options: { roleName: "AppSnapshotRoleName", policyName: "AppSnapshotPolicy", instances: [{ instanceId: sql.instanceId, regionId: sql.regionId }], useExistingRole: true, useExistingPolicy: true, onConflict: "replace", resolutions: {} },
    });
    assert.equal(applied.error, undefined, JSON.stringify(applied.error));
    await refresh(2);
    const options = { name: null, description: null, retentionDays: null, instantAccess: null, instantAccessDays: null, includeWriters: true, fsFreeze: true, freezeTimeoutSecs: null, excludeDiskIds: [], mandate: "allow" };
    const run = await invoke(browser, "snapshot_run", { taskId: "e2e-history-job", onEvent: "channel", options, instanceIds: [sql.instanceId], concurrency: 1 });
    assert.equal(run.error, undefined, JSON.stringify(run.error));
    report = run.value;
    jobId = report.jobId;
    assert.match(jobId, /^job-[0-9a-f]{12}$/);
    assert.equal(report.results[0].status, "succeeded");
    assert.match(report.results[0].snapshotGroupId, /^ssg-/);
  });

  it("filters the table to the job's run, in zh-CN", async () => {
    await language(browser, "zh-CN");
    await byTestId(browser, "nav-history").click();
    await browser.waitUntil(async () => Number(await attr(browser, "history-list", "data-total")) >= 1, { timeout: 20000, timeoutMsg: "history listed nothing" });
    await screenshot(browser, "history-table-zh-CN");
    // The instance filter: every row listed is that instance's.
    const input = await byTestId(browser, "history-filter-instance-input");
    await typeInto(browser, input, sql.instanceId);
    await browser.keys("Escape");
    await browser.waitUntil(async () => (await attr(browser, "history-list", "data-fetching")) === "false", { timeout: 10000 });
    const rows = await browser.execute(() => [...document.querySelectorAll('[data-testid^="history-row-"]')].map((r) => r.getAttribute("data-testid")));
    assert.ok(rows.length >= 1 && rows.every((r) => r.endsWith(`-${sql.instanceId}`)), JSON.stringify(rows));
    await browser.refresh();
    await listJob(browser, jobId);
    const row = await byTestId(browser, `history-row-${jobId}-${sql.instanceId}`);
    assert.equal(await row.getAttribute("data-status"), "succeeded");
    assert.equal(await row.getAttribute("data-consistency"), "application");
  });

  it("opens the job's detail with the results view", async () => {
    await byTestId(browser, `history-open-${jobId}`).click();
    await browser.waitUntil(async () => (await browser.execute(() => window.location.hash)) === `#/history/${jobId}`, { timeout: 10000 });
    await waitAttr(browser, "results-job", "data-finished", "true", 60000);
    assert.equal(await attr(browser, `run-${sql.instanceId}`, "data-consistency"), "application");
    assert.equal(await attr(browser, `run-group-${sql.instanceId}`, "data-value"), report.results[0].snapshotGroupId);
    await screenshot(browser, "history-detail-zh-CN");
    await byTestId(browser, "history-back").click();
    await browser.waitUntil(async () => (await browser.execute(() => window.location.hash)) === "#/history", { timeout: 10000 });
  });

  it("exports the filtered run as CSV and JSON files", async () => {
    await listJob(browser, jobId);
    await byTestId(browser, "history-export-csv").click();
    await waitAttr(browser, "history-exported", "data-format", "csv");
    const path = await attr(browser, "history-exported", "data-path");
    assert.equal(await attr(browser, "history-exported", "data-rows"), "1");
    assert.ok(path.startsWith(process.env.HOME) || path.startsWith(process.env.XDG_DATA_HOME), path);
    assert.ok(existsSync(path), path);
    const lines = readFileSync(path, "utf8").split(/\r?\n/).filter((l) => l !== "");
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.ok(lines[0].startsWith("\ufeffjob_id,started_at,profile,instance_id,region_id,status,consistency"), lines[0]);
    assert.ok(lines[1].startsWith(`${jobId},`) && lines[1].includes(`,${sql.instanceId},${sql.regionId},succeeded,application,`), lines[1]);

    await byTestId(browser, "history-export-json").click();
    await waitAttr(browser, "history-exported", "data-format", "json");
    const json = JSON.parse(readFileSync(await attr(browser, "history-exported", "data-path"), "utf8"));
    assert.equal(json.length, 1);
    assert.equal(json[0].jobId, jobId);
    assert.equal(json[0].snapshotGroupId, report.results[0].snapshotGroupId);
  });

  async function openRollback() {
    await listJob(browser, jobId);
    await byTestId(browser, `history-rollback-${jobId}-${sql.instanceId}`).click();
    await waitAttr(browser, "rollback-plan", "data-group", report.results[0].snapshotGroupId, 60000);
  }

  async function checkGating() {
    assert.equal(await attr(browser, "rollback-plan", "data-needs-stop"), "true");
    assert.equal(await attr(browser, "rollback-confirm", "data-enabled"), "false");
    const input = await byTestId(browser, "rollback-confirm-input");
    await typeInto(browser, input, "win2019-sqlserver");
    // The name alone is not enough while the instance runs.
    assert.equal(await attr(browser, "rollback-confirm", "data-enabled"), "false");
    // Wait until the dialog's checkbox can take the click (it failed once as "not
    // interactable" while the modal was still settling, and passed on the rerun).
    const stop = await browser.$('[data-testid="rollback-stop"] .ant-checkbox-wrapper');
    await stop.waitForClickable({ timeout: 10000 });
    await stop.click();
    await waitAttr(browser, "rollback-confirm", "data-enabled", "true");
    await typeInto(browser, input, "win2019-sqlserve");
    await waitAttr(browser, "rollback-confirm", "data-enabled", "false");
    await typeInto(browser, input, sql.instanceId);
    await waitAttr(browser, "rollback-confirm", "data-enabled", "false");
    await typeInto(browser, input, "win2019-sqlserver");
    await waitAttr(browser, "rollback-confirm", "data-enabled", "true");
  }

  let plan;
  it("says in zh-CN what a rollback overwrites and holds the button until confirmed", async () => {
    await openRollback();
    plan = (await invoke(browser, "rollback_plan", { instanceId: sql.instanceId, regionId: sql.regionId, groupId: report.results[0].snapshotGroupId })).value;
    assert.ok(plan.disks.length >= 1);
    for (const d of plan.disks) assert.equal(await attr(browser, `rollback-disk-${d.diskId}`, "data-size"), String(d.sizeGib));
    const summary = await browser.execute(() => document.querySelector('[data-testid="rollback-summary"]').textContent);
    assert.ok(summary.includes(plan.groupCreated) && summary.includes(sql.instanceId), summary);
    await checkGating();
    await screenshot(browser, "rollback-dialog-zh-CN");
    await byTestId(browser, "rollback-close").click();
    await browser.waitUntil(async () => !(await byTestId(browser, "rollback-plan").isExisting()), { timeout: 10000, timeoutMsg: "the dialog stayed open" });
    await browser.pause(500);
  });

  it("rolls back in en-US after the typed confirmation, and the sandbox's disks are reset", async () => {
    await language(browser, "en-US");
    await byTestId(browser, "nav-history").click();
    await browser.waitUntil(async () => Number(await attr(browser, "history-list", "data-total")) >= 1, { timeout: 20000 });
    await screenshot(browser, "history-table-en-US");
    const callsBefore = (await control(endpoint, "state/calls")).calls.ResetDisks ?? 0;
    await openRollback();
    await checkGating();
    await browser.$('[data-testid="rollback-start"] .ant-checkbox-wrapper').click();
    await waitAttr(browser, "rollback-start", "data-checked", "true");
    await screenshot(browser, "rollback-dialog-en-US");
    await byTestId(browser, "rollback-confirm").click();
    await waitAttr(browser, "rollback-result", "data-status", "succeeded", 240000);
    for (const step of ["stop", "reset", "start"]) assert.equal(await attr(browser, `rollback-step-${step}`, "data-done"), "true", step);
    await screenshot(browser, "rollback-done-en-US");
    await byTestId(browser, "rollback-close").click();
    await browser.waitUntil(async () => !(await byTestId(browser, "rollback-plan").isExisting()), { timeout: 10000, timeoutMsg: "the dialog stayed open" });
    await browser.pause(500);

    const state = await control(endpoint, `instances/${sql.instanceId}`);
    assert.equal(state.instance.Status ?? state.instance.status, "Running", JSON.stringify(state.instance).slice(0, 300));
    for (const d of plan.disks) {
      const disk = state.disks.find((x) => x.disk_id === d.diskId);
      assert.ok(disk, `${d.diskId} not in ${JSON.stringify(state.disks)}`);
      assert.equal(disk.reset_from, d.snapshotId);
    }
    const callsAfter = (await control(endpoint, "state/calls")).calls.ResetDisks;
    assert.equal(callsAfter, callsBefore + Math.ceil(plan.disks.length / 10));

    // History lists the rollback under the runs, as appsnap.db recorded it.
    await browser.waitUntil(async () => Number(await attr(browser, "rollback-list", "data-total")) >= 1, { timeout: 20000, timeoutMsg: "the rollback is not listed" });
    const row = await browser.$(`[data-testid="rollback-list"] tr[data-instance="${sql.instanceId}"]`);
    assert.equal(await row.getAttribute("data-status"), "succeeded");
    const text = await row.getText();
    assert.ok(text.includes(report.results[0].snapshotGroupId) && text.includes("stopped"), text);
    await row.scrollIntoView();
    await screenshot(browser, "history-rollbacks-en-US");
    await language(browser, "zh-CN");
    await byTestId(browser, "nav-history").click();
    await browser.waitUntil(async () => Number(await attr(browser, "rollback-list", "data-total")) >= 1, { timeout: 20000, timeoutMsg: "the rollback is not listed in zh-CN" });
    await (await browser.$('[data-testid="rollback-list"]')).scrollIntoView();
    await screenshot(browser, "history-rollbacks-zh-CN");
  });
});
