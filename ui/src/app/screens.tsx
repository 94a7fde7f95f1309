// Which feature draws which route: one entry per screen key, checked exhaustive.
import type { ReactNode } from "react";
import { HistoryScreen } from "../features/history/HistoryScreen";
import { InstancesScreen } from "../features/instances/InstancesScreen";
import { ProfilesScreen } from "../features/profiles/ProfilesScreen";
import { RamScreen } from "../features/ram/RamScreen";
import { ResultsScreen } from "../features/results/ResultsScreen";
import { ScriptsScreen } from "../features/scripts/ScriptsScreen";
import { SettingsScreen } from "../features/settings/SettingsScreen";
import type { Route, ScreenKey } from "./routes";

const SCREENS: { [K in ScreenKey]: (route: Extract<Route, { screen: K }>) => ReactNode } = {
  profiles: () => <ProfilesScreen />,
  ram: () => <RamScreen />,
  instances: () => <InstancesScreen />,
  scripts: (route) => <ScriptsScreen instanceId={route.instanceId} />,
  results: (route) => <ResultsScreen jobId={route.jobId} />,
  history: (route) => <HistoryScreen jobId={route.jobId} />,
  settings: () => <SettingsScreen />,
};

/** The screen for a route. */
export function Screen({ route }: { route: Route }) {
  const draw = SCREENS[route.screen] as (route: Route) => ReactNode;
  return <>{draw(route)}</>;
}
