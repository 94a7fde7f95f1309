// Providers: backend, query cache, antd locale and theme, then the shell.
import { QueryClientProvider } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { useEffect } from "react";
import { BackendProvider } from "../backend/BackendContext";
import { themePref } from "../settings/preferences";
import { usePreference } from "../settings/preference";
import { resolveTheme, useSystemTheme } from "../settings/theme";
import { useLanguageSync } from "../settings/useLanguage";
import { useSettingsSync } from "../settings/useSettings";
import type { AppRuntime } from "./runtime";
import { Shell } from "./Shell";

// The console's action blue; its brand orange (#ff6a00) marks the product only.
const BRAND_TOKENS = {
  colorPrimary: "#0064c8",
  colorInfo: "#0064c8",
  borderRadius: 4,
  fontSize: 14,
};

function ThemedShell() {
  useSettingsSync();
  const language = useLanguageSync();
  const mode = resolveTheme(usePreference(themePref), useSystemTheme());

  useEffect(() => {
    document.documentElement.dataset.theme = mode;
    document.documentElement.style.colorScheme = mode;
  }, [mode]);

  return (
    <ConfigProvider
      locale={language === "zh-CN" ? zhCN : enUS}
      theme={{
        algorithm: mode === "dark" ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: BRAND_TOKENS,
        components: { Layout: { headerHeight: 56, headerPadding: "0 20px" } },
      }}
    >
      <AntdApp>
        <Shell language={language} mode={mode} />
      </AntdApp>
    </ConfigProvider>
  );
}

export function App({ runtime }: { runtime: AppRuntime }) {
  return (
    <BackendProvider backend={runtime.backend}>
      <QueryClientProvider client={runtime.queryClient}>
        <ThemedShell />
      </QueryClientProvider>
    </BackendProvider>
  );
}
