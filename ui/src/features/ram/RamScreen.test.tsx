import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { BackendProvider } from "../../backend/BackendContext";
import { createMemoryBackend, type MemoryBackend } from "../../backend/memoryBackend";
import { ECS_TRUST, memoryRam, SEED_POLICY } from "../../backend/memoryRam";
import type { RamOptions } from "../../bindings/RamOptions";
import { RamScreen } from "./RamScreen";

function show(backend: MemoryBackend, client = new QueryClient({ defaultOptions: { queries: { retry: false } } })) {
  return render(
    <QueryClientProvider client={client}>
      <BackendProvider backend={backend}>
        <RamScreen />
      </BackendProvider>
    </QueryClientProvider>,
  );
}

const wizardStep = () => screen.getByTestId("ram-wizard").getAttribute("data-step");
const stepState = (id: string) => screen.getByTestId(`ram-step-${id}`).getAttribute("data-state");
const next = () => fireEvent.click(screen.getByTestId("ram-next"));
const lastPlanOptions = (b: MemoryBackend) =>
  (b.calls.filter((c) => c.command === "ram_plan").at(-1)?.args as { options: RamOptions }).options;

async function toReview() {
  await waitFor(() => expect(screen.getByTestId("ram-next").hasAttribute("disabled")).toBe(false));
  next();
  await screen.findByTestId("ram-plan");
}

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});

describe("RamScreen (the RAM setup wizard)", () => {
  it("explains the role, then shows a fresh account's plan all to do with the exact requests", async () => {
    const backend = createMemoryBackend();
    show(backend);
    expect(wizardStep()).toBe("why");
    expect(screen.getByTestId("ram-why-text").textContent).toContain("calls the snapshot APIs");
    expect((screen.getByTestId("ram-role-name") as HTMLInputElement).value).toBe("AppSnapshotRoleName");
    await toReview();
    expect(wizardStep()).toBe("review");
    expect([stepState("role"), stepState("policy"), stepState("attachment")]).toEqual(["todo", "todo", "todo"]);
    const tag = within(screen.getByTestId("ram-step-role")).getByTestId("ram-state-tag");
    expect(tag.textContent).toBe("To do");
    const role = screen.getByTestId("ram-request-role").textContent ?? "";
    expect(role).toContain('"action": "CreateRole"');
    expect(role).toContain('"RoleName": "AppSnapshotRoleName"');
    expect(role).toContain(JSON.stringify(ECS_TRUST).slice(1, 40));
    expect(screen.getByTestId("ram-request-policy").textContent).toContain('"action": "CreatePolicy"');
    expect(screen.getByTestId("ram-step-policy").textContent).toContain(
      "Custom policy AppSnapshotPolicy does not exist yet",
    );
  });

  it("refuses a name that breaks RAM's rules before asking for a plan", async () => {
    const backend = createMemoryBackend();
    show(backend);
    await waitFor(() => expect(backend.calls.some((c) => c.command === "ram_plan")).toBe(true));
    const plans = backend.calls.filter((c) => c.command === "ram_plan").length;
    fireEvent.change(screen.getByTestId("ram-role-name"), { target: { value: "my role!" } });
    expect(screen.getByTestId("ram-role-name").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("ram-next").hasAttribute("disabled")).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.calls.filter((c) => c.command === "ram_plan").length).toBe(plans);
    fireEvent.change(screen.getByTestId("ram-role-name"), { target: { value: "SnapRole.v2" } });
    await waitFor(() => expect(lastPlanOptions(backend).roleName).toBe("SnapRole.v2"));
  });

  it("shows a differing policy side by side and accepts 'use it anyway' only when it grants the actions", async () => {
    const broader = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}';
    const backend = createMemoryBackend({
      ram: memoryRam({ policies: { AppSnapshotPolicy: { document: broader, grants: true } } }),
    });
    show(backend);
    await toReview();
    expect(stepState("policy")).toBe("conflict");
    expect(within(screen.getByTestId("ram-step-policy")).getByTestId("ram-state-tag").textContent).toBe("Conflict");
    expect(screen.getByTestId("ram-diff-expected-policy").textContent).toContain('"ecs:CreateSnapshot*"');
    expect(screen.getByTestId("ram-diff-actual-policy").textContent).toContain('"ecs:*"');
    expect(screen.getByTestId("ram-diff-change").getAttribute("data-path")).toBe("$.Statement[0]");
    const useAnyway = screen.getByTestId("ram-use-anyway-policy");
    expect(useAnyway.getAttribute("data-enabled")).toBe("true");
    fireEvent.click(useAnyway);
    await waitFor(() => expect(stepState("policy")).toBe("done"));
    expect(lastPlanOptions(backend).useExistingPolicy).toBe(true);
  });

  it("keeps 'use it anyway' disabled for a narrower policy", async () => {
    const narrow = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:DescribeDisks","Resource":"*"}]}';
    show(createMemoryBackend({ ram: memoryRam({ policies: { AppSnapshotPolicy: { document: narrow, grants: false } } }) }));
    await toReview();
    expect(stepState("policy")).toBe("conflict");
    const useAnyway = screen.getByTestId("ram-use-anyway-policy");
    expect(useAnyway.getAttribute("data-enabled")).toBe("false");
    expect(useAnyway.closest("label")?.querySelector("input")?.disabled).toBe(true);
    expect(screen.getByTestId("ram-step-policy").textContent).toContain("It cannot be used");
  });

  it("names the missing permission, the cloud's code and the RequestId of a blocked step", async () => {
    const backend = createMemoryBackend({
      ram: memoryRam({
        blocked: { role: { permission: "ram:GetRole", code: "NoPermission", requestId: "REQ-42", message: "You are not authorized" } },
      }),
    });
    show(backend);
    await toReview();
    expect(stepState("role")).toBe("blocked");
    const blocker = within(screen.getByTestId("ram-step-role")).getByTestId("ram-blocker");
    expect([blocker.getAttribute("data-permission"), blocker.getAttribute("data-code")]).toEqual(["ram:GetRole", "NoPermission"]);
    const alert = within(blocker).getByTestId("app-error");
    expect(alert.getAttribute("data-code")).toBe("PermissionDenied");
    expect(alert.textContent).toContain("Missing permission: ram:GetRole (error code NoPermission)");
    expect(alert.textContent).toContain("lacks a permission for ram:GetRole");
    expect(alert.textContent).toContain("REQ-42");
  });

  it("lists instances by region and search, and asks extend / replace / skip for one with another role", async () => {
    const backend = createMemoryBackend();
    show(backend);
    await toReview();
    next();
    await screen.findByTestId("ram-instances");
    expect(screen.getAllByTestId(/^ram-instance-row-/)).toHaveLength(4);
    fireEvent.click(screen.getByTestId("ram-region-cn-shanghai"));
    expect(screen.getAllByTestId(/^ram-instance-row-/).map((r) => r.getAttribute("data-name"))).toEqual([
      "other-role-alinux3",
      "stopped-centos79",
    ]);
    fireEvent.click(screen.getByTestId("ram-region-all"));
    fireEvent.change(screen.getByTestId("ram-search"), { target: { value: "mysql" } });
    expect(screen.getAllByTestId(/^ram-instance-row-/).map((r) => r.getAttribute("data-name"))).toEqual(["app-centos79-mysql"]);
    fireEvent.click(screen.getByTestId("ram-pick-i-hz-mysql"));
    fireEvent.change(screen.getByTestId("ram-search"), { target: { value: "" } });
    expect(screen.getByTestId("ram-other-role-i-sh-other").textContent).toBe("Another RAM role");
    expect(screen.queryByTestId("ram-choices-i-sh-other")).toBeNull();
    fireEvent.click(screen.getByTestId("ram-pick-i-sh-other"));
    expect(screen.getByTestId("ram-selected-count").getAttribute("data-count")).toBe("2");
    expect(screen.getByTestId("ram-choose-all")).toBeTruthy();
    expect(screen.getByTestId("ram-next").hasAttribute("disabled")).toBe(true);
    fireEvent.click(screen.getByTestId("ram-choice-i-sh-other-replace"));
    expect(screen.getByTestId("ram-consequence-i-sh-other").textContent).toContain("loses its permissions");
    fireEvent.click(screen.getByTestId("ram-choice-i-sh-other-extend"));
    expect(screen.getByTestId("ram-consequence-i-sh-other").textContent).toContain(
      "Least disruptive: i-sh-other keeps RAM role OpsMonitoringRole",
    );
    expect(screen.getByTestId("ram-next").hasAttribute("disabled")).toBe(false);
    next();
    await screen.findByTestId("ram-apply");
    await waitFor(() => expect(lastPlanOptions(backend).resolutions).toEqual({ "i-sh-other": "extend" }));
    expect(lastPlanOptions(backend).instances.map((i) => i.instanceId)).toEqual(["i-hz-mysql", "i-sh-other"]);
  });

  it("applies with live progress per step and per instance, then shows the summary", async () => {
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const backend = createMemoryBackend({ beforeRamStep: () => gate });
    show(backend);
    await toReview();
    next();
    await screen.findByTestId("ram-instances");
    fireEvent.click(screen.getByTestId("ram-pick-i-hz-mysql"));
    fireEvent.click(screen.getByTestId("ram-pick-i-sh-other"));
    fireEvent.click(screen.getByTestId("ram-choice-i-sh-other-extend"));
    next();
    await screen.findByTestId("ram-apply");
    await waitFor(() => expect(screen.queryByTestId("ram-progress-instance:i-sh-other")).not.toBeNull());
    fireEvent.click(screen.getByTestId("ram-apply-start"));
    await waitFor(() => expect(screen.getByTestId("ram-apply").getAttribute("data-status")).toBe("running"));
    expect(screen.getByTestId("ram-progress-role").getAttribute("data-status")).toBe("pending");
    // One step per gate: the role is made while the instances still wait.
    const step = async () => {
      const open = release;
      gate = new Promise<void>((r) => (release = r));
      open();
      await new Promise((r) => setTimeout(r, 0));
    };
    await step();
    await waitFor(() => expect(screen.getByTestId("ram-progress-role").getAttribute("data-status")).toBe("done"));
    expect(screen.getByTestId("ram-progress-instance:i-hz-mysql").getAttribute("data-status")).toBe("pending");
    expect(screen.getByTestId("ram-progress-role").textContent).toContain("Done");
    for (let i = 0; i < 6; i++) await step();
    await waitFor(() => expect(screen.getByTestId("ram-apply").getAttribute("data-status")).toBe("done"));
    expect(screen.getByTestId("ram-progress-instance:i-hz-mysql").getAttribute("data-status")).toBe("done");
    expect(screen.getByTestId("ram-progress-instance:i-sh-other").getAttribute("data-status")).toBe("done");
    expect(backend.world.ram.roles.OpsMonitoringRole?.policies).toEqual(["AppSnapshotPolicy"]);
    fireEvent.click(screen.getByTestId("ram-apply-summary"));
    const summary = await screen.findByTestId("ram-summary");
    await waitFor(() => expect(summary.getAttribute("data-all-done")).toBe("true"));
    expect(summary.textContent).toContain("RAM setup is complete");
    expect(screen.getByTestId("ram-console-role").getAttribute("data-url")).toBe(
      "https://ram.console.aliyun.com/roles/detail?roleName=AppSnapshotRoleName",
    );
    expect(screen.getByTestId("ram-console-policy").textContent).toContain("policyName=AppSnapshotPolicy");
  });

  it("reopens on the summary after an apply, though the cache holds the plan from before it", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const backend = createMemoryBackend();
    const first = show(backend, client);
    await toReview();
    next();
    await screen.findByTestId("ram-instances");
    fireEvent.click(screen.getByTestId("ram-pick-i-hz-mysql"));
    next();
    await screen.findByTestId("ram-apply");
    await waitFor(() => expect(screen.getByTestId("ram-apply-start").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("ram-apply-start"));
    await waitFor(() => expect(screen.getByTestId("ram-apply").getAttribute("data-status")).toBe("done"));
    first.unmount();
    show(backend, client);
    await waitFor(() => expect(wizardStep()).toBe("summary"));
    expect(screen.getByTestId("ram-summary").getAttribute("data-all-done")).toBe("true");
    expect(screen.getByTestId("ram-summary-step-instance:i-hz-mysql").getAttribute("data-state")).toBe("done");
  });

  it("cancels a running apply by its task id", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const backend = createMemoryBackend({ beforeRamStep: () => (started++ === 0 ? Promise.resolve() : gate) });
    show(backend);
    await toReview();
    next();
    await screen.findByTestId("ram-instances");
    fireEvent.click(screen.getByTestId("ram-pick-i-hz-mysql"));
    next();
    await screen.findByTestId("ram-apply");
    await waitFor(() => expect(screen.getByTestId("ram-apply-start").hasAttribute("disabled")).toBe(false));
    fireEvent.click(screen.getByTestId("ram-apply-start"));
    await waitFor(() => expect(screen.getByTestId("ram-progress-role").getAttribute("data-status")).toBe("done"));
    fireEvent.click(screen.getByTestId("ram-apply-cancel"));
    await waitFor(() => expect(backend.calls.some((c) => c.command === "task_cancel")).toBe(true));
    release();
    await waitFor(() => expect(screen.getByTestId("ram-apply").getAttribute("data-status")).toBe("cancelled"));
    expect(screen.getByTestId("ram-apply-cancelled")).toBeTruthy();
    expect(backend.world.ram.policies.AppSnapshotPolicy).toBeUndefined();
    expect(backend.running()).toEqual([]);
  });

  it("goes straight to the summary with every step done when the account is set up", async () => {
    const ram = memoryRam({
      roles: {
        AppSnapshotRoleName: { trust: ECS_TRUST, trustsEcs: true, policies: ["AppSnapshotPolicy"] },
      },
      policies: { AppSnapshotPolicy: { document: SEED_POLICY, grants: true } },
    });
    ram.instances[0]!.currentRole = "AppSnapshotRoleName";
    show(createMemoryBackend({ ram }));
    const summary = await screen.findByTestId("ram-summary");
    expect(wizardStep()).toBe("summary");
    expect(summary.getAttribute("data-all-done")).toBe("true");
    for (const id of ["role", "policy", "attachment", "instance:i-hz-mysql"]) {
      expect(screen.getByTestId(`ram-summary-step-${id}`).getAttribute("data-state")).toBe("done");
    }
    expect(screen.getByTestId("ram-summary-step-instance:i-hz-mysql").textContent).toContain(
      "Instance i-hz-mysql holds RAM role AppSnapshotRoleName.",
    );
  });

  it("speaks Chinese with the console's words", async () => {
    await i18n.changeLanguage("zh-CN");
    show(createMemoryBackend());
    expect(screen.getByTestId("ram-why-text").textContent).toContain("实例RAM角色");
    await toReview();
    expect(within(screen.getByTestId("ram-step-role")).getByTestId("ram-state-tag").textContent).toBe("待执行");
    expect(screen.getByTestId("ram-step-policy").textContent).toContain("自定义权限策略");
  });
});
