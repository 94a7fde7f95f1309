import { fireEvent, render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { MEMORY_INVENTORY } from "../../backend/memoryFleet";
import type { Inventory } from "../../bindings/Inventory";
import { FleetTable, VIRTUAL_FROM } from "./FleetTable";
import { toRows } from "./fleetView";

// 250 rows made from the memory fleet's first instance, each with its own id.
function manyRows(n: number) {
  const a = MEMORY_INVENTORY.instances[0]!;
  const inventory: Inventory = {
    ...MEMORY_INVENTORY,
    instances: Array.from({ length: n }, (_, i) => ({ ...a, instance: { ...a.instance, instanceId: `i-${String(i).padStart(4, "0")}` } })),
  };
  return toRows(inventory);
}

function table(rows: ReturnType<typeof manyRows>, initial: string[] = []) {
  let selected: readonly string[] = initial;
  const onSelect = (change: (cur: readonly string[]) => readonly string[]) => {
    selected = change(selected);
    view.rerender(<FleetTable rows={rows} selected={selected} onSelect={onSelect} onOpen={() => {}} />);
  };
  const view = render(<FleetTable rows={rows} selected={selected} onSelect={onSelect} onOpen={() => {}} />);
  return () => [...selected].sort();
}

const rendered = () => screen.queryAllByTestId(/^fleet-row-/).map((r) => r.getAttribute("data-testid")!.slice("fleet-row-".length));
const checkbox = (id: string) => within(screen.getByTestId(`fleet-row-${id}`)).getByRole("checkbox");

beforeEach(async () => {
  await i18n.changeLanguage("en-US");
});

describe("the picker table", () => {
  it("renders only the rows in view above VIRTUAL_FROM, and every row below it", () => {
    const { unmount } = render(<FleetTable rows={manyRows(250)} selected={[]} onSelect={() => {}} onOpen={() => {}} />);
    expect(rendered()).toEqual(Array.from({ length: 21 }, (_, i) => `i-${String(i).padStart(4, "0")}`));
    expect(screen.getByTestId("fleet-table").getAttribute("aria-rowcount")).toBe("251");
    unmount();
    render(<FleetTable rows={manyRows(VIRTUAL_FROM)} selected={[]} onSelect={() => {}} onOpen={() => {}} />);
    expect(rendered()).toHaveLength(VIRTUAL_FROM);
  });

  it("selects a row, a shift-click range, and every row shown from the header", () => {
    const rows = manyRows(250);
    const selected = table(rows, ["i-elsewhere"]);
    fireEvent.click(checkbox("i-0002"));
    expect(selected()).toEqual(["i-0002", "i-elsewhere"]);
    fireEvent.click(checkbox("i-0005"), { shiftKey: true });
    expect(selected()).toEqual(["i-0002", "i-0003", "i-0004", "i-0005", "i-elsewhere"]);
    expect(screen.getByTestId("fleet-row-i-0004").getAttribute("aria-selected")).toBe("true");
    // Selected rows are a grid's (aria-selected is not a plain table's).
    expect(screen.getByRole("grid").getAttribute("aria-multiselectable")).toBe("true");
    expect(screen.getAllByRole("gridcell").length).toBeGreaterThan(0);
    fireEvent.click(checkbox("i-0003"));
    expect(selected()).toEqual(["i-0002", "i-0004", "i-0005", "i-elsewhere"]);

    const all = screen.getByLabelText("Select every instance shown");
    fireEvent.click(all);
    expect(selected()).toHaveLength(251);
    fireEvent.click(all);
    // Rows not shown keep their selection.
    expect(selected()).toEqual(["i-elsewhere"]);
  });

  it("says when no row matches", () => {
    render(<FleetTable rows={[]} selected={[]} onSelect={() => {}} onOpen={() => {}} />);
    expect(screen.getByText("No instance matches the filters.")).toBeTruthy();
  });
});
