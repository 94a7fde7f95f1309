// Settings in the real window, across restarts of the app: the language chosen survives a
// restart (settings.json, not the webview's storage: that is wiped first), so does a
// snapshot job default; bad values are refused with their reasons; "Open" hands the folder
// to the OS opener (run.sh records it); diagnostics carry the version and the profile's
// name and kind but never its secret, even when a log line holds it. Leaves the defaults.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { byTestId, openApp, screenshot, waitForText } from "./session.mjs";

const NAME = "e2e-diagnostics";
const SECRET = `E2eSecret${randomUUID().replaceAll("-", "")}`;
const SANDBOX_SECRET = "SandboxAdminSecret0000000000001";
const DEFAULTS = { language: "system", theme: "system", concurrency: 10, firstPollMs: 500, maxPollSecs: 5, commandPattern: "Consistent" };

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

async function waitAttr(el, name, wanted, timeout = 15000) {
  let last = "";
  await el.waitUntil(async () => (last = await el.getAttribute(name)) === wanted, {
    timeout,
    timeoutMsg: `${name} stayed "${last}", wanted "${wanted}"`,
  });
}

const activeLang = async (browser) => (await browser.$("[data-lang]")).getAttribute("data-lang");

/** Closes the app and starts it again; the webview's own storage is wiped first. */
async function restart(browser) {
  await browser.execute(() => window.localStorage.clear());
  await browser.deleteSession();
  return openApp({ keepSettings: true });
}

/** Replaces a field's text as a user would (select all, type): a bare clearValue leaves
 *  React's controlled value in place, so typing would append to it. */
async function retype(browser, el, text) {
  await el.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Backspace"]);
  await browser.keys([...text]);
}

async function openSettings(browser) {
  await byTestId(browser, "nav-settings").click();
  await byTestId(browser, "settings-jobs").waitForExist({ timeout: 10000 });
}

describe("settings", () => {
  let browser;
  let app;
  before(async () => {
    browser = await openApp();
    await waitAttr(await byTestId(browser, "sandbox-status"), "data-state", "running", 20000);
    app = (await invoke(browser, "app_status")).value;
  });
  after(async () => {
    // The suites after this one expect the OS language and the defaults.
    if (browser) {
      await invoke(browser, "settings_save", { settings: DEFAULTS });
      await invoke(browser, "profile_remove", { name: NAME });
      await browser.execute(() => window.localStorage.clear());
      await browser.deleteSession();
    }
  });

  it("keeps English across a restart although the OS is Chinese", async () => {
    assert.equal(await activeLang(browser), "zh-CN");
    await openSettings(browser);
    await byTestId(browser, "lang-en-US").click();
    await waitAttr(await byTestId(browser, "settings-language"), "data-saved", "en-US");
    const file = join(app.configDir, "settings.json");
    assert.equal(JSON.parse(readFileSync(file, "utf8")).settings.language, "en-US");

    browser = await restart(browser);
    await browser.waitUntil(async () => (await activeLang(browser)) === "en-US", {
      timeout: 10000,
      timeoutMsg: "the restarted app did not come back in English",
    });
    assert.equal(await byTestId(browser, "nav-settings").getText(), "Settings");
  });

  it("keeps 简体中文 chosen (not the OS's) across a restart", async () => {
    await openSettings(browser);
    await byTestId(browser, "lang-zh-CN").click();
    await waitAttr(await byTestId(browser, "settings-language"), "data-saved", "zh-CN");
    browser = await restart(browser);
    await openSettings(browser);
    const radio = await byTestId(browser, "settings-language");
    await waitAttr(radio, "data-saved", "zh-CN");
    const checked = await radio.$(".ant-radio-button-wrapper-checked");
    assert.equal(await checked.getText(), "简体中文");
    assert.equal(await activeLang(browser), "zh-CN");
    await screenshot(browser, "settings-zh-CN");
  });

  it("refuses bad job defaults with their reasons and keeps a saved one across a restart", async () => {
    await openSettings(browser);
    await byTestId(browser, "lang-en-US").click();
    await waitAttr(await byTestId(browser, "settings-language"), "data-saved", "en-US");
    const concurrency = await byTestId(browser, "settings-concurrency");
    await retype(browser, concurrency, "0");
    const error = await byTestId(browser, "settings-error-concurrency");
    await error.waitForExist({ timeout: 5000 });
    // The help text fades in: its text shows once it is visible.
    await waitForText(error, (t) => t === "Enter a whole number from 1 to 100");
    assert.equal(await byTestId(browser, "settings-save").isEnabled(), false);

    // The backend refuses the same on its own, naming every broken rule.
    const refused = await invoke(browser, "settings_save", { settings: { ...DEFAULTS, concurrency: 0, commandPattern: "" } });
    assert.equal(refused.error?.code, "InvalidInput");
    assert.match(refused.error.message, /concurrency per region is 0; it must be 1-100/);
    assert.match(refused.error.message, /command name pattern has 0 characters/);

    await retype(browser, concurrency, "7");
    await byTestId(browser, "settings-error-concurrency").waitForExist({ reverse: true, timeout: 5000 });
    await byTestId(browser, "settings-save").click();
    await browser.waitUntil(async () => (await invoke(browser, "settings_get")).value?.concurrency === 7, {
      timeout: 10000,
      timeoutMsg: "concurrency 7 was never saved",
    });
    await screenshot(browser, "settings-en-US");

    browser = await restart(browser);
    await openSettings(browser);
    assert.equal(await byTestId(browser, "settings-concurrency").getValue(), "7");
    assert.equal(await activeLang(browser), "en-US");
  });

  it("hands the log folder to the OS opener", async () => {
    await openSettings(browser);
    assert.equal(await byTestId(browser, "folder-path-logs").getText(), app.logDir);
    await byTestId(browser, "folder-open-logs").click();
    await browser.waitUntil(
      async () => existsSync(process.env.APPSNAP_OPENED_LOG) && readFileSync(process.env.APPSNAP_OPENED_LOG, "utf8").includes(app.logDir),
      { timeout: 10000, timeoutMsg: "the opener was never asked for the log folder" },
    );
    assert.deepEqual(readFileSync(process.env.APPSNAP_OPENED_LOG, "utf8").trim().split("\n").slice(-1), [app.logDir]);
  });

  it("copies diagnostics with the version and the profile's kind, never its secret", async () => {
    const added = await invoke(browser, "profile_add", {
      input: {
        profile: { name: NAME, region: "cn-hangzhou", signature: "acs3", network: "public" },
        secret: { accessKeyId: "LTAI5tE2eDiagnostics01", accessKeySecret: SECRET },
      },
    });
    assert.equal(added.error, undefined, JSON.stringify(added.error));
    // A log line that leaked the secret: the report must still not carry it.
    const logs = readdirSync(app.logDir).filter((f) => /^appsnap\..*log$/.test(f)).sort();
    appendFileSync(join(app.logDir, logs.at(-1)), `2026-12-02T00:00:00.000Z DEBUG e2e: leaked AccessKeySecret=${SECRET} and ${SECRET}\n`);

    await openSettings(browser);
    await byTestId(browser, "diagnostics-copy").click();
    const area = await byTestId(browser, "diagnostics-text");
    await area.waitForExist({ timeout: 10000 });
    const state = await byTestId(browser, "diagnostics-copied").getAttribute("data-state");
    assert.ok(["copied", "selectToCopy"].includes(state), state);
    const text = await area.getValue();
    assert.match(text, new RegExp(`^app: AppSnap desktop ${app.version.replaceAll(".", "\\.")}$`, "m"));
    assert.match(text, new RegExp(`^- ${NAME} kind=AccessKey region=cn-hangzhou endpoint=default$`, "m"));
    assert.match(text, /^os: .+$/m);
    assert.match(text, /e2e: leaked AccessKeySecret=\*\*\* and \*\*\*/);
    assert.match(text, /"concurrency":7/);
    assert.ok(!text.includes(SECRET), "the profile's secret is in the diagnostics");
    assert.ok(!text.includes(SANDBOX_SECRET), "the Sandbox's secret is in the diagnostics");
    // And straight from the command, as the UI got it.
    const direct = (await invoke(browser, "diagnostics")).value;
    assert.ok(!direct.includes(SECRET));
    await area.scrollIntoView({ block: "center" });
    await screenshot(browser, "settings-diagnostics");
  });
});
