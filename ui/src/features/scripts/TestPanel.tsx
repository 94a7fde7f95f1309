// The test run: per instance the verdict, both scripts' exit codes and outputs, and the
// freeze window (plus the snapshot's allowance) as a bar against the freeze timeout.
import { Button, Card, Descriptions, Progress, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { InstanceRef } from "../../bindings/InstanceRef";
import type { ScriptRun } from "../../bindings/ScriptRun";
import type { ScriptsEvent } from "../../bindings/ScriptsEvent";
import type { TestRun } from "../../bindings/TestRun";
import type { TaskControl } from "../../backend/useTask";
import { ErrorAlert } from "../../components/ErrorAlert";

type Test = TaskControl<{ instances: InstanceRef[]; timeoutSeconds: number }, ScriptsEvent, TestRun[]>;

/** The share of the timeout the window with the snapshot's allowance takes, 0–100. */
export function windowPercent(run: TestRun): number | undefined {
  if (run.freezeWindowMs === null) return undefined;
  const used = run.freezeWindowMs + run.snapshotAllowanceMs;
  return Math.min(100, Math.round((used / (run.timeoutSeconds * 1000)) * 1000) / 10);
}

export function TestPanel({ task, targets, timeout }: { task: Test; targets: InstanceRef[]; timeout: number }) {
  const { t } = useTranslation();
  const running = task.status === "running";
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="scripts-test" data-status={task.status}>
      <Button
        data-testid="scripts-test-start"
        disabled={targets.length === 0 || running}
        loading={running}
        onClick={() => void task.start({ instances: targets, timeoutSeconds: timeout })}
      >
        {t("scripts.test.start", { count: targets.length })}
      </Button>
      {task.error ? <ErrorAlert error={task.error} context={t("scripts.test.failed")} /> : null}
      {task.result?.map((r) => <RunCard key={r.instanceId} run={r} />)}
    </Space>
  );
}

function RunCard({ run }: { run: TestRun }) {
  const { t } = useTranslation();
  const percent = windowPercent(run);
  const good = run.verdict === "Passed";
  return (
    <Card
      size="small"
      data-testid={`scripts-test-${run.instanceId}`}
      data-verdict={run.verdict}
      title={<Space>{run.instanceId}<Tag color={good ? "success" : "error"}>{t(`scripts.verdict.${run.verdict}`)}</Tag></Space>}
    >
      {run.error ? <Typography.Paragraph type="danger">{run.error}</Typography.Paragraph> : null}
      {percent !== undefined ? (
        <div
          data-testid={`scripts-freeze-window-${run.instanceId}`}
          data-window-ms={run.freezeWindowMs}
          data-timeout-ms={run.timeoutSeconds * 1000}
          data-within={String(run.withinTimeout)}
        >
          <Typography.Text>
            {t("scripts.test.window", { ms: run.freezeWindowMs, allowance: run.snapshotAllowanceMs, timeout: run.timeoutSeconds })}
          </Typography.Text>
          <Progress percent={percent} status={run.withinTimeout === false ? "exception" : good ? "success" : "normal"} format={() => `${percent}%`} />
        </div>
      ) : null}
      <Descriptions size="small" column={1} items={(["freeze", "thaw"] as const).map((role) => ({ key: role, label: t(`scripts.role.${role}`), children: <Run run={run[role]} role={role} id={run.instanceId} /> }))} />
    </Card>
  );
}

function Run({ run, role, id }: { run: ScriptRun | null; role: string; id: string }) {
  const { t } = useTranslation();
  if (!run) return <Typography.Text type="secondary">{t("scripts.test.notRun")}</Typography.Text>;
  return (
    <div data-testid={`scripts-test-${id}-${role}`} data-exit={run.exitCode}>
      <Space>
        <Tag color={run.exitCode === 0 ? "success" : "error"}>{t("scripts.test.exit", { code: run.exitCode })}</Tag>
        <span>{t("scripts.test.duration", { ms: run.durationMs })}</span>
        {run.timedOut ? <Tag color="error">{t("scripts.test.timedOut")}</Tag> : null}
      </Space>
      <pre className="scripts-output">{run.output}</pre>
    </div>
  );
}
