// Instances: the picker comes in a later slice; the account's regions are counted live.
import { PlannedScreen } from "../../components/PlannedScreen";
import { RegionScanCard } from "./RegionScanCard";

export function InstancesScreen() {
  return (
    <>
      <PlannedScreen screen="instances" />
      <RegionScanCard />
    </>
  );
}
