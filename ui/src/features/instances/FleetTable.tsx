// The picker's table: a fixed-height-row table of its own (not antd's Table) that renders
// only the rows in view once it holds more than VIRTUAL_FROM, so a filter over 10,000
// instances costs the filter and the ~25 rows shown, not a pass of the table's own over
// every row (antd's virtual table spent 50–110 ms a keystroke there, measured in the
// window). Multi-select with shift-click ranges; the name opens the detail drawer; the
// prediction column stays in view when scrolling sideways.
// After the rows a filter produced are painted, `fleet-filter` is measured from the
// `fleet-filter-start` mark (the e2e suite prints it), with its parts: `fleet-filter-commit`
// (the DOM updated) and `fleet-filter-table` (the table starts rendering: the filter and
// the screen around it done).
import { Button, Checkbox, Empty, Tag, theme, Tooltip } from "antd";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { agentState, CONSISTENCY_COLOR, roleName, type FleetRow } from "./fleetView";
import { clickedKeys, toggle, visibleRange } from "./fleetGrid";
import "./fleetTable.css";

/** Above this many rows the table renders only what is visible. */
export const VIRTUAL_FROM = 100;
export const FILTER_MARK = "fleet-filter-start";
export const FILTER_MEASURE = "fleet-filter";
export const COMMIT_MEASURE = "fleet-filter-commit";
export const REACHED_MEASURE = "fleet-filter-table";

const ROW_HEIGHT = 40;
const VIEWPORT = 520;
const OVERSCAN = 8;
const SELECT_WIDTH = 48;

const measuring = () => performance.getEntriesByName(FILTER_MARK, "mark").length > 0;

interface Props {
  rows: FleetRow[];
  selected: readonly string[];
  /** Applies a change to the latest selection (clicks may come faster than renders). */
  onSelect(change: (current: readonly string[]) => readonly string[]): void;
  onOpen(instanceId: string): void;
}

interface Column {
  key: string;
  title: string;
  width: number;
  align?: "right";
  /** Stays in view at the right edge when the table scrolls sideways. */
  pinned?: boolean;
  cell(r: FleetRow): ReactNode;
}

export function FleetTable({ rows, selected, onSelect, onOpen }: Props) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  // Measurement only (a render's side effect that changes nothing it renders).
  if (measuring()) performance.measure(REACHED_MEASURE, FILTER_MARK);
  useLayoutEffect(() => {
    if (measuring()) performance.measure(COMMIT_MEASURE, FILTER_MARK);
  }, [rows]);
  useEffect(() => {
    if (!measuring()) return;
    const frame = requestAnimationFrame(() => {
      performance.measure(FILTER_MEASURE, FILTER_MARK);
      performance.clearMarks(FILTER_MARK);
    });
    return () => cancelAnimationFrame(frame);
  }, [rows]);

  // Made once per language: a keystroke re-renders the rows in view, not the column set.
  const columns = useMemo<Column[]>(
    () => [
      {
        key: "name",
        title: t("instances.col.name"),
        width: 220,
        cell: (r) => (
          <Button type="link" size="small" className="fleet-open" data-testid={`fleet-open-${r.key}`} onClick={() => onOpen(r.key)}>
            {r.assessed.instance.name || r.key}
          </Button>
        ),
      },
      { key: "id", title: t("instances.col.id"), width: 190, cell: (r) => <code>{r.key}</code> },
      { key: "region", title: t("instances.col.region"), width: 130, cell: (r) => r.assessed.instance.regionId },
      { key: "os", title: t("instances.col.os"), width: 230, cell: (r) => r.assessed.instance.osNameEn || r.assessed.instance.osName },
      { key: "status", title: t("instances.col.status"), width: 100, cell: (r) => r.assessed.instance.status },
      {
        key: "disks",
        title: t("instances.col.disks"),
        width: 80,
        align: "right",
        cell: (r) => r.assessed.instance.disks?.length ?? t("instances.unknown"),
      },
      { key: "agent", title: t("instances.col.agent"), width: 110, cell: (r) => t(`instances.agentState.${agentState(r.assessed)}`) },
      {
        key: "role",
        title: t("instances.col.role"),
        width: 190,
        cell: (r) => {
          const role = roleName(r.assessed);
          return role === undefined ? t("instances.unknown") : (role ?? t("instances.roleNone"));
        },
      },
      {
        key: "predicted",
        title: t("instances.col.predicted"),
        width: 190,
        pinned: true,
        cell: (r) => {
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
    ],
    [t, onOpen],
  );
  const width = SELECT_WIDTH + columns.reduce((sum, c) => sum + c.width, 0);

  const virtual = rows.length > VIRTUAL_FROM;
  const [scrollTop, setScrollTop] = useState(0);
  const [start, end] = virtual ? visibleRange(scrollTop, VIEWPORT, rows.length, ROW_HEIGHT, OVERSCAN) : [0, rows.length];
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const shownSelected = useMemo(() => keys.reduce((n, k) => n + (selectedSet.has(k) ? 1 : 0), 0), [keys, selectedSet]);
  // The last row clicked without shift: where a shift-click range starts.
  const anchor = useRef<number>(undefined);
  useEffect(() => {
    anchor.current = undefined;
  }, [rows]);

  // Rows are memoised, so they get one handler for good; it reads the current keys.
  const keysRef = useRef(keys);
  useLayoutEffect(() => {
    keysRef.current = keys;
  }, [keys]);
  const click = useCallback(
    (index: number, checked: boolean, shift: boolean) => {
      const changed = clickedKeys(keysRef.current, index, anchor.current, shift);
      if (!shift) anchor.current = index;
      onSelect((cur) => toggle(cur, changed, checked));
    },
    [onSelect],
  );

  const style = {
    "--fleet-row-height": `${ROW_HEIGHT}px`,
    "--fleet-bg": token.colorBgContainer,
    "--fleet-head-bg": token.colorFillAlter,
    "--fleet-border": token.colorBorderSecondary,
    "--fleet-selected-bg": token.controlItemBgActive,
    "--fleet-hover-bg": token.controlItemBgHover,
    "--fleet-text": token.colorText,
    "--fleet-head-text": token.colorTextHeading,
    maxHeight: VIEWPORT + ROW_HEIGHT,
  } as CSSProperties;

  return (
    <div
      className="fleet-table"
      data-testid="fleet-table"
      role="grid"
      aria-rowcount={rows.length + 1}
      aria-multiselectable
      style={style}
      onScroll={virtual ? (e) => setScrollTop(e.currentTarget.scrollTop) : undefined}
    >
      <div className="fleet-head" role="row" aria-rowindex={1} style={{ width }}>
        <div className="fleet-cell fleet-select" role="columnheader" style={{ width: SELECT_WIDTH }}>
          <Checkbox
            aria-label={t("instances.selectShown")}
            data-testid="fleet-select-shown"
            disabled={rows.length === 0}
            checked={rows.length > 0 && shownSelected === rows.length}
            indeterminate={shownSelected > 0 && shownSelected < rows.length}
            onChange={(e) => onSelect((cur) => toggle(cur, keys, e.target.checked))}
          />
        </div>
        {columns.map((c) => (
          <div key={c.key} role="columnheader" className={cellClass(c)} style={{ width: c.width }}>
            {c.title}
          </div>
        ))}
      </div>
      {rows.length === 0 ? (
        <div className="fleet-empty" style={{ width }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("instances.noMatch")} />
        </div>
      ) : (
        <div className="fleet-body" style={{ height: virtual ? rows.length * ROW_HEIGHT : undefined, width }}>
          <div style={{ paddingTop: start * ROW_HEIGHT }}>
            {rows.slice(start, end).map((r, i) => (
              <FleetTableRow
                key={r.key}
                row={r}
                index={start + i}
                columns={columns}
                selected={selectedSet.has(r.key)}
                selectLabel={t("instances.selectRow", { name: r.assessed.instance.name || r.key })}
                onClick={click}
              />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

interface RowProps {
  row: FleetRow;
  index: number;
  columns: Column[];
  selected: boolean;
  selectLabel: string;
  onClick(index: number, checked: boolean, shift: boolean): void;
}

// Memoised: a filter that keeps a row in view does not render it again.
const FleetTableRow = memo(
  function FleetTableRow({ row, index, columns, selected, selectLabel, onClick }: RowProps) {
    return (
      <div
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        className={selected ? "fleet-row fleet-row-selected" : "fleet-row"}
        data-testid={`fleet-row-${row.key}`}
        data-predicted={row.assessed.prediction.consistency}
      >
        <div className="fleet-cell fleet-select" role="gridcell" style={{ width: SELECT_WIDTH }}>
          <Checkbox
            aria-label={selectLabel}
            checked={selected}
            onChange={(e) => onClick(index, e.target.checked, (e.nativeEvent as MouseEvent).shiftKey === true)}
          />
        </div>
        {columns.map((c) => (
          <div key={c.key} role="gridcell" className={cellClass(c)} style={{ width: c.width }}>
            {c.cell(row)}
          </div>
        ))}
      </div>
    );
  },
  (a, b) =>
    a.row === b.row && a.index === b.index && a.columns === b.columns && a.selected === b.selected && a.selectLabel === b.selectLabel && a.onClick === b.onClick,
);

function cellClass(c: Column): string {
  return ["fleet-cell", c.align === "right" ? "fleet-right" : "", c.pinned ? "fleet-pinned" : ""].filter(Boolean).join(" ");
}
