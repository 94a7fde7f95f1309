// The push task: per-instance progress from the streamed events, then per file the
// verified SHA-256, mode and owner as read back.
import { Button, Space, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { InstancePush } from "../../bindings/InstancePush";
import type { InstanceRef } from "../../bindings/InstanceRef";
import type { PushReport } from "../../bindings/PushReport";
import type { ScriptsEvent } from "../../bindings/ScriptsEvent";
import type { TaskControl } from "../../backend/useTask";
import { ErrorAlert } from "../../components/ErrorAlert";
import type { ScriptPair } from "./pair";

type Push = TaskControl<{ instances: InstanceRef[]; source: string; freeze: string; thaw: string }, ScriptsEvent, PushReport>;

interface Props {
  task: Push;
  pair: ScriptPair | undefined;
  targets: InstanceRef[];
}

/** Per instance: files SendFile finished and whether the read-back matched. */
export function progressOf(events: ScriptsEvent[]): Record<string, { files: number; verified?: boolean }> {
  const out: Record<string, { files: number; verified?: boolean }> = {};
  for (const e of events) {
    if (e.kind === "fileDone") (out[e.instanceId] ??= { files: 0 }).files += 1;
    if (e.kind === "verified") (out[e.instanceId] ??= { files: 0 }).verified = e.verified;
  }
  return out;
}

export function PushPanel({ task, pair, targets }: Props) {
  const { t } = useTranslation();
  const running = task.status === "running";
  const progress = progressOf(task.events);
  const rows: (InstanceRef & { report?: InstancePush })[] = targets.map((x) => ({
    ...x,
    report: task.result?.instances.find((i) => i.instanceId === x.instanceId),
  }));
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="scripts-push" data-status={task.status}>
      <Space>
        <Button
          type="primary"
          data-testid="scripts-push-start"
          disabled={!pair || targets.length === 0 || running}
          loading={running}
          onClick={() => pair && void task.start({ instances: targets, ...pair })}
        >
          {t("scripts.push.start", { count: targets.length })}
        </Button>
        {!pair ? <Typography.Text type="secondary">{t("scripts.push.noPair")}</Typography.Text> : null}
      </Space>
      {task.error ? <ErrorAlert error={task.error} context={t("scripts.push.failed")} /> : null}
      {task.result?.warnings.map((w, i) => <Typography.Text key={i} type="warning">{w.message}</Typography.Text>)}
      {task.status !== "idle" ? (
        <Table
          size="small"
          pagination={false}
          rowKey="instanceId"
          dataSource={rows}
          columns={[
            { title: t("scripts.push.instance"), dataIndex: "instanceId" },
            {
              title: t("scripts.push.progress"),
              render: (_, r) => {
                const p = progress[r.instanceId];
                const verified = r.report?.verified ?? p?.verified;
                return (
                  <span data-testid={`scripts-push-row-${r.instanceId}`} data-files={p?.files ?? 0} data-verified={verified === undefined ? "pending" : String(verified)}>
                    {verified === undefined ? (
                      <Tag color="processing">{t("scripts.push.fileCount", { done: p?.files ?? 0, total: 2 })}</Tag>
                    ) : verified ? (
                      <Tag color="success">{t("scripts.push.verified")}</Tag>
                    ) : (
                      <Tag color="error">{r.report?.verifyError ?? t("scripts.push.notVerified")}</Tag>
                    )}
                  </span>
                );
              },
            },
            {
              title: t("scripts.push.filesTitle"),
              render: (_, r) =>
                r.report?.files.map((f) => (
                  <div key={f.role}>
                    <code>{f.path}</code>{" "}
                    <Tag>{f.found ? `${f.found.owner}:${f.found.group} ${f.found.mode}` : f.sendStatus}</Tag>
                    <Typography.Text code copyable data-testid={`scripts-push-hash-${r.instanceId}-${f.role}`} data-sha256={f.sha256}>
                      {f.sha256.slice(0, 16)}…
                    </Typography.Text>
                    {f.mismatches.length ? <Tag color="error">{f.mismatches.join(", ")}</Tag> : null}
                  </div>
                )),
            },
          ]}
        />
      ) : null}
    </Space>
  );
}
