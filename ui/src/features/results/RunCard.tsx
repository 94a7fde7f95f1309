// One instance-run of a job: status and consistency, the Cloud Assistant IDs and exit
// code, the snapshot group and every disk snapshot with its badge and tags, the
// explanation (each finding with its source), the decoded output, the console's
// addresses, and the timeline.
import { Card, Descriptions, Space, Steps, Table, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { GroupState } from "../../bindings/GroupState";
import type { RunResult } from "../../bindings/RunResult";
import { ConsoleLinks } from "./ConsoleLinks";
import { ConsistencyTag } from "./CreateSnapshotDialog";
import { DeleteGroupButton } from "./DeleteGroupButton";
import type { TimedEvent } from "./liveJobs";
import { RunOutput } from "./RunOutput";
import { formatDuration, shownStages, timeline } from "./timeline";

const STATUS_COLOR: Record<string, string> = { succeeded: "green", failed: "red", stuck: "red", cancelled: "default" };

function Copy({ value, testId }: { value: string | null; testId: string }) {
  return (
    <span data-testid={testId} data-value={value ?? ""}>
      {value ? (
        <Typography.Text copyable={{ text: value }} code>
          {value}
        </Typography.Text>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      )}
    </span>
  );
}

const GROUP_COLOR: Record<GroupState, string> = { accomplished: "green", available: "blue", failed: "red" };

function GroupStateTag({ run }: { run: RunResult }) {
  const { t } = useTranslation();
  const state = run.groupState;
  if (!state || !run.snapshotGroupId) return null;
  const tag = (
    <Tag color={GROUP_COLOR[state]} data-testid={`run-group-state-${run.instanceId}`} data-state={state}>
      {t(`results.groupState.${state}`)}
    </Tag>
  );
  return state === "available" ? <Tooltip title={t("results.groupState.availableHint")}>{tag}</Tooltip> : tag;
}

export function RunCard({ jobId, run, events }: { jobId: string; run: RunResult; events: readonly TimedEvent[] }) {
  const { t } = useTranslation();
  const id = run.instanceId;
  const stages = timeline(events, id);
  const shown = shownStages(stages);
  const reached = stages.length ? shown.indexOf(stages.at(-1)!.stage) : -1;
  return (
    <Card
      size="small"
      className="run-card"
      data-testid={`run-${id}`}
      data-status={run.status}
      data-consistency={run.consistency ?? ""}
      title={
        <Space wrap>
          <Typography.Text strong copyable>{id}</Typography.Text>
          <Tag>{run.regionId}</Tag>
          <Tag color={STATUS_COLOR[run.status] ?? "processing"} data-testid={`run-status-${id}`} data-status={run.status}>
            {t(`results.status.${run.status}`)}
          </Tag>
          {run.consistency ? <ConsistencyTag value={run.consistency} /> : null}
        </Space>
      }
    >
      {stages.length ? (
        <Steps
          size="small"
          current={reached}
          data-testid={`run-timeline-${id}`}
          items={shown.map((s, n) => {
            const st = stages.find((x) => x.stage === s);
            return {
              title: <span data-testid={`run-stage-${id}-${s}`} data-reached={n <= reached}>{t(`results.stage.${s}`)}</span>,
              description: st?.durationMs !== undefined ? formatDuration(st.durationMs) : undefined,
            };
          })}
        />
      ) : null}
      <Descriptions size="small" column={2} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t("results.commandId")}><Copy value={run.commandId} testId={`run-command-${id}`} /></Descriptions.Item>
        <Descriptions.Item label={t("results.invokeId")}><Copy value={run.invokeId} testId={`run-invoke-${id}`} /></Descriptions.Item>
        <Descriptions.Item label={t("results.exitCode")}>
          <span data-testid={`run-exit-${id}`} data-value={run.exitCode ?? ""}>{run.exitCode ?? "—"}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("results.group")}>
          <Space size={4} wrap>
            <Copy value={run.snapshotGroupId} testId={`run-group-${id}`} />
            <GroupStateTag run={run} />
          </Space>
        </Descriptions.Item>
      </Descriptions>
      {run.disks.length ? (
        <Table
          size="small"
          pagination={false}
          rowKey="snapshotId"
          dataSource={run.disks}
          data-testid={`run-disks-${id}`}
          columns={[
            { title: t("results.disk"), dataIndex: "diskId", render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
            { title: t("results.snapshot"), dataIndex: "snapshotId", render: (v: string) => <span data-testid={`run-snapshot-${v}`}><Typography.Text copyable>{v}</Typography.Text></span> },
            { title: t("results.consistencyTitle"), dataIndex: "consistency", render: (v: string) => <ConsistencyTag value={v} /> },
            {
              title: t("results.tags"),
              dataIndex: "tags",
              render: (tags: Record<string, string>) => (
                <>
                  {Object.entries(tags).map(([k, v]) => (
                    <Tag key={k} data-testid="run-disk-tag" data-tag={`${k}:${v}`}>{`${k}:${v}`}</Tag>
                  ))}
                </>
              ),
            },
          ]}
        />
      ) : null}
      {run.explanation.length ? (
        <div data-testid={`run-explanation-${id}`} className="run-explanation">
          <Typography.Text strong>{t("results.why")}</Typography.Text>
          <ul>
            {run.explanation.map((f, n) => (
              <li key={n} data-testid="run-finding" data-source={f.source}>
                <Tag>{t(`results.source.${f.source}`)}</Tag>
                {f.finding}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <DeleteGroupButton jobId={jobId} run={run} />
      <RunOutput instanceId={id} output={run.output} />
      <ConsoleLinks run={run} />
    </Card>
  );
}
