// The top bar: product, active profile, sandbox state.
import { CameraFilled, UserOutlined } from "@ant-design/icons";
import { Layout, Space, Typography, theme } from "antd";
import { useTranslation } from "react-i18next";
import { SandboxStatusTag } from "../status/SandboxStatusTag";
import { useAppStatus } from "../status/appStatus";

export function AppHeader() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const status = useAppStatus();
  return (
    <Layout.Header
      className="app-header"
      style={{ background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}` }}
    >
      <div className="brand">
        <span className="brand-mark" aria-hidden>
          <CameraFilled />
        </span>
        <Typography.Text strong className="brand-name">
          {t("app.name")}
        </Typography.Text>
        <Typography.Text type="secondary" className="brand-tagline">
          {t("app.tagline")}
        </Typography.Text>
      </div>
      <Space size="middle" className="header-status">
        <span className="header-profile" data-testid="active-profile">
          <UserOutlined aria-hidden />
          <Typography.Text type="secondary">{t("header.profile")}</Typography.Text>
          <Typography.Text strong>{status.data?.profile ?? "—"}</Typography.Text>
        </span>
        <SandboxStatusTag />
      </Space>
    </Layout.Header>
  );
}
