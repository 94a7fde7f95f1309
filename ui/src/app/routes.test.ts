import { describe, expect, it } from "vitest";
import { DEFAULT_SCREEN, screenFromHash } from "./routes";

describe("screenFromHash", () => {
  it("reads the screen key", () => {
    expect(screenFromHash("#/settings")).toBe("settings");
    expect(screenFromHash("#ram")).toBe("ram");
    expect(screenFromHash("#/results/ssg-123")).toBe("results");
  });

  it("falls back to the start page", () => {
    expect(DEFAULT_SCREEN).toBe("instances");
    expect(screenFromHash("")).toBe("instances");
    expect(screenFromHash("#/nope")).toBe("instances");
  });
});
