// The mandate's offer: a run that required application consistency and got a
// file-system-consistent group failed, and its group can be deleted here after a
// confirmation naming it and its disk snapshots. Core refuses any other group.
import { useQueryClient } from "@tanstack/react-query";
import { Button, Popconfirm } from "antd";
import { useState, type ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { RunResult } from "../../bindings/RunResult";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";
import { refusedGroup } from "./refusedGroup";

export function DeleteGroupButton({ jobId, run }: { jobId: string; run: RunResult }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const group = refusedGroup(run);
  if (!group) return null;
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await backend.snapshotDeleteGroup({ snapshotGroupId: group });
      await client.invalidateQueries({ queryKey: queryKeys.jobReport(jobId) });
    } catch (reason) {
      setError(toAppError(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="run-delete-group" data-testid={`run-delete-group-${run.instanceId}`}>
      <Popconfirm
        title={t("results.deleteGroup.confirmTitle", { group })}
        description={t("results.deleteGroup.confirmText", { count: run.disks.length })}
        okText={t("results.deleteGroup.ok")}
        cancelText={t("results.deleteGroup.cancel")}
        okButtonProps={{ danger: true, "data-testid": "run-delete-group-ok" } as ComponentProps<typeof Button>}
        onConfirm={() => void remove()}
      >
        <Button danger loading={busy} data-testid={`run-delete-group-button-${run.instanceId}`}>
          {t("results.deleteGroup.button")}
        </Button>
      </Popconfirm>{" "}
      <span className="run-delete-group-why">{t("results.deleteGroup.why")}</span>
      {error ? <ErrorAlert error={error} context={t("results.deleteGroup.failed")} /> : null}
    </div>
  );
}
