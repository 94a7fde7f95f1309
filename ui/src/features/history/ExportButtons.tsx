// Export the runs the filter matches (all pages) as CSV or JSON; the backend writes the
// file and answers where it went and how many runs it holds, which stays on screen.
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { ExportFile } from "../../bindings/ExportFile";
import type { ExportFormat } from "../../bindings/ExportFormat";
import type { HistoryFilter } from "../../bindings/HistoryFilter";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";

const FORMATS: ExportFormat[] = ["csv", "json"];

export function ExportButtons({ filter }: { filter: HistoryFilter }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const exp = useMutation<ExportFile, AppError, ExportFormat>({ mutationFn: (format) => backend.historyExport({ filter, format }) });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space>
        {FORMATS.map((f) => (
          <Button
            key={f}
            data-testid={`history-export-${f}`}
            loading={exp.isPending && exp.variables === f}
            disabled={exp.isPending}
            onClick={() => exp.mutate(f)}
          >
            {t(`history.export.${f}`)}
          </Button>
        ))}
      </Space>
      {exp.data ? (
        <Alert
          type="success"
          showIcon
          closable
          data-testid="history-exported"
          data-path={exp.data.path}
          data-rows={exp.data.rows}
          data-format={exp.data.format}
          title={t("history.export.done", { count: exp.data.rows })}
          description={<Typography.Text copyable code>{exp.data.path}</Typography.Text>}
        />
      ) : null}
      {exp.error ? <ErrorAlert error={exp.error} context={t("history.export.failed")} /> : null}
    </Space>
  );
}
