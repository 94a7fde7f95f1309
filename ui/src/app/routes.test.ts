import { describe, expect, it } from "vitest";
import { buildRoute, DEFAULT_SCREEN, parseRoute, screenFromHash, type Route } from "./routes";

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

describe("parseRoute / buildRoute", () => {
  it("keeps the results screen's job id", () => {
    expect(parseRoute("#/results/ssg-123")).toEqual({ screen: "results", jobId: "ssg-123" });
    expect(parseRoute("#/results")).toEqual({ screen: "results" });
    expect(parseRoute("#/results/")).toEqual({ screen: "results" });
    expect(buildRoute({ screen: "results", jobId: "ssg-123" })).toBe("#/results/ssg-123");
    expect(buildRoute({ screen: "results" })).toBe("#/results");
  });

  it("keeps the history screen's job id", () => {
    expect(parseRoute("#/history/job-0123456789ab")).toEqual({ screen: "history", jobId: "job-0123456789ab" });
    expect(parseRoute("#/history")).toEqual({ screen: "history" });
    expect(buildRoute({ screen: "history", jobId: "job-0123456789ab" })).toBe("#/history/job-0123456789ab");
  });

  it("keeps the scripts screen's instance", () => {
    expect(parseRoute("#/scripts/i-bp1x")).toEqual({ screen: "scripts", instanceId: "i-bp1x" });
    expect(parseRoute("#/scripts")).toEqual({ screen: "scripts" });
    expect(buildRoute({ screen: "scripts", instanceId: "i-bp1x" })).toBe("#/scripts/i-bp1x");
  });

  it("escapes ids that are not plain and drops malformed ones", () => {
    expect(buildRoute({ screen: "results", jobId: "job 1/2" })).toBe("#/results/job%201%2F2");
    expect(parseRoute("#/results/job%201%2F2")).toEqual({ screen: "results", jobId: "job 1/2" });
    expect(parseRoute("#/results/%E0%A4%A")).toEqual({ screen: "results" });
  });

  it("ignores parameters on screens without one, and query strings", () => {
    expect(parseRoute("#/settings/extra")).toEqual({ screen: "settings" });
    expect(parseRoute("#/ram?x=1")).toEqual({ screen: "ram" });
    expect(parseRoute("#/results/ssg-9?tab=disks")).toEqual({ screen: "results", jobId: "ssg-9" });
  });

  it("round-trips every route", () => {
    const routes: Route[] = [
      { screen: "profiles" },
      { screen: "ram" },
      { screen: "instances" },
      { screen: "scripts" },
      { screen: "scripts", instanceId: "i-bp1a2b3c" },
      { screen: "results" },
      { screen: "results", jobId: "ssg-bp1a2b3c" },
      { screen: "history" },
      { screen: "history", jobId: "job-0123456789ab" },
      { screen: "settings" },
    ];
    for (const route of routes) expect(parseRoute(buildRoute(route))).toEqual(route);
  });
});
