import { describe, expect, it } from "vitest";
import type { PlanStep } from "../../bindings/PlanStep";
import { applyProgress } from "./applyProgress";

const step = (id: string, kind: PlanStep["kind"], state: PlanStep["state"], extra: Partial<PlanStep> = {}): PlanStep => ({
  id,
  kind,
  target: id,
  state,
  detail: "",
  request: [],
  ...extra,
});

describe("applyProgress", () => {
  it("starts from the plan, then follows each step's events in order", () => {
    const blocker = { permission: "ram:PassRole", code: "InvalidUser.PassRoleForbidden", requestId: "R-1", message: "m" };
    const p = applyProgress([
      {
        event: "planned",
        plan: {
          steps: [
            step("role", "role", "done"),
            step("policy", "policy", "todo"),
            step("attachment", "attachment", "todo"),
            step("instance:i-1", "instance", "todo"),
            step("instance:i-2", "instance", "conflict"),
            step("instance:i-3", "instance", "conflict", { resolution: "skip" }),
          ],
          instances: [],
        },
      },
      { event: "stepStarted", stepId: "policy" },
      { event: "retrying", stepId: "policy", attempt: 1, code: "Throttling.User", delayMs: 500 },
      { event: "stepDone", stepId: "policy", detail: "Created AppSnapshotPolicy." },
      { event: "stepStarted", stepId: "attachment" },
      { event: "stepFailed", stepId: "attachment", error: { code: "Cloud", message: "boom", requestId: "R-2" } },
      { event: "stepStarted", stepId: "instance:i-1" },
      { event: "verifying", stepId: "instance:i-1", instanceId: "i-1", attempt: 2, message: "not visible yet" },
      { event: "stepBlocked", stepId: "instance:i-1", blocker },
    ]);
    expect(p.plan?.steps).toHaveLength(6);
    expect(Object.fromEntries(Object.entries(p.steps).map(([id, s]) => [id, s.status]))).toEqual({
      role: "unchanged",
      policy: "done",
      attachment: "failed",
      "instance:i-1": "blocked",
      "instance:i-2": "conflict",
      "instance:i-3": "pending",
    });
    expect(p.steps.policy?.note).toBe("Created AppSnapshotPolicy.");
    expect(p.steps.attachment?.error?.requestId).toBe("R-2");
    expect(p.steps["instance:i-1"]?.blocker).toEqual(blocker);
  });

  it("shows a retry with the cloud's code while it waits", () => {
    const p = applyProgress([
      { event: "stepStarted", stepId: "role" },
      { event: "retrying", stepId: "role", attempt: 2, code: "ServiceUnavailable", delayMs: 1000 },
    ]);
    expect(p.plan).toBeUndefined();
    expect(p.steps.role).toEqual({ status: "retrying", code: "ServiceUnavailable", note: "#2" });
  });
});
