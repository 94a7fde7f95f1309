// The desktop shell: it opens, navigates every screen, switches language, reports the sandbox.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { byTestId, openApp, screenshot, waitForText } from "./session.mjs";

const SCREENS = ["profiles", "ram", "instances", "scripts", "results", "history", "settings"];
const EXPECTED_NAV = {
  "en-US": { instances: "Instances", settings: "Settings" },
  "zh-CN": { instances: "实例", settings: "设置" },
};

async function activeLang(browser) {
  return (await browser.$("[data-lang]")).getAttribute("data-lang");
}

describe("desktop shell", () => {
  let browser;
  before(async () => {
    // run.sh starts the app with a Chinese OS locale: the UI must follow it.
    browser = await openApp();
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it("opens a window titled AppSnap in the OS language", async () => {
    assert.equal(await browser.getTitle(), "AppSnap");
    assert.equal(await activeLang(browser), "zh-CN");
  });

  it("starts the embedded sandbox cloud on loopback and says so", async () => {
    const status = await byTestId(browser, "sandbox-status");
    await status.waitUntil(async () => (await status.getAttribute("data-state")) !== "loading", {
      timeout: 20000,
      timeoutMsg: "sandbox status stayed 'loading'",
    });
    assert.equal(await status.getAttribute("data-state"), "running");
    assert.notEqual((await status.getText()).trim(), "");
    // Ask the shell for the endpoint the UI was given, then talk to that server directly:
    // an unsigned call must be refused in Alibaba Cloud's error shape.
    const app = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke("app_status").then(done, (e) => done({ error: e }));
    });
    assert.equal(app.sandbox.state, "running");
    const url = new URL(app.sandbox.endpoint);
    assert.equal(url.hostname, "127.0.0.1");
    const reply = await fetch(`${app.sandbox.endpoint}/?Action=DescribeRegions&Version=2014-05-26&Format=JSON`);
    const body = await reply.json();
    assert.ok(reply.status >= 400, `unsigned call answered ${reply.status}`);
    assert.ok(body.Code && body.RequestId, `not an Alibaba error: ${JSON.stringify(body)}`);
  });

  it("logs to a rotating file in the platform log dir of the throwaway XDG data dir", async () => {
    const app = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke("app_status").then(done, (e) => done({ error: e }));
    });
    // run.sh points XDG_DATA_HOME at a scratch dir; the app must log there, not in ~.
    assert.equal(app.logDir, join(process.env.XDG_DATA_HOME, "com.appsnap.desktop", "logs"));
    let text = "";
    const deadline = Date.now() + 10000;
    while (!text.includes("sandbox cloud started") && Date.now() < deadline) {
      // The writer is non-blocking: give it a moment to flush.
      await new Promise((r) => setTimeout(r, 200));
      const files = readdirSync(app.logDir).filter((f) => /^appsnap\..*log$/.test(f));
      text = files.map((f) => readFileSync(join(app.logDir, f), "utf8")).join("");
    }
    assert.match(text, /sandbox cloud started/, `log files in ${app.logDir} lack the start line`);
  });

  for (const lang of ["zh-CN", "en-US"]) {
    it(`navigates every screen in ${lang}`, async () => {
      await byTestId(browser, "nav-settings").click();
      await byTestId(browser, `lang-${lang}`).click();
      await browser.waitUntil(async () => (await activeLang(browser)) === lang, {
        timeout: 5000,
        timeoutMsg: `language did not switch to ${lang}`,
      });
      const titles = new Set();
      for (const screen of SCREENS) {
        await byTestId(browser, `nav-${screen}`).click();
        const title = await waitForText(byTestId(browser, "page-title"), (t) => t.trim() !== "" && !titles.has(t));
        titles.add(title);
        await screenshot(browser, `${lang}-${screen}`);
      }
      assert.equal(titles.size, SCREENS.length, "each screen has its own title");
      for (const [key, label] of Object.entries(EXPECTED_NAV[lang])) {
        assert.equal((await byTestId(browser, `nav-${key}`).getText()).trim(), label);
      }
    });
  }

  it("switches to the dark theme and back", async () => {
    await byTestId(browser, "nav-settings").click();
    const root = await browser.$("[data-theme]");
    await byTestId(browser, "theme-dark").click();
    await root.waitUntil(async () => (await root.getAttribute("data-theme")) === "dark", {
      timeout: 5000,
      timeoutMsg: "theme did not switch to dark",
    });
    await screenshot(browser, "en-US-settings-dark");
    await byTestId(browser, "nav-instances").click();
    await screenshot(browser, "en-US-instances-dark");
    await byTestId(browser, "nav-settings").click();
    await byTestId(browser, "theme-light").click();
    await root.waitUntil(async () => (await root.getAttribute("data-theme")) === "light", {
      timeout: 5000,
      timeoutMsg: "theme did not switch back to light",
    });
  });
});
