// An unreadable appsnap.db was moved aside when AppSnap opened it and history started
// empty: say so where history is read, name the kept file(s), and open their folder. It
// stays while the files do (deleting them is the user's call: they are the evidence).
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";
import { useAppStatus } from "../../status/appStatus";

export function SetAsideAlert() {
  const { t } = useTranslation();
  const backend = useBackend();
  const files = useAppStatus().data?.historySetAside ?? [];
  const open = useMutation<null, AppError, void>({
    mutationFn: () => backend.openFolder({ kind: "data" }).catch((e) => Promise.reject(toAppError(e))),
  });
  if (!files.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="history-set-aside"
      data-count={files.length}
      message={t("history.setAside.title", { count: files.length })}
      description={
        <Space direction="vertical">
          <Typography.Text>{t("history.setAside.body")}</Typography.Text>
          {files.map((f) => (
            <Typography.Text key={f} code copyable>
              {f}
            </Typography.Text>
          ))}
          <Button size="small" data-testid="history-set-aside-open" loading={open.isPending} onClick={() => open.mutate()}>
            {t("history.setAside.open")}
          </Button>
          {open.error ? <ErrorAlert error={open.error} context={t("settings.folders.openFailed")} /> : null}
        </Space>
      }
    />
  );
}
