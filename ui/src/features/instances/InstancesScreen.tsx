// The instance picker, the start screen: the stored inventory at once (with its age),
// a refresh that runs as a task, filters, a virtualised multi-select table, each
// instance's checks and fixes in a drawer, and the deep check. Partial inventories say
// which region and call are missing. The region scan card stays below.
import { Alert, Button, Empty, Typography } from "antd";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PageHeader } from "../../components/PageHeader";
import { CreateSnapshotDialog } from "../results/CreateSnapshotDialog";
import { FleetFilterBar } from "./FleetFilterBar";
import { FleetTable } from "./FleetTable";
import { FleetToolbar } from "./FleetToolbar";
import { filterRows, NO_FILTERS, options, toRows, type FleetFilters } from "./fleetView";
import { InstanceDrawer } from "./InstanceDrawer";
import { RegionScanCard } from "./RegionScanCard";
import { useInstanceSelection } from "./selection";
import { useFleet } from "./useFleet";

const NO_REGIONS: string[] = [];

export function InstancesScreen() {
  const { t } = useTranslation();
  const fleet = useFleet();
  const [filters, setFilters] = useState<FleetFilters>(NO_FILTERS);
  const [selected, setSelected] = useInstanceSelection(fleet.profile);
  const [open, setOpen] = useState<string>();
  const [snapshotOpen, setSnapshotOpen] = useState(false);
  const inventory = fleet.stored?.inventory;
  const rows = useMemo(() => toRows(inventory), [inventory]);
  const shown = useMemo(() => filterRows(rows, filters), [rows, filters]);
  // Per keystroke only the filter runs over the 10,000 rows; what depends on the rows
  // alone, or on the selection, is computed when they change.
  const osTypes = useMemo(() => options(rows, (r) => r.assessed.instance.osType), [rows]);
  const statuses = useMemo(() => options(rows, (r) => r.assessed.instance.status), [rows]);
  const chosen = useMemo(() => {
    const keys = new Set(selected);
    return rows.filter((r) => keys.has(r.key)).map((r) => r.assessed);
  }, [rows, selected]);
  const regions = inventory?.regions ?? NO_REGIONS;
  const openRow = open ? rows.find((r) => r.key === open)?.assessed : undefined;
  // The deep check's targets are listed when it starts, not on every keystroke.
  const deepTargets = () => (selected.length ? [...selected] : shown.map((r) => r.key));
  const onChooseRegions = useCallback((regions: string[]) => setFilters((f) => ({ ...f, regions })), []);

  return (
    <div className="fleet-picker" data-testid="fleet-picker" data-total={rows.length} data-shown={shown.length}>
      <PageHeader title={t("nav.instances")} description={t("screens.instances.description")} />
      <FleetToolbar
        regions={regions}
        chosen={filters.regions}
        onChoose={onChooseRegions}
        age={fleet.stored ? { ageMs: fleet.stored.ageMs, fetchedAt: fleet.fetchedAt } : undefined}
        refresh={{
          status: fleet.refresh.status,
          events: fleet.refresh.events,
          cancelling: fleet.refresh.cancelling,
          start: () => void fleet.refresh.start({ regions: filters.regions }),
          cancel: () => void fleet.refresh.cancel(),
        }}
        deepCheck={{
          status: fleet.deepCheck.status,
          events: fleet.deepCheck.events,
          count: inventory ? selected.length || shown.length : 0,
          selected: selected.length > 0,
          start: () => void fleet.deepCheck.start({ instanceIds: deepTargets() }),
        }}
      />
      {fleet.loadError ? <ErrorAlert error={fleet.loadError} context={t("instances.loadFailed")} /> : null}
      {fleet.refresh.status === "failed" && fleet.refresh.error ? (
        <ErrorAlert error={fleet.refresh.error} context={t("instances.refreshFailed")} />
      ) : null}
      {fleet.deepCheck.status === "failed" && fleet.deepCheck.error ? (
        <ErrorAlert error={fleet.deepCheck.error} context={t("instances.deepCheckFailed")} />
      ) : null}
      {inventory && inventory.missing.length ? (
        <Alert
          type="warning"
          showIcon
          data-testid="fleet-partial"
          title={t("instances.partialTitle")}
          description={
            <ul className="fleet-missing">
              {inventory.missing.map((m, i) => (
                <li key={i} data-testid="fleet-missing" data-region={m.regionId} data-action={m.action}>
                  {t("instances.partialItem", { region: m.regionId || t("instances.accountWide"), action: m.action, effect: m.effect })}
                  {m.error.requestId ? ` (RequestId ${m.error.requestId})` : ""}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <FleetFilterBar
        filters={filters}
        onChange={setFilters}
        osTypes={osTypes}
        statuses={statuses}
      />
      <Typography.Paragraph type="secondary" data-testid="fleet-counts">
        {t("instances.shown", { shown: shown.length, total: rows.length })}
        {selected.length ? (
          <>
            {" · "}
            <span data-testid="fleet-selected" data-count={selected.length}>
              {t("instances.selected", { count: selected.length })}
            </span>{" "}
            <Typography.Link onClick={() => setSelected([])}>{t("instances.clearSelection")}</Typography.Link>{" "}
            <Button type="primary" size="small" data-testid="snapshot-create" onClick={() => setSnapshotOpen(true)}>
              {t("snapshot.create", { count: selected.length })}
            </Button>
          </>
        ) : null}
      </Typography.Paragraph>
      {!fleet.loading && !inventory && fleet.refresh.status !== "running" ? (
        <Empty data-testid="fleet-empty" description={t("instances.empty")} />
      ) : (
        <FleetTable rows={shown} selected={selected} onSelect={setSelected} onOpen={setOpen} />
      )}
      <InstanceDrawer row={openRow} onClose={() => setOpen(undefined)} onFixed={() => void fleet.reload()} />
      <RegionScanCard />
      <CreateSnapshotDialog open={snapshotOpen} instances={chosen} onClose={() => setSnapshotOpen(false)} />
    </div>
  );
}
