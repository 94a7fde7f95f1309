// One plan step: its state tag, what it means in the UI's language, the missing
// permission when blocked, the diff when an existing document differs, and the exact
// requests apply will send.
import { Card, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { PlanStep } from "../../bindings/PlanStep";
import type { RamOptions } from "../../bindings/RamOptions";
import { BlockerAlert } from "./BlockerAlert";
import { ConflictDiff } from "./ConflictDiff";
import { JsonBlock } from "./JsonBlock";
import { StepStateTag } from "./StepStateTag";

interface Props {
  step: PlanStep;
  options: RamOptions;
  currentRole?: string | null;
  useAnyway: boolean;
  onUseAnyway: (value: boolean) => void;
}

export function describeStep(
  t: ReturnType<typeof useTranslation>["t"],
  step: PlanStep,
  options: RamOptions,
  currentRole?: string | null,
): string {
  return t(`ram.describe.${step.kind}.${step.state}`, {
    name: step.target,
    role: options.roleName,
    policy: options.policyName,
    id: step.target,
    current: currentRole ?? "",
  });
}

export function PlanStepCard({ step, options, currentRole, useAnyway, onUseAnyway }: Props) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      className="ram-step"
      data-testid={`ram-step-${step.id}`}
      data-state={step.state}
      title={
        <Space>
          <StepStateTag state={step.state} />
          <span>{t(`ram.kind.${step.kind}`)}</span>
          <Typography.Text code>{step.target}</Typography.Text>
        </Space>
      }
    >
      <Typography.Paragraph className="ram-step-describe">{describeStep(t, step, options, currentRole)}</Typography.Paragraph>
      {step.resolution ? (
        <Typography.Paragraph type="secondary">
          {t("ram.review.choice", { choice: t(`ram.instances.${step.resolution}`) })}
        </Typography.Paragraph>
      ) : null}
      {step.blocker ? <BlockerAlert blocker={step.blocker} /> : null}
      {step.diff && step.kind !== "instance" ? (
        <ConflictDiff step={step} useAnyway={useAnyway} onUseAnyway={onUseAnyway} />
      ) : null}
      <Typography.Text strong>{t("ram.review.request")}</Typography.Text>
      {step.request.length > 0 ? (
        <JsonBlock text={JSON.stringify(step.request, null, 2)} testId={`ram-request-${step.id}`} />
      ) : (
        <Typography.Paragraph type="secondary" data-testid={`ram-request-${step.id}`} data-empty="true">
          {t("ram.review.noRequest")}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
