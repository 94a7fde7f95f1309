// The header's sandbox indicator; `data-state` is read by the e2e suite.
import { CheckCircleFilled, ExclamationCircleFilled, LoadingOutlined } from "@ant-design/icons";
import { Descriptions, Popover, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { useSandboxView } from "./appStatus";

export function SandboxStatusTag() {
  const { t } = useTranslation();
  const view = useSandboxView();

  const tag = (() => {
    switch (view.state) {
      case "loading":
        return (
          <Tag icon={<LoadingOutlined />} color="default" variant="outlined">
            {t("sandbox.loading")}
          </Tag>
        );
      case "running":
        return (
          <Tag icon={<CheckCircleFilled />} color="success" variant="outlined">
            {t("sandbox.running")}
          </Tag>
        );
      case "unavailable":
        return (
          <Tag icon={<ExclamationCircleFilled />} color="warning" variant="outlined">
            {t("sandbox.unavailable")}
          </Tag>
        );
    }
  })();

  const details =
    view.state === "running" ? (
      <Descriptions size="small" column={1} className="sandbox-details">
        <Descriptions.Item label={t("sandbox.endpoint")}>{view.endpoint}</Descriptions.Item>
        <Descriptions.Item label={t("sandbox.scenario")}>{view.scenario}</Descriptions.Item>
      </Descriptions>
    ) : view.state === "unavailable" ? (
      <Descriptions size="small" column={1} className="sandbox-details">
        <Descriptions.Item label={t("sandbox.reason")}>
          {"reason" in view ? view.reason : view.error.message}
        </Descriptions.Item>
      </Descriptions>
    ) : null;

  const indicator = (
    <span
      className="sandbox-status"
      data-testid="sandbox-status"
      data-state={view.state}
      role="status"
      aria-live="polite"
      tabIndex={details ? 0 : undefined}
    >
      {tag}
    </span>
  );

  return details ? (
    <Popover title={t("sandbox.label")} content={details} placement="bottomRight" trigger={["hover", "focus"]}>
      {indicator}
    </Popover>
  ) : (
    indicator
  );
}
