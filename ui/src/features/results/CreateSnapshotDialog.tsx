// The create-snapshot dialog, opened from the picker's selection: the console's options in
// its words plus the consistency mandate, checked as typed; the pre-flight plan (reads
// only) says per instance what it will get and why; ineligible instances are shown but
// not sent. Confirm starts the job in the background and opens `#/results/JOB_ID`.
import { useQuery } from "@tanstack/react-query";
import { Alert, Checkbox, Form, Input, InputNumber, Modal, Radio, Select, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { Assessed } from "../../bindings/Assessed";
import type { JobPlan } from "../../bindings/JobPlan";
import { queryKeys } from "../../app/queryKeys";
import { useRoute } from "../../app/routes";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { startJob } from "./liveJobs";
import { useSettings } from "../../settings/useSettings";
import { DEFAULT_FORM, ineligible, toOptions, validateOptions, type FieldError, type FormField, type SnapshotForm } from "./snapshotOptions";

interface Props {
  open: boolean;
  /** The selected instances as the picker assessed them. */
  instances: Assessed[];
  onClose(): void;
}

export function CreateSnapshotDialog({ open, instances, onClose }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const [, navigate] = useRoute();
  const [form, setForm] = useState<SnapshotForm>(DEFAULT_FORM);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<AppError>();
  const options = useMemo(() => toOptions(form), [form]);
  const errors = validateOptions(options);
  const valid = Object.keys(errors).length === 0;
  const eligible = instances.filter((a) => !ineligible(a)).map((a) => a.instance.instanceId);
  const hasWindows = instances.some((a) => a.instance.osType === "windows");
  const hasLinux = instances.some((a) => a.instance.osType !== "windows");
  const disks = instances.flatMap((a) => (a.instance.disks ?? []).map((d) => ({ value: d.diskId, label: `${d.diskId} (${a.instance.name}, ${d.diskType})` })));
  // Invocations in flight per region: Settings' choice (the backend reads the rest itself).
  const settings = useSettings();
  const concurrency = settings.data?.concurrency;
  const plan = useQuery<JobPlan, AppError>({
    queryKey: queryKeys.snapshotPlan(options, eligible),
    queryFn: () => backend.snapshotPlan({ options, instanceIds: eligible, concurrency: concurrency! }),
    enabled: open && valid && eligible.length > 0 && concurrency !== undefined,
    retry: false,
    staleTime: 30_000,
  });
  const set = <K extends keyof SnapshotForm>(key: K, value: SnapshotForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (field: FormField) => {
    const e: FieldError | undefined = errors[field];
    return e ? { validateStatus: "error" as const, help: <span data-testid={`snapshot-error-${field}`}>{t(`snapshot.errors.${e.key}`, e.params ?? {})}</span> } : {};
  };
  const canConfirm = valid && eligible.length > 0 && plan.isSuccess && !starting;

  async function confirm() {
    setStarting(true);
    setStartError(undefined);
    try {
      const jobId = await startJob(backend, { options, instanceIds: eligible, concurrency: concurrency! });
      onClose();
      navigate({ screen: "results", jobId });
    } catch (e) {
      setStartError(e as AppError);
    } finally {
      setStarting(false);
    }
  }

  return (
    <Modal
      open={open}
      width={880}
      title={t("snapshot.title", { count: instances.length })}
      okText={t("snapshot.confirm", { count: eligible.length })}
      okButtonProps={{ disabled: !canConfirm, loading: starting, ...({ "data-testid": "snapshot-confirm" } as Record<string, string>) }}
      cancelText={t("snapshot.close")}
      onOk={() => void confirm()}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="snapshot-dialog" data-valid={valid} data-plan={plan.status}>
        <Form layout="vertical" size="small">
          <Space wrap align="start">
            <Form.Item label={t("snapshot.name")} {...fieldError("name")} extra={form.name ? undefined : t("snapshot.nameDefault")}>
              <Input data-testid="snapshot-name" value={form.name} onChange={(e) => set("name", e.target.value)} style={{ width: 300 }} />
            </Form.Item>
            <Form.Item label={t("snapshot.description")} {...fieldError("description")}>
              <Input data-testid="snapshot-description" value={form.description} onChange={(e) => set("description", e.target.value)} style={{ width: 360 }} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item label={t("snapshot.retentionDays")} {...fieldError("retentionDays")} extra={t("snapshot.defaultHint")}>
              <InputNumber data-testid="snapshot-retention" value={form.retentionDays} onChange={(v) => set("retentionDays", v ?? null)} />
            </Form.Item>
            <Form.Item label={t("snapshot.instantAccess")}>
              <Checkbox data-testid="snapshot-instant-access" checked={form.instantAccess} onChange={(e) => set("instantAccess", e.target.checked)}>
                {t("snapshot.instantAccessOn")}
              </Checkbox>
            </Form.Item>
            {form.instantAccess ? (
              <Form.Item label={t("snapshot.instantAccessDays")} {...fieldError("instantAccessDays")}>
                <InputNumber data-testid="snapshot-instant-access-days" value={form.instantAccessDays} onChange={(v) => set("instantAccessDays", v ?? null)} />
              </Form.Item>
            ) : null}
            <Form.Item label={t("snapshot.freezeTimeout")} {...fieldError("freezeTimeoutSecs")} extra={t("snapshot.defaultHint")}>
              <InputNumber data-testid="snapshot-timeout" value={form.freezeTimeoutSecs} onChange={(v) => set("freezeTimeoutSecs", v ?? null)} />
            </Form.Item>
          </Space>
          <Space wrap>
            {hasWindows ? (
              <Checkbox data-testid="snapshot-writers" checked={form.includeWriters} onChange={(e) => set("includeWriters", e.target.checked)}>
                {t("snapshot.includeWriters")}
              </Checkbox>
            ) : null}
            {hasLinux ? (
              <Checkbox data-testid="snapshot-fs-freeze" checked={form.fsFreeze} onChange={(e) => set("fsFreeze", e.target.checked)}>
                {t("snapshot.fsFreeze")}
              </Checkbox>
            ) : null}
          </Space>
          <Form.Item label={t("snapshot.excludeDisks")} {...fieldError("excludeDiskIds")} style={{ marginTop: 12 }}>
            <Select mode="multiple" data-testid="snapshot-exclude-disks" value={form.excludeDiskIds} options={disks} onChange={(v) => set("excludeDiskIds", v)} allowClear />
          </Form.Item>
          <Form.Item label={t("snapshot.mandate")}>
            <Radio.Group value={form.mandate} onChange={(e) => set("mandate", e.target.value)}>
              <Radio value="require" data-testid="snapshot-mandate-require">{t("snapshot.mandateRequire")}</Radio>
              <Radio value="allow" data-testid="snapshot-mandate-allow">{t("snapshot.mandateAllow")}</Radio>
            </Radio.Group>
          </Form.Item>
        </Form>
        {plan.error ? <ErrorAlert error={plan.error} context={t("snapshot.planFailed")} /> : null}
        {settings.error ? <ErrorAlert error={settings.error} context={t("settings.loadFailed")} /> : null}
        {startError ? <ErrorAlert error={startError} context={t("snapshot.startFailed")} /> : null}
        {plan.data?.experimental ? <Alert type="warning" showIcon data-testid="snapshot-experimental" title={t("snapshot.experimental")} /> : null}
        <Typography.Title level={5}>{t("snapshot.perInstance")}</Typography.Title>
        <ul className="snapshot-instances">
          {instances.map((a) => (
            <InstanceRow key={a.instance.instanceId} assessed={a} plan={plan.data} />
          ))}
        </ul>
      </div>
    </Modal>
  );
}

function InstanceRow({ assessed, plan }: { assessed: Assessed; plan?: JobPlan }) {
  const { t } = useTranslation();
  const i = assessed.instance;
  const why = ineligible(assessed);
  const run = plan?.runs.find((r) => r.instanceId === i.instanceId);
  const predicted = run?.predicted ?? assessed.prediction.consistency;
  return (
    <li data-testid={`snapshot-instance-${i.instanceId}`} data-eligible={!why} data-predicted={predicted} className="snapshot-instance">
      <Space wrap>
        <Typography.Text strong>{i.name}</Typography.Text>
        <Typography.Text type="secondary" copyable>{i.instanceId}</Typography.Text>
        <Tag>{i.regionId}</Tag>
        <Tag>{i.osType}</Tag>
        <ConsistencyTag value={predicted} prefix={t("snapshot.predicted")} />
        {why ? <Tag color="red" data-testid={`snapshot-ineligible-${i.instanceId}`}>{t(`snapshot.ineligible.${why}`)}</Tag> : null}
        {run ? <Typography.Text type="secondary">{run.trigger.kind === "publicCommand" ? run.trigger.name : t("snapshot.plugin")}</Typography.Text> : null}
      </Space>
      {why ? (
        <ul>
          {assessed.checks
            .filter((c) => assessed.prediction.decidedBy.includes(c.id) || (why === "noRole" && c.id === "RamRole"))
            .map((c) => (
              <li key={c.id}>{`${c.id}: ${c.reason.text}`}</li>
            ))}
        </ul>
      ) : null}
      {run ? (
        <ul data-testid={`snapshot-preflight-${i.instanceId}`}>
          {run.preflight.map((f, n) => (
            <li key={n}>{f.finding}</li>
          ))}
        </ul>
      ) : null}
      {run?.warnings.map((w, n) => (
        <Alert key={n} type="warning" showIcon data-testid={`snapshot-warning-${i.instanceId}`} title={t("snapshot.freezeWarning")} description={w} />
      ))}
    </li>
  );
}

const COLORS: Record<string, string> = { application: "green", filesystem: "gold", crash: "orange", none: "red", failed: "red" };

export function ConsistencyTag({ value, prefix }: { value: string; prefix?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[value]} data-testid="consistency-badge" data-consistency={value}>
      {prefix ? `${prefix}: ` : ""}
      {t(`results.consistency.${value}` as "results.consistency.application")}
    </Tag>
  );
}
