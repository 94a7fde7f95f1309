// Step 2 of the wizard: every plan step with its state, meaning, diff and requests.
import { Space } from "antd";
import type { RamOptions } from "../../bindings/RamOptions";
import type { RamPlan } from "../../bindings/RamPlan";
import { PlanStepCard } from "./PlanStepCard";

interface Props {
  plan: RamPlan;
  options: RamOptions;
  onUseExisting: (kind: "role" | "policy", value: boolean) => void;
}

export function PlanReview({ plan, options, onUseExisting }: Props) {
  const roleOf = (id: string) => plan.instances.find((i) => i.instanceId === id)?.currentRole;
  return (
    <Space orientation="vertical" className="ram-plan" data-testid="ram-plan" style={{ width: "100%" }}>
      {plan.steps.map((step) => (
        <PlanStepCard
          key={step.id}
          step={step}
          options={options}
          currentRole={step.kind === "instance" ? roleOf(step.target) : undefined}
          useAnyway={step.kind === "role" ? options.useExistingRole : options.useExistingPolicy}
          onUseAnyway={(v) => step.kind === "role" || step.kind === "policy" ? onUseExisting(step.kind, v) : undefined}
        />
      ))}
    </Space>
  );
}
