import { describe, expect, it } from "vitest";
import { DEFAULT_FORM, toOptions, validateOptions } from "./snapshotOptions";

const check = (change: Partial<typeof DEFAULT_FORM>) => validateOptions(toOptions({ ...DEFAULT_FORM, ...change }));

describe("snapshot options", () => {
  it("send nothing for empty fields and accept the defaults", () => {
    const o = toOptions(DEFAULT_FORM);
    expect(o).toEqual({ name: null, description: null, retentionDays: null, instantAccess: null, instantAccessDays: null, includeWriters: true, fsFreeze: true, freezeTimeoutSecs: null, excludeDiskIds: [], mandate: "allow" });
    expect(validateOptions(o)).toEqual({});
  });

  it("refuse what the API refuses, one problem per field", () => {
    expect(check({ name: "a" }).name).toEqual({ key: "length", params: { n: 1, lo: 2, hi: 128 } });
    expect(check({ name: "x".repeat(129) }).name?.key).toBe("length");
    expect(check({ name: "1abc" }).name?.key).toBe("nameStart");
    expect(check({ name: "https://x" }).name?.key).toBe("http");
    expect(check({ name: "ab cd" }).name?.key).toBe("nameChars");
    expect(check({ name: "备份:db-1_x.y" }).name).toBeUndefined();
    expect(check({ description: "x".repeat(257) }).description?.key).toBe("length");
    expect(check({ retentionDays: 0 }).retentionDays).toEqual({ key: "range", params: { lo: 1, hi: 65536 } });
    expect(check({ retentionDays: 65536 }).retentionDays).toBeUndefined();
    expect(check({ freezeTimeoutSecs: 601 }).freezeTimeoutSecs?.key).toBe("range");
    expect(check({ instantAccess: true, instantAccessDays: 0 }).instantAccessDays?.key).toBe("range");
    expect(check({ excludeDiskIds: ["D-1"] }).excludeDiskIds?.key).toBe("diskId");
    expect(check({ excludeDiskIds: ["d-1", "d-1"] }).excludeDiskIds?.key).toBe("diskTwice");
  });

  it("drop instant access days when instant access is off", () => {
    expect(toOptions({ ...DEFAULT_FORM, instantAccessDays: 3 }).instantAccessDays).toBeNull();
    expect(toOptions({ ...DEFAULT_FORM, instantAccess: true, instantAccessDays: 3 })).toMatchObject({ instantAccess: true, instantAccessDays: 3 });
  });
});
