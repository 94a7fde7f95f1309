// The console-style frame: header on top, menu on the left, the current screen.
import { Layout, theme } from "antd";
import type { Language } from "../i18n/language";
import type { ThemeMode } from "../settings/theme";
import { SandboxBanner } from "../status/SandboxBanner";
import { AppHeader } from "./AppHeader";
import { Navigation } from "./Navigation";
import { useRoute, type Route, type ScreenKey } from "./routes";
import { Screen } from "./screens";

interface Props {
  language: Language;
  mode: ThemeMode;
}

export function Shell({ language, mode }: Props) {
  const [route, navigate] = useRoute();
  const screen = route.screen;
  const { token } = theme.useToken();
  return (
    <Layout className="app-root" data-lang={language} data-theme={mode} data-screen={screen}>
      <AppHeader />
      <Layout>
        <Layout.Sider
          width={232}
          theme="light"
          className="app-sider"
          style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}
        >
          <Navigation current={screen} onNavigate={(next: ScreenKey) => navigate({ screen: next } as Route)} />
        </Layout.Sider>
        <Layout.Content className="app-content" style={{ background: token.colorBgLayout }}>
          <main className="app-main" key={screen}>
            <SandboxBanner />
            <Screen route={route} />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
