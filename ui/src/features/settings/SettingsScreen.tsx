// Settings: language, theme, and what this installation is.
import { Card, Descriptions, Radio, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../components/PageHeader";
import { languagePref, themePref, type LanguagePref, type ThemePref } from "../../settings/preferences";
import { usePreference } from "../../settings/preference";
import { useAppStatus } from "../../status/appStatus";

export function SettingsScreen() {
  const { t } = useTranslation();
  const language = usePreference(languagePref);
  const theme = usePreference(themePref);
  const status = useAppStatus();
  const unavailable = <Typography.Text type="secondary">{t("settings.about.unavailable")}</Typography.Text>;

  return (
    <>
      <PageHeader title={t("nav.settings")} description={t("screens.settings.description")} />
      <Space orientation="vertical" size="middle" className="settings-stack">
        <Card title={<span id="settings-language">{t("settings.language.title")}</span>} size="small">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={language}
            onChange={(e) => languagePref.set(e.target.value as LanguagePref)}
            aria-labelledby="settings-language"
          >
            <Radio.Button value="system">
              <span data-testid="lang-system">{t("settings.language.system")}</span>
            </Radio.Button>
            <Radio.Button value="zh-CN">
              <span data-testid="lang-zh-CN" lang="zh-CN">{t("settings.language.zhCN")}</span>
            </Radio.Button>
            <Radio.Button value="en-US">
              <span data-testid="lang-en-US" lang="en-US">{t("settings.language.enUS")}</span>
            </Radio.Button>
          </Radio.Group>
          <Typography.Paragraph type="secondary" className="settings-help">
            {t("settings.language.help")}
          </Typography.Paragraph>
        </Card>

        <Card title={<span id="settings-theme">{t("settings.theme.title")}</span>} size="small">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={theme}
            onChange={(e) => themePref.set(e.target.value as ThemePref)}
            aria-labelledby="settings-theme"
          >
            <Radio.Button value="system">
              <span data-testid="theme-system">{t("settings.theme.system")}</span>
            </Radio.Button>
            <Radio.Button value="light">
              <span data-testid="theme-light">{t("settings.theme.light")}</span>
            </Radio.Button>
            <Radio.Button value="dark">
              <span data-testid="theme-dark">{t("settings.theme.dark")}</span>
            </Radio.Button>
          </Radio.Group>
          <Typography.Paragraph type="secondary" className="settings-help">
            {t("settings.theme.help")}
          </Typography.Paragraph>
        </Card>

        <Card title={t("settings.about.title")} size="small">
          <Descriptions column={1} size="small" data-testid="settings-about">
            <Descriptions.Item label={t("settings.about.version")}>
              {status.data ? <span data-testid="app-version">{status.data.version}</span> : unavailable}
            </Descriptions.Item>
            <Descriptions.Item label={t("settings.about.profile")}>
              {status.data ? status.data.profile : unavailable}
            </Descriptions.Item>
            <Descriptions.Item label={t("settings.about.logDir")}>
              {status.data ? (
                <Typography.Text code copyable data-testid="log-dir">
                  {status.data.logDir}
                </Typography.Text>
              ) : (
                unavailable
              )}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Space>
    </>
  );
}
