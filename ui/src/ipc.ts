// The one door to the Rust side: typed commands that fail with an `AppError`.
import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AppError } from "./bindings/AppError";
import type { ErrorCode } from "./bindings/ErrorCode";

/** Every `ErrorCode`, checked against the generated union in both directions. */
export const ERROR_CODES = [
  "InvalidInput",
  "AuthFailed",
  "PermissionDenied",
  "Throttled",
  "Network",
  "NotFound",
  "Conflict",
  "Cloud",
  "KeyringUnavailable",
  "Cancelled",
  "Internal",
] as const satisfies readonly ErrorCode[];

// Fails to compile when the bindings gain a code that the list above lacks.
type Missing = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const exhaustive: [Missing] extends [never] ? true : Missing = true;
void exhaustive;

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** True for a well-formed `AppError` with a code this UI knows. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === "string";
}

/**
 * Turns whatever a command rejected with into an `AppError`. Anything that is not
 * one (a string, an `Error`, an unknown code) becomes `Internal`, keeping its text.
 */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    const error: AppError = { code: reason.code, message: reason.message };
    const requestId = optionalString(reason.requestId);
    const hint = optionalString(reason.hint);
    if (requestId) error.requestId = requestId;
    if (hint) error.hint = hint;
    return error;
  }
  if (typeof reason === "object" && reason !== null) {
    const v = reason as Record<string, unknown>;
    if (typeof v.message === "string") {
      const error: AppError = { code: "Internal", message: v.message };
      const requestId = optionalString(v.requestId);
      const hint = optionalString(v.hint);
      if (requestId) error.requestId = requestId;
      if (hint) error.hint = hint;
      return error;
    }
  }
  if (typeof reason === "string") return { code: "Internal", message: reason };
  let message: string;
  try {
    message = JSON.stringify(reason) ?? String(reason);
  } catch {
    message = String(reason);
  }
  return { code: "Internal", message };
}

/** Calls a Tauri command; resolves with its result or rejects with an `AppError`. */
export async function call<T>(cmd: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

/**
 * A Tauri `Channel` that hands each message to `onMessage`, in the order the backend sent
 * them. Used by the generated task commands in `bindings/commands.ts`.
 */
export function channel<T>(onMessage: (message: T) => void): Channel<T> {
  return new Channel<T>(onMessage);
}
