// Search and filters over the picker's rows: prediction (checkable tags in the badges'
// colours), OS, status and failing check. A search keystroke sets the `fleet-filter-start`
// mark the table measures to the painted rows.
import { Input, Select, Space, Tag } from "antd";
import type { SelectProps } from "antd";
import { memo, useCallback, useMemo, type Dispatch, type ReactElement, type SetStateAction } from "react";
import { useTranslation } from "react-i18next";
import type { CheckId } from "../../bindings/CheckId";
import { CHECK_IDS } from "../../bindings/fleetLists";
import { CONSISTENCIES, CONSISTENCY_COLOR, type FleetFilters } from "./fleetView";
import { FILTER_MARK } from "./FleetTable";

interface Props {
  filters: FleetFilters;
  /** setState's: a change applies to the latest filters, so the handlers below stay the same. */
  onChange: Dispatch<SetStateAction<FleetFilters>>;
  osTypes: string[];
  statuses: string[];
}

function mark() {
  performance.clearMarks(FILTER_MARK);
  performance.mark(FILTER_MARK);
}

const OS_STYLE = { minWidth: 140 };
const FAILING_STYLE = { minWidth: 200 };

// A keystroke in the search box changes only `search`: the selects keep their props
// (values, memoised options, handlers) and do not render again.
const FilterSelect = memo(function FilterSelect<T extends string>(props: SelectProps<T[]>) {
  return <Select<T[]> mode="multiple" allowClear {...props} />;
}) as <T extends string>(props: SelectProps<T[]>) => ReactElement;

export function FleetFilterBar({ filters, onChange, osTypes, statuses }: Props) {
  const { t } = useTranslation();
  const set = useCallback(
    (change: Partial<FleetFilters>) => {
      mark();
      onChange((f) => ({ ...f, ...change }));
    },
    [onChange],
  );
  const onOs = useCallback((osTypes: string[]) => set({ osTypes }), [set]);
  const onStatus = useCallback((statuses: string[]) => set({ statuses }), [set]);
  const onFailing = useCallback((failing: CheckId[]) => set({ failing }), [set]);
  const osOptions = useMemo(() => osTypes.map((o) => ({ value: o, label: o })), [osTypes]);
  const statusOptions = useMemo(() => statuses.map((s) => ({ value: s, label: s })), [statuses]);
  const failingOptions = useMemo(() => CHECK_IDS.map((id) => ({ value: id, label: t(`fleet.check.${id}`) })), [t]);
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
      <FilterSelect
        data-testid="fleet-filter-os"
        placeholder={t("instances.os")}
        style={OS_STYLE}
        value={filters.osTypes}
        options={osOptions}
        onChange={onOs}
      />
      <FilterSelect
        data-testid="fleet-filter-status"
        placeholder={t("instances.status")}
        style={OS_STYLE}
        value={filters.statuses}
        options={statusOptions}
        onChange={onStatus}
      />
      <FilterSelect<CheckId>
        data-testid="fleet-filter-failing"
        placeholder={t("instances.failing")}
        style={FAILING_STYLE}
        value={filters.failing}
        options={failingOptions}
        onChange={onFailing}
      />
    </Space>
  );
}
