// Step 5 of the wizard: whether every step is done, each step's state, and where the
// RAM console shows the role and the policy (copyable: the app opens no web pages).
import { Button, Card, Result, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RamOptions } from "../../bindings/RamOptions";
import type { RamPlan } from "../../bindings/RamPlan";
import { describeStep } from "./PlanStepCard";
import { consoleLinks } from "./ramNames";
import { StepStateTag } from "./StepStateTag";

interface Props {
  plan: RamPlan;
  options: RamOptions;
  onReview: () => void;
  onInstances: () => void;
}

export function allDone(plan: RamPlan): boolean {
  return plan.steps.every((s) => s.state === "done");
}

export function RamSummary({ plan, options, onReview, onInstances }: Props) {
  const { t } = useTranslation();
  const done = allDone(plan);
  const links = consoleLinks(options);
  const roleOf = (id: string) => plan.instances.find((i) => i.instanceId === id)?.currentRole;
  return (
    <Card size="small" data-testid="ram-summary" data-all-done={String(done)}>
      <Result
        status={done ? "success" : "warning"}
        title={done ? t("ram.summary.allDone") : t("ram.summary.notDone")}
        subTitle={done ? t("ram.summary.allDoneText") : t("ram.summary.notDoneText")}
        extra={
          <Space>
            <Button data-testid="ram-summary-review" onClick={onReview}>
              {t("ram.summary.review")}
            </Button>
            <Button data-testid="ram-summary-instances" onClick={onInstances}>
              {t("ram.summary.changeInstances")}
            </Button>
          </Space>
        }
      />
      <ul className="ram-rows">
        {plan.steps.map((s) => (
          <li key={s.id} data-testid={`ram-summary-step-${s.id}`} data-state={s.state}>
            <Space>
              <StepStateTag state={s.state} />
              <span>{describeStep(t, s, options, roleOf(s.target))}</span>
            </Space>
          </li>
        ))}
      </ul>
      <Typography.Title level={5}>{t("ram.summary.console")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("ram.summary.consoleHelp")}</Typography.Paragraph>
      <Typography.Paragraph data-testid="ram-console-role" data-url={links.role}>
        {t("ram.summary.consoleRole", { name: options.roleName })}:{" "}
        <Typography.Text copyable={{ text: links.role }}>{links.role}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph data-testid="ram-console-policy" data-url={links.policy}>
        {t("ram.summary.consolePolicy", { name: options.policyName })}:{" "}
        <Typography.Text copyable={{ text: links.policy }}>{links.policy}</Typography.Text>
      </Typography.Paragraph>
    </Card>
  );
}
