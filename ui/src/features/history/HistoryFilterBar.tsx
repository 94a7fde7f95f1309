// The history's filters: instance, region, consistency, status, a date range (UTC days)
// and text found anywhere in a run's record. Every change goes to the screen at once.
import { AutoComplete, Input, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { RESULT_CONSISTENCIES, RUN_STATUSES, type HistoryFilters } from "./historyView";

interface Props {
  filters: HistoryFilters;
  onChange(f: HistoryFilters): void;
  /** Known instances (from the stored inventory) to suggest: id and name. */
  instances: { id: string; name: string }[];
  regions: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function HistoryFilterBar({ filters, onChange, instances, regions }: Props) {
  const { t } = useTranslation();
  const set = (change: Partial<HistoryFilters>) => onChange({ ...filters, ...change });
  const day = (key: "since" | "until", value: string) => set({ [key]: DAY.test(value) ? value : undefined });
  return (
    <Space wrap className="history-filters" data-testid="history-filters">
      <Input.Search
        allowClear
        data-testid="history-search"
        placeholder={t("history.search")}
        value={filters.text}
        onChange={(e) => set({ text: e.target.value })}
        style={{ width: 220 }}
      />
      <AutoComplete
        allowClear
        data-testid="history-filter-instance"
        placeholder={t("history.instance")}
        style={{ width: 230 }}
        value={filters.instance}
        options={instances.map((i) => ({ value: i.id, label: i.name ? `${i.name} (${i.id})` : i.id }))}
        filterOption={(input, o) => String(o?.label ?? "").toLowerCase().includes(input.toLowerCase())}
        onChange={(v) => set({ instance: v ?? "" })}
      >
        <Input data-testid="history-filter-instance-input" />
      </AutoComplete>
      <AutoComplete
        allowClear
        data-testid="history-filter-region"
        placeholder={t("history.region")}
        style={{ width: 160 }}
        value={filters.region}
        options={regions.map((r) => ({ value: r }))}
        onChange={(v) => set({ region: v ?? "" })}
      />
      <Select
        allowClear
        data-testid="history-filter-consistency"
        placeholder={t("history.consistency")}
        style={{ width: 170 }}
        value={filters.consistency}
        options={RESULT_CONSISTENCIES.map((c) => ({ value: c, label: t(`results.consistency.${c}`) }))}
        onChange={(consistency) => set({ consistency })}
      />
      <Select
        allowClear
        data-testid="history-filter-status"
        placeholder={t("history.status")}
        style={{ width: 140 }}
        value={filters.status}
        options={RUN_STATUSES.map((s) => ({ value: s, label: t(`results.status.${s}`) }))}
        onChange={(status) => set({ status })}
      />
      <Space.Compact>
        <Input
          data-testid="history-filter-since"
          placeholder={t("history.since")}
          style={{ width: 160 }}
          defaultValue={filters.since}
          onChange={(e) => day("since", e.target.value.trim())}
        />
        <Input
          data-testid="history-filter-until"
          placeholder={t("history.until")}
          style={{ width: 160 }}
          defaultValue={filters.until}
          onChange={(e) => day("until", e.target.value.trim())}
        />
      </Space.Compact>
    </Space>
  );
}
