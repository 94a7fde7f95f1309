// Shows an AppError: a translated title per code, then message, hint and RequestId.
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
            <Typography.Paragraph className="error-hint">
              <Typography.Text strong>{t("error.hint")}</Typography.Text>{" "}
              {error.hint}
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
        </div>
      }
    />
  );
}
