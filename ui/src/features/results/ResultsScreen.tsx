// Snapshot results; `#/results/JOB_ID` opens one job. While this window runs it, the
// events give live states and the timeline and history is re-read for the details; later
// (a reload, a restart) the stored report from `job_report` is shown. Retry failed and
// cancel run as background tasks: the window stays usable.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Empty, Space, Tag, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { JobReport } from "../../bindings/JobReport";
import type { RunResult } from "../../bindings/RunResult";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PageHeader } from "../../components/PageHeader";
import { cancelJob, retryJob, useLiveJob } from "./liveJobs";
import { RunCard } from "./RunCard";
import { FINAL } from "./timeline";

/** How often history is re-read while a job runs. */
const LIVE_POLL_MS = 700;

export function ResultsScreen({ jobId }: { jobId?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("nav.results")} description={t("screens.results.description")} />
      {jobId ? <JobResults jobId={jobId} /> : <Empty data-testid="results-none" description={t("results.none")} />}
    </>
  );
}

export function JobResults({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const live = useLiveJob(jobId);
  const report = useQuery<JobReport, AppError>({
    queryKey: queryKeys.jobReport(jobId),
    queryFn: () => backend.jobReport({ jobId }),
    retry: false,
    refetchInterval: (q) => (live?.running || q.state.data?.results.some((r) => !FINAL.includes(r.status)) ? LIVE_POLL_MS : false),
  });
  const running = live?.running ?? false;
  // The task's end: read history once more for the final details.
  useEffect(() => {
    if (!running) void client.invalidateQueries({ queryKey: queryKeys.jobReport(jobId) });
  }, [running, client, jobId]);
  const stored = report.data?.results ?? live?.report?.results ?? [];
  const results = merge(stored, live);
  // Finished when history says so (it holds the details the events do not carry).
  const finished = !running && stored.length > 0 && stored.every((r) => FINAL.includes(r.status));
  const failed = results.filter((r) => r.status !== "succeeded").length;
  const met = results.length - failed;

  return (
    <div data-testid="results-job" data-job-id={jobId} data-running={running} data-finished={finished}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag className="results-job" data-testid="results-job-id" data-job-id={jobId}>
          <Typography.Text copyable={{ text: jobId }}>{t("results.job", { jobId })}</Typography.Text>
        </Tag>
        {results.length ? (
          <Typography.Text data-testid="results-summary" data-met={met} data-total={results.length}>
            {t("results.summary", { met, total: results.length })}
          </Typography.Text>
        ) : null}
        {running ? (
          <Button data-testid="results-cancel" loading={live?.cancelling} onClick={() => void cancelJob(backend, jobId)}>
            {t("results.cancel")}
          </Button>
        ) : null}
        <Button data-testid="results-retry" disabled={running || !finished || failed === 0} onClick={() => void retryJob(backend, jobId)}>
          {t("results.retry", { count: failed })}
        </Button>
      </Space>
      {live?.error && live.error.code !== "Cancelled" ? <ErrorAlert error={live.error} context={t("results.runFailed")} /> : null}
      {report.error && !(report.error.code === "NotFound" && running) ? <ErrorAlert error={report.error} context={t("results.loadFailed")} /> : null}
      <Space direction="vertical" style={{ width: "100%" }}>
        {results.map((r) => (
          <RunCard key={r.instanceId} jobId={jobId} run={r} events={live?.events ?? []} />
        ))}
      </Space>
    </div>
  );
}

/** History's results, with the state of each run brought up to the latest event seen. */
function merge(results: RunResult[], live: ReturnType<typeof useLiveJob>): RunResult[] {
  if (!live) return results;
  return results.map((r) => {
    const last = [...live.events].reverse().find((e) => e.event.kind === "runChanged" && e.event.instanceId === r.instanceId);
    if (!last || last.event.kind !== "runChanged" || FINAL.includes(r.status) === FINAL.includes(last.event.status) && r.status === last.event.status) return r;
    // Events can run ahead of the last read of history; never behind a final result.
    if (FINAL.includes(r.status) && !FINAL.includes(last.event.status) && live.running === false) return r;
    return { ...r, status: last.event.status, invokeId: r.invokeId ?? last.event.invokeId, consistency: r.consistency ?? last.event.consistency };
  });
}
