import { beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { call, isAppError, toAppError } from "./ipc";

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
      hint: "Wait a moment and try again.",
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
    expect(toAppError({ code: "Network", message: "m", requestId: "", hint: "" })).toEqual({
      code: "Network",
      message: "m",
    });
  });

  it("recognises AppError shapes", () => {
    expect(isAppError({ code: "NotFound", message: "" })).toBe(true);
    expect(isAppError({ code: "NotFound" })).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});
