// What the components call: one method per backend command, typed by the generated
// command table. Components take it from `useBackend()`, never from `invoke` directly,
// so unit tests run them against `createMemoryBackend()` and e2e covers the real one.
import { commands, type Commands } from "../bindings/commands";
import type { TaskEvent } from "../bindings/TaskEvent";

/** Exactly the generated `commands`: a renamed command or a changed type fails typecheck here and in every fake. */
export type Backend = Commands;

/** The real backend: Tauri commands of the desktop shell. */
export const realBackend: Backend = commands;

/** The shape of every task command: the caller's `taskId`, events in, result out. */
export type TaskStart<A extends { taskId: string }, E, R> = (
  args: A,
  onEvent: (event: TaskEvent<E>) => void,
) => Promise<R>;
