// Where AppSnap keeps its files: each path copyable, and opened in the OS's file manager.
import { useMutation } from "@tanstack/react-query";
import { Button, Card, Descriptions, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { AppStatus } from "../../bindings/AppStatus";
import type { FolderKind } from "../../bindings/FolderKind";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";

const FOLDERS: { kind: FolderKind; path: (s: AppStatus) => string }[] = [
  { kind: "logs", path: (s) => s.logDir },
  { kind: "data", path: (s) => s.dataDir },
  { kind: "config", path: (s) => s.configDir },
];

export function FoldersCard({ status }: { status: AppStatus | undefined }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const open = useMutation<null, AppError, FolderKind>({
    mutationFn: (kind) => backend.openFolder({ kind }).catch((e) => Promise.reject(toAppError(e))),
  });
  return (
    <Card title={t("settings.folders.title")} size="small" data-testid="settings-folders">
      <Descriptions column={1} size="small">
        {FOLDERS.map(({ kind, path }) => (
          <Descriptions.Item key={kind} label={t(`settings.folders.${kind}`)}>
            {status ? (
              <Space wrap>
                <Typography.Text code copyable data-testid={`folder-path-${kind}`}>
                  {path(status)}
                </Typography.Text>
                <Button size="small" data-testid={`folder-open-${kind}`} loading={open.isPending && open.variables === kind} onClick={() => open.mutate(kind)}>
                  {t("settings.folders.open")}
                </Button>
              </Space>
            ) : (
              <Typography.Text type="secondary">{t("settings.about.unavailable")}</Typography.Text>
            )}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {open.error ? <ErrorAlert error={open.error} context={t("settings.folders.openFailed")} /> : null}
    </Card>
  );
}
