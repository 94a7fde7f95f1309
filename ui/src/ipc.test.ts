import { beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { call, ERROR_CODES, HINT_KEYS, isAppError, toAppError } from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const invokeMock = vi.mocked(invoke);

describe("call()", () => {
  beforeEach(() => invokeMock.mockReset());

  it("resolves with the command's result and passes the arguments on", async () => {
    invokeMock.mockResolvedValueOnce({ ok: 1 });
    await expect(call<{ ok: number }>("some_cmd", { id: "i-1" })).resolves.toEqual({ ok: 1 });
    expect(invokeMock).toHaveBeenCalledWith("some_cmd", { id: "i-1" });
  });

  it("rejects with the AppError the backend sent, unchanged", async () => {
    const error = {
      code: "Throttled",
      message: "Request was denied due to request throttling.",
      requestId: "6B2F6D39-6A7A-4E1B-9B0B-1D2F3E4A5B6C",
      hint: { key: "WaitAndRetry", params: {} },
      recommend: "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Ecs",
    };
    invokeMock.mockRejectedValueOnce(error);
    await expect(call("x")).rejects.toEqual(error);
  });

  it("normalises a string rejection to Internal", async () => {
    invokeMock.mockRejectedValueOnce("command x not found");
    await expect(call("x")).rejects.toEqual({ code: "Internal", message: "command x not found" });
  });

  it("normalises a thrown Error (e.g. outside Tauri) to Internal", async () => {
    invokeMock.mockRejectedValueOnce(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(call("x")).rejects.toEqual({
      code: "Internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
    });
  });

  it("normalises an unknown code to Internal but keeps the message and RequestId", async () => {
    invokeMock.mockRejectedValueOnce({ code: "Teapot", message: "short and stout", requestId: "R1" });
    await expect(call("x")).rejects.toEqual({ code: "Internal", message: "short and stout", requestId: "R1" });
  });

  it("normalises values without a message", async () => {
    expect(toAppError(42)).toEqual({ code: "Internal", message: "42" });
    expect(toAppError(undefined)).toEqual({ code: "Internal", message: "undefined" });
    expect(toAppError({ code: "Network" })).toEqual({ code: "Internal", message: '{"code":"Network"}' });
  });

  it("drops empty optional fields", () => {
    expect(toAppError({ code: "Network", message: "m", requestId: "", hint: "", recommend: "" })).toEqual({
      code: "Network",
      message: "m",
    });
  });

  it("keeps a hint only with a known key, and only its string parameters", () => {
    expect(
      toAppError({
        code: "KeyringUnavailable",
        message: "locked",
        hint: { key: "UnlockKeyring", params: { backend: "Secret Service", n: 1 } },
      }),
    ).toEqual({
      code: "KeyringUnavailable",
      message: "locked",
      hint: { key: "UnlockKeyring", params: { backend: "Secret Service" } },
    });
    expect(toAppError({ code: "Throttled", message: "m", hint: { key: "WaitAndRetry" } })).toEqual({
      code: "Throttled",
      message: "m",
      hint: { key: "WaitAndRetry", params: {} },
    });
    for (const hint of ["Wait a moment.", { key: "Teapot", params: {} }, null, 7]) {
      expect(toAppError({ code: "Throttled", message: "m", hint })).toEqual({ code: "Throttled", message: "m" });
    }
  });

  it("keeps the hint and Recommend link of a rejection with an unknown code", () => {
    expect(
      toAppError({ code: "Teapot", message: "m", hint: { key: "CheckNetwork", params: {} }, recommend: "https://x.test/r" }),
    ).toEqual({ code: "Internal", message: "m", hint: { key: "CheckNetwork", params: {} }, recommend: "https://x.test/r" });
  });

  it("exports the generated lists, one entry per name", () => {
    expect(ERROR_CODES).toContain("KeyringUnavailable");
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(HINT_KEYS).toContain("UnlockKeyring");
    expect(new Set(HINT_KEYS).size).toBe(HINT_KEYS.length);
  });

  it("recognises AppError shapes", () => {
    expect(isAppError({ code: "NotFound", message: "" })).toBe(true);
    expect(isAppError({ code: "NotFound" })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});
