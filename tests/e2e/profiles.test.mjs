// Profiles in the real window: the Sandbox first and current on first launch with its
// account in the header; a profile with a WRONG secret gets a clear AuthFailed with its
// RequestId from Test connection, and that secret is in no file the app wrote; switching
// to it and back (list and header); removing it. The keyring is a real gnome-keyring on
// run.sh's private bus.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { byTestId, clickSettled, openApp, screenshot } from "./session.mjs";

const DEMO_ACCOUNT = "1688000000000001";
const NAME = "e2e-wrong-secret";
const WRONG_SECRET = `WrongSecret${randomUUID().replaceAll("-", "")}`;

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

/** Every regular file below `dir` (missing dirs are empty). */
function filesUnder(dir) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out = out.concat(filesUnder(path));
    else if (st.isFile()) out.push(path);
  }
  return out;
}

describe("profiles", () => {
  let browser;
  let app;
  before(async () => {
    browser = await openApp();
    const status = await byTestId(browser, "sandbox-status");
    await waitAttr(status, "data-state", "running", 20000);
    app = (await invoke(browser, "app_status")).value;
  });
  after(async () => {
    await browser?.deleteSession();
  });

  it("lists the Sandbox first and current on first launch; the header shows it and its account", async () => {
    assert.equal(app.profile, "Sandbox");
    await byTestId(browser, "nav-profiles").click();
    const first = await browser.$('[data-testid^="profile-row-"]');
    await first.waitForExist({ timeout: 10000 });
    assert.equal(await first.getAttribute("data-testid"), "profile-row-Sandbox");
    assert.equal(await first.getAttribute("data-current"), "true");
    assert.ok((await byTestId(browser, "profile-sandbox-note").getText()).trim().length > 0);
    const header = await byTestId(browser, "active-profile");
    assert.equal(await header.getAttribute("data-profile"), "Sandbox");
    const account = await byTestId(browser, "header-account");
    await waitAttr(account, "data-account-id", DEMO_ACCOUNT);
    assert.match(await account.getText(), new RegExp(DEMO_ACCOUNT));
    await screenshot(browser, "profiles-first-launch");
  });

  it("adds a profile with a wrong secret; Test connection says AuthFailed with the RequestId", async () => {
    await byTestId(browser, "profile-add").click();
    await byTestId(browser, "profile-form").waitForExist({ timeout: 5000 });
    await byTestId(browser, "profile-name").setValue(NAME);
    await byTestId(browser, "profile-access-key-id").setValue("LTAI5tSandboxAdmin000001");
    await byTestId(browser, "profile-access-key-secret").setValue(WRONG_SECRET);
    await byTestId(browser, "profile-region").setValue("cn-hangzhou");
    await byTestId(browser, "profile-endpoint").setValue(app.sandbox.endpoint);
    await screenshot(browser, "profiles-add-form");
    await byTestId(browser, "profile-form-save").click();
    const row = await byTestId(browser, `profile-row-${NAME}`);
    await row.waitForExist({ timeout: 10000 });
    await byTestId(browser, "profile-form").waitForExist({ reverse: true, timeout: 5000 });
    assert.match(await row.getText(), /LTAI5tSandboxAdmin000001/);

    // Stored: settings in profiles.json, the key in the keyring (the listing says so).
    const listing = (await invoke(browser, "profiles_list")).value;
    const entry = listing.profiles.find((e) => e.profile.name === NAME);
    assert.deepEqual(entry.key, { state: "stored", accessKeyId: "LTAI5tSandboxAdmin000001" });
    assert.equal(entry.profile.endpoint, app.sandbox.endpoint);
    assert.ok(!JSON.stringify(listing).includes(WRONG_SECRET));

    await byTestId(browser, `profile-test-${NAME}`).click();
    const result = await byTestId(browser, "profile-test-result");
    await waitAttr(result, "data-profile", NAME);
    await waitAttr(result, "data-state", "failed");
    const alert = await result.$('[data-testid="app-error"]');
    assert.equal(await alert.getAttribute("data-code"), "AuthFailed");
    const text = await alert.getText();
    assert.match(text, /SignatureDoesNotMatch/);
    assert.match(text, /RequestId/);
    assert.match(text, /[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/);
    assert.ok(!text.includes(WRONG_SECRET));
    await screenshot(browser, "profiles-test-auth-failed");
  });

  it("writes the wrong secret to no file under the app's log, data, config, cache or state dirs", async () => {
    // The log writer is non-blocking: wait until it has the save and the test.
    const logged = () => filesUnder(app.logDir).map((f) => readFileSync(f, "utf8")).join("");
    const deadline = Date.now() + 10000;
    while (!/connection test failed/.test(logged()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.match(logged(), /profile added/);
    assert.match(logged(), /connection test failed/);

    const roots = [
      process.env.XDG_CONFIG_HOME,
      process.env.XDG_DATA_HOME,
      process.env.XDG_CACHE_HOME,
      process.env.XDG_STATE_HOME,
      process.env.HOME,
    ];
    const files = [...new Set(roots.flatMap(filesUnder))];
    const profilesJson = files.find((f) => f.endsWith(join("appsnap-dev", "profiles.json")));
    assert.ok(profilesJson, `no profiles.json among ${files.length} files`);
    assert.match(readFileSync(profilesJson, "utf8"), new RegExp(NAME));
    assert.ok(files.some((f) => f.startsWith(app.logDir)), "the log files are among those searched");
    const leaks = files.filter((f) => readFileSync(f).includes(WRONG_SECRET));
    assert.deepEqual(leaks, [], `the secret is in ${leaks.join(", ")}`);
  });

  it("switches to the profile from the list and back to the Sandbox from the header", async () => {
    await byTestId(browser, `profile-use-${NAME}`).click();
    const header = await byTestId(browser, "active-profile");
    await waitAttr(header, "data-profile", NAME);
    await waitAttr(await byTestId(browser, `profile-row-${NAME}`), "data-current", "true");
    await waitAttr(await byTestId(browser, "header-account"), "data-state", "failed");
    assert.equal((await invoke(browser, "app_status")).value.profile, NAME);
    await screenshot(browser, "profiles-switched");

    await byTestId(browser, "header-profile-switch").click();
    await clickSettled(await byTestId(browser, "header-profile-option-Sandbox"));
    await waitAttr(header, "data-profile", "Sandbox");
    await waitAttr(await byTestId(browser, "profile-row-Sandbox"), "data-current", "true");
    await waitAttr(await byTestId(browser, "header-account"), "data-account-id", DEMO_ACCOUNT);
    assert.equal((await invoke(browser, "app_status")).value.profile, "Sandbox");
  });

  it("removes the profile and its keyring entry", async () => {
    await clickSettled(await byTestId(browser, `profile-remove-${NAME}`));
    await clickSettled(await byTestId(browser, "profile-remove-confirm"));
    await byTestId(browser, `profile-row-${NAME}`).waitForExist({ reverse: true, timeout: 10000 });
    const listing = (await invoke(browser, "profiles_list")).value;
    assert.deepEqual(listing.profiles, []);
    assert.equal(listing.current, "Sandbox");
    // Gone for real: testing it now finds no profile.
    const again = await invoke(browser, "profile_test", { name: NAME });
    assert.equal(again.error?.code, "NotFound");
    await screenshot(browser, "profiles-removed");
  });
});
