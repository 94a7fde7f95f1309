// Above the table: which regions to show and read, the inventory's age, Refresh (a task:
// the window stays usable) with its progress and Cancel, and the deep check.
import { Button, Progress, Select, Space, Typography } from "antd";
import { memo, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FleetEvent } from "../../bindings/FleetEvent";
import type { TaskStatus } from "../../backend/useTask";
import { formatAge } from "./fleetView";

export interface RefreshProgress {
  total?: number;
  done: number;
}

export function refreshProgress(events: readonly FleetEvent[]): RefreshProgress {
  let total: number | undefined;
  let done = 0;
  for (const e of events) {
    if (e.kind === "regionsListed") total = e.regionIds.length;
    if (e.kind === "regionDone") done += 1;
  }
  return { total, done };
}

export function probeProgress(events: readonly FleetEvent[]) {
  let sent = 0;
  let answered = 0;
  let failed = 0;
  for (const e of events) {
    if (e.kind === "probeSent") sent += e.instances;
    if (e.kind === "probeDone") {
      answered += e.answered;
      failed += e.failed;
    }
  }
  return { sent, answered, failed };
}

interface Props {
  regions: string[];
  chosen: string[];
  onChoose(regions: string[]): void;
  /** Age of the stored inventory when it was fetched, and when that was. */
  age?: { ageMs: number; fetchedAt: number };
  refresh: { status: TaskStatus; events: FleetEvent[]; cancelling: boolean; start(): void; cancel(): void };
  /** `selected`: the chosen instances, else the rows shown. */
  deepCheck: { status: TaskStatus; events: FleetEvent[]; count: number; selected: boolean; start(): void };
}

const REGION_STYLE = { minWidth: 240 };

// Its own memoised component: the toolbar renders again as the rows shown change (the
// deep check's count), the region list does not.
const RegionSelect = memo(function RegionSelect({ regions, chosen, onChoose }: Pick<Props, "regions" | "chosen" | "onChoose">) {
  const { t } = useTranslation();
  const options = useMemo(() => regions.map((r) => ({ value: r, label: r })), [regions]);
  return (
    <Select
      mode="multiple"
      allowClear
      data-testid="fleet-region-select"
      placeholder={t("instances.allRegions")}
      style={REGION_STYLE}
      value={chosen}
      options={options}
      onChange={onChoose}
      aria-label={t("instances.regions")}
    />
  );
});

export function FleetToolbar({ regions, chosen, onChoose, age, refresh, deepCheck }: Props) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const running = refresh.status === "running";
  const progress = refreshProgress(refresh.events);
  const probe = probeProgress(deepCheck.events);
  const ageMs = age ? age.ageMs + Math.max(0, now - age.fetchedAt) : undefined;

  return (
    <Space wrap className="fleet-toolbar" data-testid="fleet-toolbar">
      <RegionSelect regions={regions} chosen={chosen} onChoose={onChoose} />
      <Button type="primary" data-testid="fleet-refresh" data-status={refresh.status} loading={running} onClick={refresh.start}>
        {running ? t("instances.refreshing") : t("instances.refresh")}
      </Button>
      {running ? (
        <Button data-testid="fleet-refresh-cancel" loading={refresh.cancelling} onClick={refresh.cancel}>
          {t("instances.cancel")}
        </Button>
      ) : null}
      {running && progress.total !== undefined ? (
        <span data-testid="fleet-refresh-progress" data-done={progress.done} data-total={progress.total} style={{ width: 200, display: "inline-block" }}>
          <Progress
            size="small"
            percent={progress.total === 0 ? 100 : Math.round((progress.done / progress.total) * 100)}
            format={() => t("instances.refreshProgress", { done: progress.done, total: progress.total })}
          />
        </span>
      ) : null}
      <Typography.Text type="secondary" data-testid="fleet-age" data-age-ms={ageMs ?? ""}>
        {ageMs === undefined ? t("instances.neverUpdated") : t("instances.updated", { age: formatAge(ageMs, i18n.language) })}
      </Typography.Text>
      <Button
        data-testid="fleet-deep-check"
        disabled={deepCheck.count === 0 || deepCheck.status === "running"}
        loading={deepCheck.status === "running"}
        onClick={deepCheck.start}
      >
        {t(deepCheck.selected ? "instances.deepCheckSelected" : "instances.deepCheckShown", { count: deepCheck.count })}
      </Button>
      {deepCheck.status !== "idle" ? (
        <Typography.Text data-testid="fleet-deep-check-progress" data-status={deepCheck.status} data-answered={probe.answered} data-failed={probe.failed}>
          {t("instances.deepChecking", probe)}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
