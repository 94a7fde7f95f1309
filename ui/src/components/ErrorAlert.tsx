// Shows an AppError: a translated title per code, then message, the hint worded in the
// UI's language, the RequestId and the cloud's troubleshooting link.
import { Alert, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../bindings/AppError";
import type { ErrorCode } from "../bindings/ErrorCode";

const SEVERITY: Record<ErrorCode, "error" | "warning"> = {
  InvalidInput: "warning",
  AuthFailed: "error",
  PermissionDenied: "error",
  Throttled: "warning",
  Network: "warning",
  NotFound: "warning",
  Conflict: "warning",
  Cloud: "error",
  KeyringUnavailable: "error",
  Cancelled: "warning",
  Internal: "error",
};

interface Props {
  error: AppError;
  /** What was being done, shown above the code's title. */
  context?: ReactNode;
}

export function ErrorAlert({ error, context }: Props) {
  const { t } = useTranslation();
  const title = t(`error.code.${error.code}`);
  return (
    <Alert
      type={SEVERITY[error.code]}
      showIcon
      data-testid="app-error"
      data-code={error.code}
      title={context ? `${context} · ${title}` : title}
      description={
        <div className="error-details">
          <Typography.Paragraph className="error-message">{error.message}</Typography.Paragraph>
          {error.hint ? (
            <Typography.Paragraph className="error-hint" data-hint={error.hint.key}>
              <Typography.Text strong>{t("error.hint")}</Typography.Text>{" "}
              {t(`hint.${error.hint.key}` as const, { ...error.hint.params, defaultValue: error.hint.key })}
            </Typography.Paragraph>
          ) : null}
          {error.requestId ? (
            <Typography.Text type="secondary" className="error-request-id">
              {t("error.requestId")}{" "}
              <Typography.Text code copyable={{ text: error.requestId }}>
                {error.requestId}
              </Typography.Text>
            </Typography.Text>
          ) : null}
          {error.recommend ? (
            // Shown as copyable text: the webview opens no external pages.
            <Typography.Paragraph type="secondary" className="error-recommend">
              {t("error.recommend")}{" "}
              <Typography.Text copyable={{ text: error.recommend }}>{error.recommend}</Typography.Text>
            </Typography.Paragraph>
          ) : null}
        </div>
      }
    />
  );
}
