// A blocked step through the shared ErrorAlert: the missing permission as the
// GrantPermission hint, the cloud's error code and its RequestId.
import { ErrorAlert } from "../../components/ErrorAlert";
import type { AppError } from "../../bindings/AppError";
import type { Blocker } from "../../bindings/Blocker";
import { useTranslation } from "react-i18next";

export function blockerError(b: Blocker): AppError {
  return {
    code: "PermissionDenied",
    message: `${b.code}: ${b.message}`,
    requestId: b.requestId ?? undefined,
    hint: { key: "GrantPermission", params: { action: b.permission } },
  };
}

export function BlockerAlert({ blocker }: { blocker: Blocker }) {
  const { t } = useTranslation();
  return (
    <div data-testid="ram-blocker" data-permission={blocker.permission} data-code={blocker.code}>
      <ErrorAlert
        error={blockerError(blocker)}
        context={t("ram.review.blocked", { permission: blocker.permission, code: blocker.code })}
      />
    </div>
  );
}
