// The picker's table: virtualised (antd's `virtual`) once it holds more rows than fit,
// so 10,000 instances scroll smoothly; multi-select; the name opens the detail drawer.
// After the rows a filter produced are painted, `fleet-filter` is measured from the
// `fleet-filter-start` mark (the e2e suite prints it).
import { Button, Table, Tag, Tooltip } from "antd";
import type { TableColumnsType } from "antd";
import { useEffect, useMemo, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { agentState, CONSISTENCY_COLOR, roleName, type FleetRow } from "./fleetView";

/** Above this many rows the table renders only what is visible. */
export const VIRTUAL_FROM = 100;
export const FILTER_MARK = "fleet-filter-start";
export const FILTER_MEASURE = "fleet-filter";

interface Props {
  rows: FleetRow[];
  selected: readonly string[];
  /** Applies a change to the latest selection (clicks may come faster than renders). */
  onSelect(change: (current: readonly string[]) => readonly string[]): void;
  onOpen(instanceId: string): void;
}

export function FleetTable({ rows, selected, onSelect, onOpen }: Props) {
  const { t } = useTranslation();
  useEffect(() => {
    if (performance.getEntriesByName(FILTER_MARK, "mark").length === 0) return;
    const frame = requestAnimationFrame(() => {
      performance.measure(FILTER_MEASURE, FILTER_MARK);
      performance.clearMarks(FILTER_MARK);
    });
    return () => cancelAnimationFrame(frame);
  }, [rows]);

  // Made once per language: a keystroke re-renders the table, not its column set.
  const columns = useMemo<TableColumnsType<FleetRow>>(() => [
    {
      key: "name",
      title: t("instances.col.name"),
      width: 220,
      ellipsis: true,
      render: (_, r) => (
        <Button type="link" size="small" className="fleet-open" data-testid={`fleet-open-${r.key}`} onClick={() => onOpen(r.key)}>
          {r.assessed.instance.name || r.key}
        </Button>
      ),
    },
    { key: "id", title: t("instances.col.id"), width: 190, render: (_, r) => <code>{r.key}</code> },
    { key: "region", title: t("instances.col.region"), width: 130, render: (_, r) => r.assessed.instance.regionId },
    { key: "os", title: t("instances.col.os"), width: 230, ellipsis: true, render: (_, r) => r.assessed.instance.osNameEn || r.assessed.instance.osName },
    { key: "status", title: t("instances.col.status"), width: 100, render: (_, r) => r.assessed.instance.status },
    {
      key: "disks",
      title: t("instances.col.disks"),
      width: 80,
      align: "right",
      render: (_, r) => r.assessed.instance.disks?.length ?? t("instances.unknown"),
    },
    { key: "agent", title: t("instances.col.agent"), width: 110, render: (_, r) => t(`instances.agentState.${agentState(r.assessed)}`) },
    {
      key: "role",
      title: t("instances.col.role"),
      width: 190,
      ellipsis: true,
      render: (_, r) => {
        const role = roleName(r.assessed);
        return role === undefined ? t("instances.unknown") : (role ?? t("instances.roleNone"));
      },
    },
    {
      key: "predicted",
      title: t("instances.col.predicted"),
      width: 190,
      fixed: "right",
      render: (_, r) => {
        const p = r.assessed.prediction;
        const badge = (
          <Tag color={CONSISTENCY_COLOR[p.consistency]} data-testid="fleet-badge" data-consistency={p.consistency} data-confirmed={p.confirmed}>
            {t(`fleet.consistency.${p.consistency}`)}
            {/* A deep check may still change it (it cannot rescue "none"). */}
            {p.confirmed || p.consistency === "none" ? "" : " ?"}
          </Tag>
        );
        const why = p.decidedBy.map((id) => t(`fleet.check.${id}`)).join(", ");
        return why ? <Tooltip title={t("instances.drawer.decidedBy", { checks: why })}>{badge}</Tooltip> : badge;
      },
    },
  ], [t, onOpen]);
  const selectedRowKeys = useMemo(() => [...selected], [selected]);

  return (
    <Table<FleetRow>
      size="small"
      className="fleet-table"
      data-testid="fleet-table"
      rowKey="key"
      virtual={rows.length > VIRTUAL_FROM}
      scroll={{ x: 1440, y: 520 }}
      pagination={false}
      dataSource={rows}
      columns={columns}
      rowSelection={{
        selectedRowKeys,
        onSelect: (r, checked) => onSelect((cur) => toggle(cur, [r.key], checked)),
        onSelectAll: (checked, _rows, changed) => onSelect((cur) => toggle(cur, changed.map((r) => r.key), checked)),
        onSelectMultiple: (checked, _rows, changed) => onSelect((cur) => toggle(cur, changed.map((r) => r.key), checked)),
        preserveSelectedRowKeys: true,
      }}
      onRow={(r) =>
        ({ "data-testid": `fleet-row-${r.key}`, "data-predicted": r.assessed.prediction.consistency }) as HTMLAttributes<HTMLElement>
      }
      locale={{ emptyText: t("instances.noMatch") }}
    />
  );
}

function toggle(current: readonly string[], keys: string[], on: boolean): string[] {
  const set = new Set(current);
  for (const k of keys) {
    if (on) set.add(k);
    else set.delete(k);
  }
  return [...set];
}
