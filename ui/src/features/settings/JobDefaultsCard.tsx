// Snapshot jobs' defaults: invocations in flight per region, polling, the public command's
// name pattern. Checked as typed; Save sends them whole and shows the backend's error.
import { App, Button, Card, Form, Input, InputNumber, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppSettings } from "../../bindings/AppSettings";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useSaveSettings } from "../../settings/useSettings";
import { fromSettings, JOB_LIMITS, validateJobDefaults, withJobDefaults, type JobDefaults, type JobField } from "./jobDefaults";

export function JobDefaultsCard({ settings }: { settings: AppSettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveSettings();
  // Seeded once: a save elsewhere (language, theme) must not undo what is being typed.
  const [form, setForm] = useState<JobDefaults>(() => fromSettings(settings));
  const errors = validateJobDefaults(form);
  const valid = Object.keys(errors).length === 0;
  const set = <K extends keyof JobDefaults>(key: K, value: JobDefaults[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (field: JobField) => {
    const e = errors[field];
    return e
      ? { validateStatus: "error" as const, help: <span data-testid={`settings-error-${field}`}>{t(`settings.jobs.errors.${e.key}`, e.params ?? {})}</span> }
      : {};
  };
  const number = (field: "concurrency" | "firstPollMs" | "maxPollSecs") => (
    <Form.Item label={t(`settings.jobs.${field}`)} extra={t(`settings.jobs.${field}Help`)} {...fieldError(field)}>
      <InputNumber
        data-testid={`settings-${field}`}
        precision={0}
        value={form[field]}
        onChange={(v) => set(field, typeof v === "number" ? v : null)}
      />
    </Form.Item>
  );

  return (
    <Card title={t("settings.jobs.title")} size="small" data-testid="settings-jobs">
      <Typography.Paragraph type="secondary" className="settings-help">
        {t("settings.jobs.help")}
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={() => undefined}>
        <Space wrap size="large" align="start">
          {number("concurrency")}
          {number("firstPollMs")}
          {number("maxPollSecs")}
        </Space>
        <Form.Item label={t("settings.jobs.commandPattern")} extra={t("settings.jobs.commandPatternHelp")} {...fieldError("commandPattern")}>
          <Input
            data-testid="settings-commandPattern"
            value={form.commandPattern}
            maxLength={JOB_LIMITS.commandPattern[1] + 1}
            onChange={(e) => set("commandPattern", e.target.value)}
          />
        </Form.Item>
        {save.error ? <ErrorAlert error={save.error} context={t("settings.jobs.saveFailed")} /> : null}
        <Button
          type="primary"
          data-testid="settings-save"
          disabled={!valid}
          loading={save.isPending}
          onClick={() =>
            save.mutate(withJobDefaults(settings, form), {
              onSuccess: (saved) => {
                setForm(fromSettings(saved));
                void message.success(t("settings.jobs.saved"));
              },
            })
          }
        >
          {t("settings.jobs.save")}
        </Button>
      </Form>
    </Card>
  );
}
