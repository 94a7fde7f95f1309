// Search and filters over the picker's rows: prediction (checkable tags in the badges'
// colours), OS, status and failing check. A search keystroke sets the `fleet-filter-start`
// mark the table measures to the painted rows.
import { Input, Select, Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { CheckId } from "../../bindings/CheckId";
import { CHECK_IDS } from "../../bindings/fleetLists";
import { CONSISTENCIES, CONSISTENCY_COLOR, type FleetFilters } from "./fleetView";
import { FILTER_MARK } from "./FleetTable";

interface Props {
  filters: FleetFilters;
  onChange(f: FleetFilters): void;
  osTypes: string[];
  statuses: string[];
}

function mark() {
  performance.clearMarks(FILTER_MARK);
  performance.mark(FILTER_MARK);
}

export function FleetFilterBar({ filters, onChange, osTypes, statuses }: Props) {
  const { t } = useTranslation();
  const set = (change: Partial<FleetFilters>) => {
    mark();
    onChange({ ...filters, ...change });
  };
  return (
    <Space wrap className="fleet-filters" data-testid="fleet-filters">
      <Input.Search
        allowClear
        data-testid="fleet-search"
        placeholder={t("instances.search")}
        value={filters.search}
        onChange={(e) => set({ search: e.target.value })}
        style={{ width: 240 }}
      />
      <span>
        {t("instances.prediction")}:{" "}
        {CONSISTENCIES.map((c) => {
          const on = filters.predictions.includes(c);
          return (
            <Tag.CheckableTag
              key={c}
              checked={on}
              data-testid={`fleet-filter-prediction-${c}`}
              data-checked={on}
              className={`fleet-prediction-tag fleet-prediction-${CONSISTENCY_COLOR[c]}`}
              onChange={(checked) => set({ predictions: checked ? [...filters.predictions, c] : filters.predictions.filter((p) => p !== c) })}
            >
              {t(`fleet.consistency.${c}`)}
            </Tag.CheckableTag>
          );
        })}
      </span>
      <Select
        mode="multiple"
        allowClear
        data-testid="fleet-filter-os"
        placeholder={t("instances.os")}
        style={{ minWidth: 140 }}
        value={filters.osTypes}
        options={osTypes.map((o) => ({ value: o, label: o }))}
        onChange={(osTypes) => set({ osTypes })}
      />
      <Select
        mode="multiple"
        allowClear
        data-testid="fleet-filter-status"
        placeholder={t("instances.status")}
        style={{ minWidth: 140 }}
        value={filters.statuses}
        options={statuses.map((s) => ({ value: s, label: s }))}
        onChange={(statuses) => set({ statuses })}
      />
      <Select<CheckId[]>
        mode="multiple"
        allowClear
        data-testid="fleet-filter-failing"
        placeholder={t("instances.failing")}
        style={{ minWidth: 200 }}
        value={filters.failing}
        options={CHECK_IDS.map((id) => ({ value: id, label: t(`fleet.check.${id}`) }))}
        onChange={(failing) => set({ failing })}
      />
    </Space>
  );
}
