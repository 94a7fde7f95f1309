// The one door to the Rust side: typed commands that fail with an `AppError`.
import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AppError } from "./bindings/AppError";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Hint } from "./bindings/Hint";
import type { HintKey } from "./bindings/HintKey";
import { ERROR_CODES } from "./bindings/errorCodes";
import { HINT_KEYS } from "./bindings/hintKeys";

// Generated from the Rust enums (`cargo test export_bindings`); re-exported for the UI.
export { ERROR_CODES, HINT_KEYS };

// Fails to compile when the bindings gain a code or key that the lists lack.
type MissingCode = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
type MissingHint = Exclude<HintKey, (typeof HINT_KEYS)[number]>;
const exhaustive: [MissingCode | MissingHint] extends [never] ? true : MissingCode | MissingHint = true;
void exhaustive;

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

function isHintKey(value: unknown): value is HintKey {
  return typeof value === "string" && (HINT_KEYS as readonly string[]).includes(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A hint with a key this UI can word, keeping only string parameters; else undefined. */
function toHint(value: unknown): Hint | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isHintKey(v.key)) return undefined;
  const params: Record<string, string> = {};
  if (typeof v.params === "object" && v.params !== null) {
    for (const [name, param] of Object.entries(v.params)) {
      if (typeof param === "string") params[name] = param;
    }
  }
  return { key: v.key, params };
}

/** True for a well-formed `AppError` with a code this UI knows. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === "string";
}

/** The optional fields of an `AppError`, each kept only when well-formed. */
function withDetails(error: AppError, from: Record<string, unknown>): AppError {
  const requestId = optionalString(from.requestId);
  const hint = toHint(from.hint);
  const recommend = optionalString(from.recommend);
  if (requestId) error.requestId = requestId;
  if (hint) error.hint = hint;
  if (recommend) error.recommend = recommend;
  return error;
}

/**
 * Turns whatever a command rejected with into an `AppError`. Anything that is not
 * one (a string, an `Error`, an unknown code) becomes `Internal`, keeping its text.
 */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    return withDetails({ code: reason.code, message: reason.message }, reason as unknown as Record<string, unknown>);
  }
  if (typeof reason === "object" && reason !== null) {
    const v = reason as Record<string, unknown>;
    if (typeof v.message === "string") return withDetails({ code: "Internal", message: v.message }, v);
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
