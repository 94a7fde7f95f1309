// The Profiles screen and the header's switcher over the in-memory backend.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { App } from "../../app/App";
import { createAppRuntime, type AppRuntime } from "../../app/runtime";
import { createMemoryBackend, type MemoryBackend } from "../../backend/memoryBackend";

let runtime: AppRuntime;

function show(backend: MemoryBackend) {
  window.location.hash = "#/profiles";
  runtime = createAppRuntime(backend);
  render(<App runtime={runtime} />);
}

/** antd puts a Checkbox's test id on the input or on its wrapper. */
const checkbox = (testId: string) => {
  const el = screen.getByTestId(testId);
  return (el.tagName === "INPUT" ? el : el.querySelector("input")!) as HTMLInputElement;
};

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});
afterEach(() => runtime?.dispose());

const WORK = {
  profile: { name: "work", region: "cn-hangzhou", signature: "acs3" as const, network: "public" as const },
  key: { state: "stored" as const, accessKeyId: "LTAIwork" },
};

describe("ProfilesScreen", () => {
  it("lists the Sandbox first and current, saying it is a simulated cloud; the header shows its account", async () => {
    show(createMemoryBackend({ profiles: [WORK] }));
    const rows = await screen.findAllByTestId(/^profile-row-/);
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual(["profile-row-Sandbox", "profile-row-work"]);
    expect(rows[0]!.getAttribute("data-current")).toBe("true");
    expect(within(rows[0]!).getByTestId("profile-sandbox-note").textContent).toContain("simulated cloud");
    expect(within(rows[0]!).queryByTestId("profile-edit-Sandbox")).toBeNull();
    expect(within(rows[0]!).queryByTestId("profile-remove-Sandbox")).toBeNull();
    expect(within(rows[1]!).getByText("LTAIwork")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("header-account").getAttribute("data-account-id")).toBe("1688000000000001"));
    expect(screen.getByTestId("header-account").textContent).toBe("Account 1688000000000001");
  });

  it("refuses a form that breaks the rules without calling the backend", async () => {
    const backend = createMemoryBackend();
    show(backend);
    fireEvent.click(await screen.findByTestId("profile-add"));
    type("profile-name", "bad name");
    type("profile-endpoint", "http://10.0.0.5");
    fireEvent.click(screen.getByTestId("profile-kind-ramRoleArn"));
    type("profile-role-arn", "acs:ram::1:user/x");
    fireEvent.click(screen.getByTestId("profile-form-save"));
    expect((await screen.findByTestId("profile-error-name")).textContent).toContain("1 to 64 characters");
    expect(screen.getByTestId("profile-error-endpoint").textContent).toContain("127.0.0.1");
    expect(screen.getByTestId("profile-error-roleArn").textContent).toContain("acs:ram::<account ID>:role/<role name>");
    expect(screen.getByTestId("profile-error-accessKeyId")).toBeTruthy();
    expect(screen.getByTestId("profile-error-accessKeySecret")).toBeTruthy();
    expect(backend.calls.some((c) => c.command === "profile_add")).toBe(false);
  });

  it("adds an STS token profile: the secret goes to the backend once and is shown nowhere", async () => {
    const backend = createMemoryBackend();
    show(backend);
    fireEvent.click(await screen.findByTestId("profile-add"));
    type("profile-name", "temp");
    fireEvent.click(screen.getByTestId("profile-kind-stsToken"));
    type("profile-access-key-id", "STS.example");
    type("profile-access-key-secret", "never-shown-secret");
    type("profile-security-token", "never-shown-token");
    type("profile-region", "cn-shanghai");
    fireEvent.click(screen.getByTestId("profile-form-save"));
    const row = await screen.findByTestId("profile-row-temp");
    expect(within(row).getByTestId("profile-kind-tag-temp").textContent).toBe("STS token");
    const add = backend.calls.find((c) => c.command === "profile_add");
    expect(add?.args).toEqual({
      input: {
        profile: { name: "temp", kind: { type: "stsToken" }, region: "cn-shanghai", signature: "acs3", endpoint: undefined, network: "public" },
        secret: { accessKeyId: "STS.example", accessKeySecret: "never-shown-secret", securityToken: "never-shown-token" },
      },
    });
    await waitFor(() => expect(screen.queryByTestId("profile-form")).toBeNull());
    expect(document.body.innerHTML).not.toContain("never-shown");
  });

  it("tests a connection: the identity on success, the error with its RequestId and hint on failure", async () => {
    const backend = createMemoryBackend({
      profiles: [WORK],
      identities: {
        work: {
          code: "AuthFailed",
          message: "InvalidAccessKeyId.NotFound: Specified access key is not found.",
          requestId: "REQ-AUTH-1",
          hint: { key: "CheckAccessKey", params: {} },
        },
      },
    });
    show(backend);
    fireEvent.click(await screen.findByTestId("profile-test-Sandbox"));
    await waitFor(() => expect(screen.getByTestId("profile-test-result").getAttribute("data-state")).toBe("ok"));
    expect(screen.getByTestId("profile-test-account").textContent).toBe("1688000000000001");
    expect(screen.getByTestId("profile-test-arn").textContent).toBe("acs:ram::1688000000000001:user/admin");
    expect(screen.getByTestId("profile-test-type").textContent).toBe("RAMUser");

    fireEvent.click(screen.getByTestId("profile-test-work"));
    await waitFor(() => expect(screen.getByTestId("profile-test-result").getAttribute("data-state")).toBe("failed"));
    const alert = within(screen.getByTestId("profile-test-result")).getByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe("AuthFailed");
    expect(alert.textContent).toContain("REQ-AUTH-1");
    expect(alert.textContent).toContain("Check the profile's AccessKey ID and AccessKey secret");
    expect(backend.calls.filter((c) => c.command === "profile_test").map((c) => c.args)).toContainEqual({ name: "work" });
  });

  it("switches from the list and from the header, and the header follows", async () => {
    const backend = createMemoryBackend({
      profiles: [WORK],
      identities: {
        work: { profile: "work", accountId: "5000000000000002", arn: "acs:ram::5000000000000002:user/ops", identityType: "RAMUser", principalId: "p", requestId: "r" },
      },
    });
    show(backend);
    fireEvent.click(await screen.findByTestId("profile-use-work"));
    await waitFor(() => expect(screen.getByTestId("active-profile").getAttribute("data-profile")).toBe("work"));
    await waitFor(() => expect(screen.getByTestId("profile-row-work").getAttribute("data-current")).toBe("true"));
    await waitFor(() => expect(screen.getByTestId("header-account").getAttribute("data-account-id")).toBe("5000000000000002"));
    expect(backend.world.status.profile).toBe("work");

    fireEvent.click(screen.getByTestId("header-profile-switch"));
    fireEvent.click(await screen.findByTestId("header-profile-option-Sandbox"));
    await waitFor(() => expect(screen.getByTestId("active-profile").getAttribute("data-profile")).toBe("Sandbox"));
    await waitFor(() => expect(screen.getByTestId("profile-row-Sandbox").getAttribute("data-current")).toBe("true"));
    expect(backend.calls.filter((c) => c.command === "profile_select").map((c) => c.args)).toEqual([{ name: "work" }, { name: "Sandbox" }]);
  });

  it("removes a profile; the current one falls back to the Sandbox", async () => {
    const backend = createMemoryBackend({ profiles: [WORK] });
    backend.world.status = { ...backend.world.status, profile: "work" };
    show(backend);
    fireEvent.click(await screen.findByTestId("profile-remove-work"));
    fireEvent.click(await screen.findByTestId("profile-remove-confirm"));
    await waitFor(() => expect(screen.queryByTestId("profile-row-work")).toBeNull());
    await waitFor(() => expect(screen.getByTestId("active-profile").getAttribute("data-profile")).toBe("Sandbox"));
    expect(screen.getByTestId("profile-row-Sandbox").getAttribute("data-current")).toBe("true");
  });

  it("imports the picked aliyun CLI profiles; ones that cannot be imported cannot be picked", async () => {
    const backend = createMemoryBackend({
      cliImport: {
        path: "/home/admin/.aliyun/config.json",
        found: true,
        profiles: [
          { name: "default", mode: "AK", region: "cn-hangzhou", accessKeyId: "LTAIcli" },
          { name: "ecs", mode: "EcsRamRole", problem: "mode EcsRamRole cannot be imported (AK, StsToken and RamRoleArn can)" },
        ],
      },
    });
    show(backend);
    fireEvent.click(await screen.findByTestId("profile-import-open"));
    await screen.findByTestId("profile-import-row-default");
    expect(screen.getByTestId("profile-import-problem-ecs").textContent).toContain("cannot be imported");
    expect(checkbox("profile-import-pick-ecs").disabled).toBe(true);
    fireEvent.click(checkbox("profile-import-pick-default"));
    fireEvent.click(screen.getByTestId("profile-import-confirm"));
    const row = await screen.findByTestId("profile-row-default");
    expect(within(row).getByText("LTAIcli")).toBeTruthy();
    expect(backend.calls.find((c) => c.command === "profile_import")?.args).toEqual({ names: ["default"] });
  });
});
