// Step 4 of the wizard: the `ram_apply` task with live progress per step and per
// instance from its events, and Cancel. `data-status` is read by tests.
import { Alert, Button, Card, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { RamApplyEvent } from "../../bindings/RamApplyEvent";
import type { RamApplyReport } from "../../bindings/RamApplyReport";
import type { RamOptions } from "../../bindings/RamOptions";
import type { RamPlan } from "../../bindings/RamPlan";
import type { TaskControl } from "../../backend/useTask";
import { ErrorAlert } from "../../components/ErrorAlert";
import { applyProgress, type StepStatus } from "./applyProgress";
import { BlockerAlert } from "./BlockerAlert";

export type ApplyTask = TaskControl<{ options: RamOptions }, RamApplyEvent, RamApplyReport>;

const COLOURS: Record<StepStatus, string> = {
  pending: "default",
  unchanged: "success",
  running: "processing",
  retrying: "warning",
  verifying: "processing",
  done: "success",
  skipped: "default",
  blocked: "error",
  conflict: "warning",
  failed: "error",
};

interface Props {
  task: ApplyTask;
  plan: RamPlan;
  options: RamOptions;
  /** Why apply may not start yet (an unresolved role or policy conflict). */
  refusal?: string;
  onSummary: () => void;
}

export function ApplyPanel({ task, plan, options, refusal, onSummary }: Props) {
  const { t } = useTranslation();
  const progress = applyProgress(task.events);
  const steps = (progress.plan ?? plan).steps;
  const running = task.status === "running";
  return (
    <Card size="small" data-testid="ram-apply" data-status={task.status}>
      <Typography.Paragraph type="secondary">{t("ram.apply.help")}</Typography.Paragraph>
      {refusal ? <Alert type="warning" showIcon data-testid="ram-apply-refused" title={refusal} /> : null}
      <Space>
        <Button
          type="primary"
          data-testid="ram-apply-start"
          disabled={running || !!refusal}
          onClick={() => void task.start({ options })}
        >
          {task.status === "idle" ? t("ram.apply.start") : t("ram.apply.again")}
        </Button>
        {running ? (
          <Button data-testid="ram-apply-cancel" loading={task.cancelling} onClick={() => void task.cancel()}>
            {t("ram.apply.cancel")}
          </Button>
        ) : null}
        {task.status === "done" ? (
          <Button data-testid="ram-apply-summary" onClick={onSummary}>
            {t("ram.apply.toSummary")}
          </Button>
        ) : null}
      </Space>
      <ul className="ram-rows">
        {steps.map((s) => {
          const p = progress.steps[s.id] ?? { status: "pending" as const };
          return (
            <li key={s.id} data-testid={`ram-progress-${s.id}`} data-status={p.status}>
              <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                <Space>
                  <Tag color={COLOURS[p.status]}>{t(`ram.apply.status.${p.status}`, { code: p.code ?? "" })}</Tag>
                  <span>{t(`ram.kind.${s.kind}`)}</span>
                  <Typography.Text code>{s.target}</Typography.Text>
                </Space>
                {p.note ? <Typography.Text type="secondary">{p.note}</Typography.Text> : null}
                {p.blocker ? <BlockerAlert blocker={p.blocker} /> : null}
                {p.error ? <ErrorAlert error={p.error} /> : null}
              </Space>
            </li>
          );
        })}
      </ul>
      {task.status === "cancelled" ? (
        <Alert type="info" showIcon data-testid="ram-apply-cancelled" title={t("ram.apply.cancelled")} />
      ) : null}
      {task.status === "failed" && task.error ? <ErrorAlert error={task.error} context={t("ram.apply.failed")} /> : null}
    </Card>
  );
}
