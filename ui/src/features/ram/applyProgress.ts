// What a RAM apply's events add up to so far: the plan it works from and, per step, how
// far it got. Steps the apply will not touch keep their plan state.
import type { AppError } from "../../bindings/AppError";
import type { Blocker } from "../../bindings/Blocker";
import type { PlanStep } from "../../bindings/PlanStep";
import type { RamApplyEvent } from "../../bindings/RamApplyEvent";
import type { RamPlan } from "../../bindings/RamPlan";

export type StepStatus =
  | "pending"
  | "unchanged"
  | "running"
  | "retrying"
  | "verifying"
  | "done"
  | "skipped"
  | "blocked"
  | "conflict"
  | "failed";

export interface StepProgress {
  status: StepStatus;
  /** The engine's last words on the step (retry code, skip reason, detail). */
  note?: string;
  code?: string;
  blocker?: Blocker;
  error?: AppError;
}

export interface ApplyProgress {
  plan?: RamPlan;
  steps: Record<string, StepProgress>;
}

function initial(step: PlanStep): StepProgress {
  switch (step.state) {
    case "done":
      return { status: "unchanged" };
    case "blocked":
      return { status: "blocked", blocker: step.blocker };
    case "conflict":
      return step.kind === "instance" && step.resolution ? { status: "pending" } : { status: "conflict" };
    case "todo":
      return { status: "pending" };
  }
}

export function applyProgress(events: readonly RamApplyEvent[]): ApplyProgress {
  let plan: RamPlan | undefined;
  const steps: Record<string, StepProgress> = {};
  for (const e of events) {
    switch (e.event) {
      case "planned":
        plan = e.plan;
        for (const s of e.plan.steps) steps[s.id] = initial(s);
        break;
      case "stepStarted":
        steps[e.stepId] = { status: "running" };
        break;
      case "retrying":
        steps[e.stepId] = { status: "retrying", code: e.code, note: `#${e.attempt}` };
        break;
      case "verifying":
        steps[e.stepId] = { status: "verifying", note: e.message };
        break;
      case "stepDone":
        steps[e.stepId] = { status: "done", note: e.detail };
        break;
      case "stepSkipped":
        steps[e.stepId] = { status: "skipped", note: e.reason };
        break;
      case "stepBlocked":
        steps[e.stepId] = { status: "blocked", blocker: e.blocker };
        break;
      case "stepConflict":
        steps[e.stepId] = { status: "conflict", note: e.detail };
        break;
      case "stepFailed":
        steps[e.stepId] = { status: "failed", error: e.error };
        break;
    }
  }
  return { plan, steps };
}
