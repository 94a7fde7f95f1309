// The left menu. Each label carries `data-testid="nav-<key>"` for the e2e suite;
// clicking it (or Enter on the item) navigates.
import { Menu, type MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { SCREEN_ICONS } from "./icons";
import type { ScreenKey } from "./routes";

const GROUPS: { key: string; label: "nav.groupAccess" | "nav.groupSnapshots" | "nav.groupApp"; items: ScreenKey[] }[] = [
  { key: "access", label: "nav.groupAccess", items: ["profiles", "ram"] },
  { key: "snapshots", label: "nav.groupSnapshots", items: ["instances", "scripts", "results", "history"] },
  { key: "app", label: "nav.groupApp", items: ["settings"] },
];

interface Props {
  current: ScreenKey;
  onNavigate(next: ScreenKey): void;
}

export function Navigation({ current, onNavigate }: Props) {
  const { t } = useTranslation();
  const items: MenuProps["items"] = GROUPS.map((group) => ({
    type: "group",
    key: group.key,
    label: t(group.label),
    children: group.items.map((key) => {
      const Icon = SCREEN_ICONS[key];
      return {
        key,
        icon: <Icon aria-hidden />,
        label: (
          <span data-testid={`nav-${key}`} className="nav-label">
            {t(`nav.${key}`)}
          </span>
        ),
      };
    }),
  }));

  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[current]}
      onClick={({ key }) => onNavigate(key as ScreenKey)}
      aria-label={t("app.mainNav")}
      className="main-nav"
    />
  );
}
