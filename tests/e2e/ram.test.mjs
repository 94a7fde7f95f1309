// The RAM setup wizard in the real window against the embedded sandbox: first launch on
// the Sandbox profile → wizard to done (two demo instances, `other-role-alinux3` with
// "extend") → the sandbox's own state shows the role, policy and attachments → reopening
// shows every step done and sends no write. Screenshots of each step, zh-CN and en-US.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { byTestId, openApp, screenshot, waitForText } from "./session.mjs";

const ROLE = "AppSnapshotRoleName";
const POLICY = "AppSnapshotPolicy";
const WRITES = ["CreateRole", "CreatePolicy", "AttachPolicyToRole", "AttachInstanceRamRole", "DetachInstanceRamRole"];

const invoke = (browser, cmd, args) =>
  browser
    .executeAsync(
      (cmd, args, done) => {
        window.__TAURI_INTERNALS__.invoke(cmd, args).then(
          (value) => done(JSON.stringify({ value })),
          (error) => done(JSON.stringify({ error })),
        );
      },
      cmd,
      args,
    )
    .then((text) => JSON.parse(text));

/** Waits for `[data-testid=id]` to carry `name="wanted"`, finding it afresh each time (screens remount). */
async function waitAttr(browser, id, name, wanted, timeout = 20000) {
  let last = "";
  await browser.waitUntil(
    async () => {
      const el = await byTestId(browser, id);
      last = (await el.isExisting()) ? await el.getAttribute(name) : "(absent)";
      return last === wanted;
    },
    { timeout, timeoutMsg: `${id}: ${name} stayed "${last}", wanted "${wanted}"` },
  );
}

async function enabled(el, timeout = 20000) {
  await el.waitUntil(async () => (await el.getAttribute("disabled")) === null, {
    timeout,
    timeoutMsg: "stayed disabled",
  });
}

describe("RAM setup wizard", () => {
  let browser;
  let endpoint;
  const control = async (path) => (await fetch(`${endpoint}/_sandbox/${path}`)).json();
  const writes = async () => {
    const { calls } = await control("state/calls");
    return Object.fromEntries(WRITES.map((w) => [w, calls[w] ?? 0]));
  };
  const idOf = async (name) =>
    (await browser.$(`[data-name="${name}"]`).getAttribute("data-testid")).replace("ram-instance-row-", "");
  let mysql;
  let other;

  before(async () => {
    browser = await openApp();
    await waitAttr(browser, "sandbox-status", "data-state", "running");
    const app = (await invoke(browser, "app_status")).value;
    assert.equal(app.profile, "Sandbox");
    endpoint = app.sandbox.endpoint;
  });
  after(async () => {
    // The language choice persists in the webview: leave the next suites the OS language.
    if (browser) {
      await byTestId(browser, "nav-settings").click();
      await byTestId(browser, "lang-system").click();
      await browser.deleteSession();
    }
  });

  it("refuses bad names and region ids at the IPC boundary", async () => {
    const plan = await invoke(browser, "ram_plan", { options: { roleName: "bad name!" } });
    assert.equal(plan.error?.code, "InvalidInput", JSON.stringify(plan));
    assert.match(plan.error.message, /role name/);
    const list = await invoke(browser, "ram_candidates", { regions: ["cn hangzhou"] });
    assert.equal(list.error?.code, "InvalidInput", JSON.stringify(list));
    assert.deepEqual(await writes(), Object.fromEntries(WRITES.map((w) => [w, 0])));
  });

  it("takes a fresh Sandbox account through the wizard to done (zh-CN)", async () => {
    await byTestId(browser, "nav-ram").click();
    await waitAttr(browser, "ram-wizard", "data-step", "why");
    await waitForText(await byTestId(browser, "ram-why-text"), (t) => t.includes("实例RAM角色"));
    await screenshot(browser, "ram-1-why-zh-CN");

    await enabled(await byTestId(browser, "ram-next"));
    await byTestId(browser, "ram-next").click();
    await waitAttr(browser, "ram-wizard", "data-step", "review");
    for (const id of ["role", "policy", "attachment"]) {
      await waitAttr(browser, `ram-step-${id}`, "data-state", "todo");
    }
    const request = await byTestId(browser, "ram-request-role").getText();
    assert.match(request, /"action": "CreateRole"/);
    assert.match(request, /ecs\.aliyuncs\.com/);
    await screenshot(browser, "ram-2-review-zh-CN");

    await byTestId(browser, "ram-next").click();
    await waitAttr(browser, "ram-wizard", "data-step", "instances");
    await browser.$('[data-name="other-role-alinux3"]').waitForExist({ timeout: 20000 });
    mysql = await idOf("app-centos79-mysql");
    other = await idOf("other-role-alinux3");
    assert.match(await byTestId(browser, `ram-instance-row-${other}`).getText(), /OpsMonitoringRole/);
    await byTestId(browser, `ram-pick-${mysql}`).click();
    await byTestId(browser, `ram-pick-${other}`).click();
    await byTestId(browser, `ram-choice-${other}-extend`).click();
    await waitForText(await byTestId(browser, `ram-consequence-${other}`), (t) => t.includes("OpsMonitoringRole"));
    assert.equal(await byTestId(browser, "ram-selected-count").getAttribute("data-count"), "2");
    await screenshot(browser, "ram-3-instances-zh-CN");

    await enabled(await byTestId(browser, "ram-next"));
    await byTestId(browser, "ram-next").click();
    await waitAttr(browser, "ram-wizard", "data-step", "apply");
    await byTestId(browser, `ram-progress-instance:${other}`).waitForExist({ timeout: 20000 });
    const start = await byTestId(browser, "ram-apply-start");
    await enabled(start);
    await start.click();
    await waitAttr(browser, "ram-apply", "data-status", "done", 90000);
    for (const id of ["role", "policy", "attachment", `instance:${mysql}`, `instance:${other}`]) {
      assert.equal(await byTestId(browser, `ram-progress-${id}`).getAttribute("data-status"), "done", id);
    }
    await screenshot(browser, "ram-4-apply-zh-CN");

    await byTestId(browser, "ram-apply-summary").click();
    await waitAttr(browser, "ram-summary", "data-all-done", "true");
    assert.match(await byTestId(browser, "ram-console-role").getAttribute("data-url"), /roleName=AppSnapshotRoleName$/);
    await screenshot(browser, "ram-5-summary-zh-CN");
  });

  it("left exactly the seed's role, policy and attachments in the sandbox", async () => {
    const { accounts } = await control("state/ram");
    const roles = accounts.flatMap((a) => a.roles);
    const ours = roles.filter((r) => r.role_name === ROLE);
    assert.equal(ours.length, 1);
    assert.match(ours[0].trust_policy, /ecs\.aliyuncs\.com/);
    assert.deepEqual(
      ours[0].policies.map((p) => `${p.policy_type}:${p.policy_name}`),
      [`Custom:${POLICY}`],
    );
    const ops = roles.find((r) => r.role_name === "OpsMonitoringRole");
    assert.ok(
      ops.policies.some((p) => p.policy_type === "Custom" && p.policy_name === POLICY),
      "extend attached our policy to the instance's own role",
    );
    const policies = accounts.flatMap((a) => a.policies).filter((p) => p.policy_name === POLICY);
    assert.equal(policies.length, 1);
    assert.deepEqual(JSON.parse(policies[0].document).Statement[0].Action, [
      "ecs:DescribeSnapshot*",
      "ecs:CreateSnapshot*",
      "ecs:TagResources",
      "ecs:DescribeDisks",
    ]);
    assert.equal((await control(`instances/${mysql}`)).ram_role, ROLE);
    assert.equal((await control(`instances/${other}`)).ram_role, "OpsMonitoringRole");
  });

  it("reopens on the summary with every step done and sends no write", async () => {
    const before = await writes();
    await byTestId(browser, "nav-instances").click();
    await waitAttr(browser, "region-scan", "data-status", "idle");
    await byTestId(browser, "nav-ram").click();
    await waitAttr(browser, "ram-wizard", "data-step", "summary");
    await waitAttr(browser, "ram-summary", "data-all-done", "true");
    // A reload forgets every cached answer: the plan is read from the account again.
    await browser.refresh();
    await byTestId(browser, "nav-ram").waitForExist({ timeout: 30000 });
    await byTestId(browser, "nav-ram").click();
    await waitAttr(browser, "ram-wizard", "data-step", "summary", 30000);
    await waitAttr(browser, "ram-summary", "data-all-done", "true");
    for (const id of ["role", "policy", "attachment", `instance:${mysql}`]) {
      assert.equal(await byTestId(browser, `ram-summary-step-${id}`).getAttribute("data-state"), "done", id);
    }
    await screenshot(browser, "ram-6-reopened-zh-CN");
    assert.deepEqual(await writes(), before, "reopening only reads");
  });

  it("shows the summary and the review in en-US", async () => {
    await byTestId(browser, "nav-settings").click();
    await byTestId(browser, "lang-en-US").click();
    await browser.waitUntil(async () => (await browser.$("[data-lang]").getAttribute("data-lang")) === "en-US", {
      timeout: 5000,
      timeoutMsg: "language did not switch",
    });
    await byTestId(browser, "nav-ram").click();
    await waitAttr(browser, "ram-summary", "data-all-done", "true");
    await waitForText(await byTestId(browser, "ram-summary"), (t) => t.includes("RAM setup is complete"));
    await screenshot(browser, "ram-5-summary-en-US");
    await byTestId(browser, "ram-summary-review").click();
    await waitAttr(browser, "ram-step-role", "data-state", "done");
    assert.equal(await byTestId(browser, "ram-request-role").getAttribute("data-empty"), "true");
    await screenshot(browser, "ram-2-review-en-US");
  });
});
