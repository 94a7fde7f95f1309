// Says plainly, above every screen, when the sandbox cloud cannot be used.
import { Alert } from "antd";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../components/ErrorAlert";
import { useSandboxView } from "./appStatus";

export function SandboxBanner() {
  const { t } = useTranslation();
  const view = useSandboxView();
  if (view.state !== "unavailable") return null;
  return (
    <div className="sandbox-banner" data-testid="sandbox-banner">
      {"error" in view ? (
        <ErrorAlert error={view.error} context={t("sandbox.statusFailed")} />
      ) : (
        <Alert
          type="warning"
          showIcon
          title={t("sandbox.unavailableTitle")}
          description={t("sandbox.unavailableDescription", { reason: view.reason })}
        />
      )}
    </div>
  );
}
