import { describe, expect, it } from "vitest";
import { clickedKeys, toggle, visibleRange } from "./fleetGrid";

describe("the picker table's window", () => {
  it("shows the rows under the viewport plus the overscan, within the list", () => {
    expect(visibleRange(0, 520, 10_000, 40, 8)).toEqual([0, 21]);
    expect(visibleRange(4000, 520, 10_000, 40, 8)).toEqual([92, 121]);
    expect(visibleRange(400_000, 520, 10_000, 40, 8)).toEqual([9992, 10_000]);
    // A scroll position left over from a longer list (the filter shortened it).
    expect(visibleRange(400_000, 520, 5, 40, 8)).toEqual([5, 5]);
    expect(visibleRange(-30, 520, 3, 40, 8)).toEqual([0, 3]);
  });
});

describe("a click on a row's checkbox", () => {
  const keys = ["a", "b", "c", "d", "e"];
  it("changes that row, or with shift every row from the last click to it", () => {
    expect(clickedKeys(keys, 2, undefined, true)).toEqual(["c"]);
    expect(clickedKeys(keys, 2, 0, false)).toEqual(["c"]);
    expect(clickedKeys(keys, 3, 1, true)).toEqual(["b", "c", "d"]);
    expect(clickedKeys(keys, 0, 2, true)).toEqual(["a", "b", "c"]);
    // The anchor row is gone (the filter changed): only the clicked row.
    expect(clickedKeys(keys.slice(0, 2), 1, 4, true)).toEqual(["b"]);
  });

  it("adds or removes keys without losing the others", () => {
    expect(toggle(["x", "a"], ["a", "b"], true).sort()).toEqual(["a", "b", "x"]);
    expect(toggle(["x", "a", "b"], ["a", "b"], false)).toEqual(["x"]);
  });
});
