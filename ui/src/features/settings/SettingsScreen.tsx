// Settings: language and theme (applied at once and saved), the snapshot jobs' defaults,
// the folders, diagnostics, and what this installation is.
import { Card, Descriptions, Radio, Space, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { AppSettings } from "../../bindings/AppSettings";
import { PageHeader } from "../../components/PageHeader";
import { ErrorAlert } from "../../components/ErrorAlert";
import { languagePref, themePref, type LanguagePref, type ThemePref } from "../../settings/preferences";
import { usePreference } from "../../settings/preference";
import { useSaveSettings, useSettings } from "../../settings/useSettings";
import { useAppStatus } from "../../status/appStatus";
import { DiagnosticsCard } from "./DiagnosticsCard";
import { FoldersCard } from "./FoldersCard";
import { JobDefaultsCard } from "./JobDefaultsCard";

export function SettingsScreen() {
  const { t } = useTranslation();
  const language = usePreference(languagePref);
  const theme = usePreference(themePref);
  const status = useAppStatus();
  const settings = useSettings();
  const save = useSaveSettings();
  const unavailable = <Typography.Text type="secondary">{t("settings.about.unavailable")}</Typography.Text>;

  // Shown at once; kept in settings.json once it has been read (else only until restart).
  function choose(change: Partial<Pick<AppSettings, "language" | "theme">>) {
    if (change.language) languagePref.set(change.language);
    if (change.theme) themePref.set(change.theme);
    if (settings.data) save.mutate({ ...settings.data, ...change });
  }

  return (
    <>
      <PageHeader title={t("nav.settings")} description={t("screens.settings.description")} />
      <Space orientation="vertical" size="middle" className="settings-stack">
        {settings.error ? <ErrorAlert error={settings.error} context={t("settings.loadFailed")} /> : null}
        {save.error && !save.isPending ? <ErrorAlert error={save.error} context={t("settings.saveFailed")} /> : null}
        <Card title={<span id="settings-language">{t("settings.language.title")}</span>} size="small">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={language}
            data-testid="settings-language"
            data-saved={settings.data?.language}
            onChange={(e) => choose({ language: e.target.value as LanguagePref })}
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
            data-saved={settings.data?.theme}
            onChange={(e) => choose({ theme: e.target.value as ThemePref })}
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

        {settings.data ? <JobDefaultsCard settings={settings.data} /> : settings.isPending ? <Spin /> : null}
        <FoldersCard status={status.data} />
        <DiagnosticsCard />

        <Card title={t("settings.about.title")} size="small">
          <Descriptions column={1} size="small" data-testid="settings-about">
            <Descriptions.Item label={t("settings.about.version")}>
              {status.data ? <span data-testid="app-version">{status.data.version}</span> : unavailable}
            </Descriptions.Item>
            <Descriptions.Item label={t("settings.about.profile")}>
              {status.data ? status.data.profile : unavailable}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Space>
    </>
  );
}
