// Every instance-run of the current page, newest job first: virtualised the way the
// instance picker's table is (antd's `virtual` above `VIRTUAL_FROM` rows). The job id opens
// its detail; a run that made a snapshot group offers a rollback.
import { Button, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import type { HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryRow } from "../../bindings/HistoryRow";
import { VIRTUAL_FROM } from "../instances/FleetTable";
import { ConsistencyTag } from "../results/CreateSnapshotDialog";
import { formatTime } from "./historyView";

const STATUS_COLOR: Partial<Record<HistoryRow["status"], string>> = { succeeded: "green", failed: "red", stuck: "red" };

interface Props {
  rows: HistoryRow[];
  loading: boolean;
  onOpen(jobId: string): void;
  onRollback(row: HistoryRow): void;
}

export const rowKey = (r: HistoryRow) => `${r.jobId}/${r.instanceId}`;

export function HistoryTable({ rows, loading, onOpen, onRollback }: Props) {
  const { t } = useTranslation();
  const virtual = rows.length > VIRTUAL_FROM;
  const columns: TableColumnsType<HistoryRow> = [
    { key: "time", title: t("history.col.time"), width: 150, render: (_, r) => formatTime(r.createdMs) },
    {
      key: "job",
      title: t("history.col.job"),
      width: 170,
      render: (_, r) => (
        <Button type="link" size="small" data-testid={`history-open-${r.jobId}`} onClick={() => onOpen(r.jobId)}>
          {r.jobId}
        </Button>
      ),
    },
    { key: "instance", title: t("history.col.instance"), width: 200, render: (_, r) => <code>{r.instanceId}</code> },
    { key: "region", title: t("history.col.region"), width: 130, render: (_, r) => r.regionId },
    {
      key: "status",
      title: t("history.col.status"),
      width: 110,
      render: (_, r) => (
        <Tag color={STATUS_COLOR[r.status] ?? "processing"} data-testid="history-status" data-status={r.status}>
          {t(`results.status.${r.status}`)}
        </Tag>
      ),
    },
    {
      key: "consistency",
      title: t("history.col.consistency"),
      width: 170,
      render: (_, r) => (r.consistency ? <ConsistencyTag value={r.consistency} /> : "—"),
    },
    { key: "exit", title: t("history.col.exit"), width: 80, align: "right", render: (_, r) => r.exitCode ?? "—" },
    {
      key: "group",
      title: t("history.col.group"),
      width: 200,
      ellipsis: true,
      render: (_, r) => (r.snapshotGroupId ? <Typography.Text copyable>{r.snapshotGroupId}</Typography.Text> : "—"),
    },
    { key: "profile", title: t("history.col.profile"), width: 110, ellipsis: true, render: (_, r) => r.profile },
    {
      key: "rollback",
      title: "",
      width: 110,
      fixed: "right",
      render: (_, r) =>
        r.snapshotGroupId ? (
          <Button size="small" danger data-testid={`history-rollback-${r.jobId}-${r.instanceId}`} onClick={() => onRollback(r)}>
            {t("rollback.open")}
          </Button>
        ) : null,
    },
  ];
  return (
    <Table<HistoryRow>
      size="small"
      className="history-table"
      data-testid="history-table"
      rowKey={rowKey}
      loading={loading}
      virtual={virtual}
      // A fixed height only when virtual; app.css keeps the scrollbar off the last row.
      scroll={virtual ? { x: 1430, y: 520 } : { x: 1430 }}
      pagination={false}
      dataSource={rows}
      columns={columns}
      onRow={(r) =>
        ({
          "data-testid": `history-row-${r.jobId}-${r.instanceId}`,
          "data-status": r.status,
          "data-consistency": r.consistency ?? "",
        }) as HTMLAttributes<HTMLElement>
      }
      locale={{ emptyText: t("history.none") }}
    />
  );
}
