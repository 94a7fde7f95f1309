// One WebDriver session against the real AppSnap binary, plus small helpers the tests share.
import { remote } from "webdriverio";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Starts the app. Each suite starts from the default settings (settings.json outlives a
 * session, and the app takes its language and theme from it), so one suite's language or
 * theme never leaks into the next; `{ keepSettings: true }` restarts with them.
 * `{ firstLaunch: true }` also removes appsnap.db (the stored inventory and history earlier
 * suites left), for a suite that checks what the app does on its very first start.
 */
export async function openApp({ keepSettings = false, firstLaunch = false } = {}) {
  if (!keepSettings && process.env.XDG_CONFIG_HOME) {
    rmSync(join(process.env.XDG_CONFIG_HOME, "appsnap-dev", "settings.json"), { force: true });
  }
  if (firstLaunch && process.env.XDG_DATA_HOME) {
    for (const suffix of ["", "-wal", "-shm"]) {
      rmSync(join(process.env.XDG_DATA_HOME, "appsnap-dev", `appsnap.db${suffix}`), { force: true });
    }
  }
  const browser = await remote({
    hostname: "127.0.0.1",
    port: Number(process.env.APPSNAP_WEBDRIVER_PORT),
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "tauri:options": { application: process.env.APPSNAP_APP_BIN },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  await browser.$('[data-testid="page-title"]').waitForExist({ timeout: 30000 });
  return browser;
}

export const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);

/**
 * Click once the element has stopped moving: antd pops confirmations and menus in with a
 * zoom animation, and WebKit's click lands beside a button still growing into place.
 */
export async function clickSettled(el, timeout = 10000) {
  await el.waitForClickable({ timeout });
  let last = "";
  await el.waitUntil(
    async () => {
      const rect = JSON.stringify([await el.getLocation(), await el.getSize()]);
      const settled = rect === last;
      last = rect;
      return settled;
    },
    { timeout, interval: 120, timeoutMsg: "the element kept moving" },
  );
  await el.click();
}

export async function screenshot(browser, name) {
  const dir = process.env.APPSNAP_SCREENSHOT_DIR;
  mkdirSync(dir, { recursive: true });
  // WebKit returns a blank frame right after a DOM change; let it paint first.
  await browser.pause(400);
  writeFileSync(join(dir, `${name}.png`), Buffer.from(await browser.takeScreenshot(), "base64"));
}

export async function waitForText(el, predicate, timeout = 10000) {
  let last = "";
  await el.waitUntil(
    async () => predicate((last = await el.getText())),
    { timeout, timeoutMsg: `text never matched; last was "${last}"` },
  );
  return last;
}
