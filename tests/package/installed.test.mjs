// The binary unpacked from the .deb (tests/package/run.sh): it opens its window on the
// built-in Sandbox profile, the embedded sandbox cloud answers, and it is the packaged
// version.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { byTestId, openApp, screenshot } from "../e2e/session.mjs";

describe("installed from the .deb", () => {
  let browser;
  before(async () => {
    assert.match(process.env.APPSNAP_APP_BIN, /appsnap-package\.[^/]+\/root\/usr\/bin\/appsnap-desktop$/);
    browser = await openApp();
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it("opens the AppSnap window on the Sandbox profile", async () => {
    assert.equal(await browser.getTitle(), "AppSnap");
    const header = await byTestId(browser, "active-profile");
    await header.waitUntil(async () => (await header.getAttribute("data-profile")) === "Sandbox", {
      timeout: 15000,
      timeoutMsg: "the header never showed the Sandbox profile",
    });
    const status = await byTestId(browser, "sandbox-status");
    await status.waitUntil(async () => (await status.getAttribute("data-state")) === "running", {
      timeout: 20000,
      timeoutMsg: "the embedded sandbox never ran",
    });
    const app = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke("app_status").then(done, (e) => done({ error: e }));
    });
    assert.equal(app.profile, "Sandbox");
    assert.equal(app.version, process.env.APPSNAP_DEB_VERSION);
    await screenshot(browser, "package-installed");
  });
});
