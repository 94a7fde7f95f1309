// The ram screen; a later slice fills it (issue 8 onwards), today it says what it will do.
import { PlannedScreen } from "../../components/PlannedScreen";

export function RamScreen() {
  return <PlannedScreen screen="ram" />;
}
