// Rollback of one run's snapshot group: the plan read afresh from the cloud and said in
// plain words (each disk, its size, the group's time and consistency); "stop the instance
// first" required when it runs; "start again afterwards"; the danger button enabled only
// once the instance's name (its ID when it has none) is typed. Refusals are AppErrors.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Checkbox, Input, Modal, Space, Spin, Steps, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { RollbackDisk } from "../../bindings/RollbackDisk";
import type { RollbackEvent } from "../../bindings/RollbackEvent";
import type { RollbackPlan } from "../../bindings/RollbackPlan";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { useTask } from "../../backend/useTask";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ConsistencyTag } from "../results/CreateSnapshotDialog";

export interface RollbackTarget {
  instanceId: string;
  regionId: string;
  groupId: string;
}

/** What the user types: the instance's name, or its ID when it has none (as core checks). */
export const confirmationWord = (p: RollbackPlan) => p.instanceName.trim() || p.instanceId;

/** The steps a rollback may take, in order; which ones apply depends on the choices. */
const STEPS = ["stop", "reset", "start"] as const;
type Step = (typeof STEPS)[number];
const STEP_OF: Record<RollbackEvent["kind"], Step> = { stopping: "stop", stopped: "stop", resetting: "reset", reset: "reset", starting: "start", started: "start" };
const DONE: RollbackEvent["kind"][] = ["stopped", "reset", "started"];

export function RollbackDialog({ target, onClose }: { target: RollbackTarget | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={target !== null}
      onCancel={onClose}
      destroyOnHidden
      width={920}
      title={t("rollback.title")}
      footer={null}
      data-testid="rollback-dialog"
    >
      {target ? <RollbackBody target={target} onClose={onClose} /> : null}
    </Modal>
  );
}

function RollbackBody({ target, onClose }: { target: RollbackTarget; onClose(): void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const plan = useQuery<RollbackPlan, AppError>({
    queryKey: queryKeys.rollbackPlan(target.instanceId, target.groupId),
    queryFn: () => backend.rollbackPlan(target),
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
  const run = useTask((b) => b.rollbackRun, "rollback");
  const [stop, setStop] = useState(false);
  const [startAfter, setStartAfter] = useState(false);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    if (run.status === "done" || run.status === "failed") {
      void client.invalidateQueries({ queryKey: queryKeys.historyList() });
      void client.invalidateQueries({ queryKey: queryKeys.rollbackList });
    }
  }, [run.status, client]);

  if (plan.isPending) return <Spin data-testid="rollback-plan-loading" />;
  if (plan.error) {
    return (
      <div data-testid="rollback-refused" data-code={plan.error.code}>
        <ErrorAlert error={plan.error} context={t("rollback.refused")} />
      </div>
    );
  }
  const p = plan.data;
  const word = confirmationWord(p);
  const busy = run.status === "running";
  const finished = run.status === "done";
  const ready = typed.trim() === word && (!p.needsStop || stop) && !busy && !finished;
  const reached = new Set(run.events.filter((e) => DONE.includes(e.kind)).map((e) => STEP_OF[e.kind]));
  const steps = STEPS.filter((s) => (s === "stop" ? p.needsStop : s === "start" ? startAfter : true));
  const current = finished ? steps.length : run.events.length ? steps.indexOf(STEP_OF[run.events.at(-1)!.kind]) : -1;

  return (
    <div data-testid="rollback-plan" data-instance={p.instanceId} data-group={p.snapshotGroupId} data-needs-stop={p.needsStop}>
      <Typography.Paragraph data-testid="rollback-summary">
        {t("rollback.intro", {
          instance: p.instanceName ? `${p.instanceId} (${p.instanceName})` : p.instanceId,
          region: p.regionId,
          group: p.groupName ? `${p.snapshotGroupId} "${p.groupName}"` : p.snapshotGroupId,
          time: p.groupCreated,
        })}{" "}
        <ConsistencyTag value={p.consistency} />
      </Typography.Paragraph>
      <Alert type="warning" showIcon title={t("rollback.lost", { count: p.disks.length })} style={{ marginBottom: 8 }} />
      <Table<RollbackDisk>
        size="small"
        pagination={false}
        rowKey="diskId"
        dataSource={p.disks}
        data-testid="rollback-disks"
        onRow={(d) => ({ "data-testid": `rollback-disk-${d.diskId}`, "data-size": d.sizeGib }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("results.disk"), render: (_, d) => <code className="rollback-id">{d.diskId}</code> },
          { title: t("rollback.diskName"), render: (_, d) => d.diskName || "—" },
          { title: t("rollback.diskType"), render: (_, d) => t(d.diskType === "system" ? "rollback.system" : "rollback.data") },
          { title: t("rollback.size"), align: "right", render: (_, d) => t("rollback.gib", { size: d.sizeGib }) },
          { title: t("rollback.device"), render: (_, d) => d.device || "—" },
          { title: t("results.snapshot"), render: (_, d) => <code className="rollback-id">{d.snapshotId}</code> },
        ]}
      />
      <Space direction="vertical" style={{ width: "100%", marginTop: 12 }}>
        <Typography.Text data-testid="rollback-instance-status" data-status={p.instanceStatus}>
          {p.needsStop ? t("rollback.mustStop", { status: p.instanceStatus }) : t("rollback.isStopped")}
        </Typography.Text>
        {p.needsStop ? (
          <span data-testid="rollback-stop" data-checked={stop}>
            <Checkbox checked={stop} disabled={busy || finished} onChange={(e) => setStop(e.target.checked)}>
              {t("rollback.stop")}
            </Checkbox>
          </span>
        ) : null}
        <span data-testid="rollback-start" data-checked={startAfter}>
          <Checkbox checked={startAfter} disabled={busy || finished} onChange={(e) => setStartAfter(e.target.checked)}>
            {t("rollback.startAfter")}
          </Checkbox>
        </span>
        <Typography.Text>{t("rollback.typeToConfirm", { word })}</Typography.Text>
        <Input
          data-testid="rollback-confirm-input"
          value={typed}
          disabled={busy || finished}
          placeholder={word}
          autoComplete="off"
          onChange={(e) => setTyped(e.target.value)}
        />
        {run.status !== "idle" ? (
          <Steps
            size="small"
            data-testid="rollback-progress"
            current={current}
            status={run.status === "failed" ? "error" : undefined}
            items={steps.map((s) => ({ title: <span data-testid={`rollback-step-${s}`} data-done={reached.has(s)}>{t(`rollback.step.${s}`)}</span> }))}
          />
        ) : null}
        {run.error ? <ErrorAlert error={run.error} context={t("rollback.failed")} /> : null}
        {run.result ? (
          <Alert
            type="success"
            showIcon
            data-testid="rollback-result"
            data-status={run.result.status}
            data-rollback-id={run.result.rollbackId}
            title={t("rollback.done", { count: run.result.plan.disks.length })}
            description={run.result.requestId ? `${t("error.requestId")} ${run.result.requestId}` : undefined}
          />
        ) : null}
        <Space style={{ justifyContent: "flex-end", width: "100%" }}>
          <Button data-testid="rollback-close" onClick={onClose} disabled={busy}>
            {finished ? t("rollback.close") : t("rollback.cancel")}
          </Button>
          <Button
            danger
            type="primary"
            data-testid="rollback-confirm"
            data-enabled={ready}
            disabled={!ready}
            loading={busy}
            onClick={() => void run.start({ request: { plan: p, options: { stop, startAfter }, confirmation: typed.trim() } })}
          >
            {t("rollback.confirm", { count: p.disks.length })}
          </Button>
        </Space>
      </Space>
    </div>
  );
}
