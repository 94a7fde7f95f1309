// Every rollback history holds, newest first, under the runs: which instance went back to
// which instance snapshot, how far it got, whether AppSnap stopped and started it, and the
// ResetDisks request ID for support. A finished rollback refreshes it.
import { useQuery } from "@tanstack/react-query";
import { Card, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import type { HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { RollbackRecord } from "../../bindings/RollbackRecord";
import type { RollbackStatus } from "../../bindings/RollbackStatus";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatTime } from "./historyView";

const STATUS_COLOR: Record<RollbackStatus, string> = { resetting: "processing", succeeded: "green", failed: "red" };

export function RollbackList() {
  const { t } = useTranslation();
  const backend = useBackend();
  const list = useQuery<RollbackRecord[], AppError>({ queryKey: queryKeys.rollbackList, queryFn: () => backend.rollbackList(), retry: false });
  const rows = list.data ?? [];
  const columns: TableColumnsType<RollbackRecord> = [
    { key: "time", title: t("rollback.list.col.time"), width: 150, render: (_, r) => formatTime(r.createdMs) },
    {
      key: "instance",
      title: t("rollback.list.col.instance"),
      width: 220,
      render: (_, r) => (
        <>
          <code>{r.plan.instanceId}</code>
          {r.plan.instanceName ? <Typography.Text type="secondary"> {r.plan.instanceName}</Typography.Text> : null}
        </>
      ),
    },
    {
      key: "group",
      title: t("rollback.list.col.group"),
      width: 200,
      ellipsis: true,
      render: (_, r) => <Typography.Text copyable>{r.plan.snapshotGroupId}</Typography.Text>,
    },
    { key: "disks", title: t("rollback.list.col.disks"), width: 70, align: "right", render: (_, r) => r.plan.disks.length },
    {
      key: "status",
      title: t("rollback.list.col.status"),
      width: 110,
      render: (_, r) => (
        <Tag color={STATUS_COLOR[r.status]} data-testid="rollback-row-status" data-status={r.status}>
          {t(`rollback.list.status.${r.status}`)}
        </Tag>
      ),
    },
    {
      key: "steps",
      title: t("rollback.list.col.steps"),
      width: 140,
      render: (_, r) =>
        [r.stopped ? t("rollback.list.stopped") : t("rollback.list.untouched"), r.started ? t("rollback.list.started") : null].filter(Boolean).join(" · "),
    },
    {
      key: "requestId",
      title: t("rollback.list.col.requestId"),
      width: 200,
      ellipsis: true,
      render: (_, r) => (r.requestId ? <Typography.Text copyable>{r.requestId}</Typography.Text> : "—"),
    },
    { key: "error", title: t("rollback.list.col.error"), width: 260, render: (_, r) => r.error ?? "—" },
  ];
  return (
    <Card size="small" title={t("rollback.list.title")} data-testid="rollback-list" data-total={list.data ? rows.length : ""}>
      {list.error ? <ErrorAlert error={list.error} context={t("rollback.list.loadFailed")} /> : null}
      <Table<RollbackRecord>
        size="small"
        rowKey="rollbackId"
        loading={list.isPending}
        scroll={{ x: 1350 }}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        dataSource={rows}
        columns={columns}
        onRow={(r) => ({ "data-testid": `rollback-row-${r.rollbackId}`, "data-instance": r.plan.instanceId, "data-status": r.status }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t("rollback.list.none") }}
      />
    </Card>
  );
}
