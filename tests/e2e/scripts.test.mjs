// The Scripts screen in the real window against the embedded sandbox's demo scenario:
// the MySQL template pushed to app-centos79-mysql (the sandbox's control API shows
// /tmp/prescript.sh root 0700 and the read-back verified its SHA-256), then test-run
// with both exit codes and the freeze-window bar against the timeout.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { byTestId, openApp, screenshot, clickSettled } from "./session.mjs";

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

describe("the Scripts screen", () => {
  let browser;
  let endpoint;
  let id;
  before(async () => {
    browser = await openApp();
    const status = await byTestId(browser, "sandbox-status");
    await status.waitUntil(async () => (await status.getAttribute("data-state")) === "running", {
      timeout: 20000,
      timeoutMsg: "the sandbox never ran",
    });
    endpoint = (await invoke(browser, "app_status")).value.sandbox.endpoint;
    // The Scripts screen chooses from the stored inventory. An earlier file's app left
    // one behind with that sandbox's (random) ids: refresh it from this sandbox first.
    await byTestId(browser, "nav-instances").click();
    const refresh = await byTestId(browser, "fleet-refresh");
    await refresh.waitForExist({ timeout: 10000 });
    await browser.waitUntil(async () => (await refresh.getAttribute("data-status")) !== "running", { timeout: 60000 });
    const clicked = Date.now();
    await refresh.click();
    let stored;
    await browser.waitUntil(
      async () => {
        stored = (await invoke(browser, "fleet_cached")).value;
        return stored !== null && stored.takenAtMs >= clicked && stored.inventory.instances.length === 21;
      },
      { timeout: 60000, timeoutMsg: "the inventory was not refreshed from this sandbox" },
    );
    id = stored.inventory.instances.find((a) => a.instance.name === "app-centos79-mysql").instance.instanceId;
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it("lists the templates and renders the MySQL pair", async () => {
    await byTestId(browser, "nav-scripts").click();
    await byTestId(browser, "scripts-template-mysql").waitForExist({ timeout: 10000 });
    const names = (await invoke(browser, "scripts_templates")).value.map((t) => t.name);
    assert.deepEqual(names, ["generic", "mysql", "postgresql", "redis", "mongodb"]);
    await byTestId(browser, "scripts-template-mysql").click();
    await waitAttr(browser, "scripts-rendered", "data-template", "mysql", 10000);
    const freeze = await byTestId(browser, "scripts-rendered-freeze");
    await browser.waitUntil(async () => /FLUSH TABLES WITH READ LOCK/.test(await freeze.getText()), {
      timeout: 10000,
      timeoutMsg: "the rendered freeze script never showed the lock",
    });
    await screenshot(browser, "scripts-library-mysql");
  });

  it("pushes it to app-centos79-mysql: verified, and the sandbox holds it root 0700", async () => {
    const select = await byTestId(browser, "scripts-targets");
    await select.$(".ant-select-selector, .ant-select-content, input").click();
    await browser.keys([...id]);
    const option = await byTestId(browser, `scripts-target-${id}`);
    await option.waitForDisplayed({ timeout: 5000 });
    await clickSettled(option);
    await browser.keys("Escape");
    await waitAttr(browser, "scripts-targets", "data-count", 1, 5000);
    const start = await byTestId(browser, "scripts-push-start");
    await start.waitForEnabled({ timeout: 10000 });
    await start.click();
    await waitAttr(browser, "scripts-push", "data-status", "done", 120000);
    await waitAttr(browser, `scripts-push-row-${id}`, "data-verified", "true", 5000);
    const shown = await byTestId(browser, `scripts-push-hash-${id}-Freeze`).getAttribute("data-sha256");
    assert.match(shown, /^[0-9a-f]{64}$/);
    const state = await control(endpoint, `instances/${id}`);
    const files = Object.fromEntries(state.guest.files.map((f) => [f.path, f]));
    for (const path of ["/tmp/prescript.sh", "/tmp/postscript.sh"]) {
      const f = files[path];
      assert.ok(f, `${path} is not on the guest`);
      assert.deepEqual([f.owner, f.group, f.mode, f.crlf], ["root", "root", "0700", false], path);
    }
    await screenshot(browser, "scripts-pushed");
  });

  it("test-runs the pushed pair and shows the freeze window against the timeout", async () => {
    const start = await byTestId(browser, "scripts-test-start");
    await start.waitForEnabled({ timeout: 10000 });
    await start.click();
    await waitAttr(browser, "scripts-test", "data-status", "done", 120000);
    const card = await byTestId(browser, `scripts-test-${id}`);
    assert.equal(await card.getAttribute("data-verdict"), "Passed");
    assert.equal(await byTestId(browser, `scripts-test-${id}-freeze`).getAttribute("data-exit"), "0");
    assert.equal(await byTestId(browser, `scripts-test-${id}-thaw`).getAttribute("data-exit"), "0");
    const bar = await byTestId(browser, `scripts-freeze-window-${id}`);
    assert.equal(await bar.getAttribute("data-timeout-ms"), "30000");
    assert.equal(await bar.getAttribute("data-within"), "true");
    assert.ok(Number(await bar.getAttribute("data-window-ms")) >= 0);
    assert.ok(await bar.$(".ant-progress").isExisting(), "no progress bar");
    await screenshot(browser, "scripts-test-run");
  });
});
