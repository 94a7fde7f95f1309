// The top bar: product, active profile (with its account and a switcher), sandbox state.
import { CameraFilled } from "@ant-design/icons";
import { Layout, Space, Typography, theme } from "antd";
import { useTranslation } from "react-i18next";
import { SandboxStatusTag } from "../status/SandboxStatusTag";
import { ProfileSwitcher } from "./ProfileSwitcher";

export function AppHeader() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
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
        <ProfileSwitcher />
        <SandboxStatusTag />
      </Space>
    </Layout.Header>
  );
}
