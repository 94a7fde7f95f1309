import type { ScreenKey } from "../app/routes";
import { PlannedScreen } from "./PlannedScreen";
import { SettingsScreen } from "./SettingsScreen";

/** The screen for a navigation key. */
export function Screen({ screen }: { screen: ScreenKey }) {
  return screen === "settings" ? <SettingsScreen /> : <PlannedScreen screen={screen} />;
}
