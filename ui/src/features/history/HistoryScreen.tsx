// History: every job's instance-runs filtered and paged (newest first), exported as CSV or
// JSON; `#/history/JOB_ID` shows one job with the results view's own components; a run
// with a snapshot group can be rolled back from the table or from its job's detail, and
// every rollback is listed under the runs.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Pagination, Space, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { HistoryPage } from "../../bindings/HistoryPage";
import type { JobReport } from "../../bindings/JobReport";
import type { StoredInventory } from "../../bindings/StoredInventory";
import { queryKeys } from "../../app/queryKeys";
import { useRoute } from "../../app/routes";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAppStatus } from "../../status/appStatus";
import { PageHeader } from "../../components/PageHeader";
import { JobResults } from "../results/ResultsScreen";
import { ConsistencyTag } from "../results/CreateSnapshotDialog";
import { ExportButtons } from "./ExportButtons";
import { HistoryFilterBar } from "./HistoryFilterBar";
import { HistoryTable } from "./HistoryTable";
import { NO_FILTERS, PAGE_SIZE, toHistoryFilter, type HistoryFilters } from "./historyView";
import { RollbackDialog, type RollbackTarget } from "./RollbackDialog";
import { RollbackList } from "./RollbackList";
import { SetAsideAlert } from "./SetAsideAlert";

export function HistoryScreen({ jobId }: { jobId?: string }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<RollbackTarget | null>(null);
  return (
    <>
      <PageHeader title={t("nav.history")} description={t("screens.history.description")} />
      <SetAsideAlert />
      {jobId ? <JobDetail jobId={jobId} onRollback={setTarget} /> : <RunList onRollback={setTarget} />}
      <RollbackDialog target={target} onClose={() => setTarget(null)} />
    </>
  );
}

function RunList({ onRollback }: { onRollback(t: RollbackTarget): void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const [, navigate] = useRoute();
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const filter = useMemo(() => toHistoryFilter(filters), [filters]);
  const request = { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  const list = useQuery<HistoryPage, AppError>({
    queryKey: queryKeys.historyList(filter, request),
    queryFn: () => backend.historyList({ filter, page: request }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  // The stored inventory only suggests ids and regions for the filters.
  const profile = useAppStatus().data?.profile;
  const fleet = useQuery<StoredInventory | null, AppError>({
    queryKey: queryKeys.fleetCached(profile ?? ""),
    queryFn: () => backend.fleetCached(),
    enabled: profile !== undefined,
    retry: false,
  }).data;
  const instances = (fleet?.inventory.instances ?? []).map((a) => ({ id: a.instance.instanceId, name: a.instance.name }));
  const regions = [...new Set((fleet?.inventory.instances ?? []).map((a) => a.instance.regionId))].sort();
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;

  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="history-list" data-total={list.data ? total : ""} data-rows={rows.length} data-fetching={list.isFetching}>
      <HistoryFilterBar
        filters={filters}
        instances={instances}
        regions={regions}
        onChange={(f) => {
          setFilters(f);
          setPage(1);
        }}
      />
      <ExportButtons filter={filter} />
      {list.error ? <ErrorAlert error={list.error} context={t("history.loadFailed")} /> : null}
      <HistoryTable
        rows={rows}
        loading={list.isPending}
        onOpen={(jobId) => navigate({ screen: "history", jobId })}
        onRollback={(r) => onRollback({ instanceId: r.instanceId, regionId: r.regionId, groupId: r.snapshotGroupId! })}
      />
      <Space style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Text type="secondary" data-testid="history-count">
          {t("history.count", { total })}
        </Typography.Text>
        <Pagination data-testid="history-pager" current={page} pageSize={PAGE_SIZE} total={total} showSizeChanger={false} onChange={setPage} hideOnSinglePage />
      </Space>
      <RollbackList />
    </Space>
  );
}

function JobDetail({ jobId, onRollback }: { jobId: string; onRollback(t: RollbackTarget): void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const [, navigate] = useRoute();
  // The same query (and cache entry) as the results view below reads.
  const report = useQuery<JobReport, AppError>({ queryKey: queryKeys.jobReport(jobId), queryFn: () => backend.jobReport({ jobId }), retry: false });
  const groups = (report.data?.results ?? []).filter((r) => r.snapshotGroupId);
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="history-detail" data-job-id={jobId}>
      <Button data-testid="history-back" onClick={() => navigate({ screen: "history" })}>
        {t("history.back")}
      </Button>
      {groups.length ? (
        <Card size="small" title={t("rollback.fromJob")} data-testid="history-detail-rollback">
          <Space direction="vertical">
            {groups.map((r) => (
              <Space key={r.instanceId} wrap>
                <code>{r.instanceId}</code>
                <code>{r.snapshotGroupId}</code>
                {r.consistency ? <ConsistencyTag value={r.consistency} /> : null}
                <Button
                  size="small"
                  danger
                  data-testid={`history-detail-rollback-${r.instanceId}`}
                  onClick={() => onRollback({ instanceId: r.instanceId, regionId: r.regionId, groupId: r.snapshotGroupId! })}
                >
                  {t("rollback.open")}
                </Button>
              </Space>
            ))}
          </Space>
        </Card>
      ) : null}
      <JobResults jobId={jobId} />
    </Space>
  );
}
