// GENERATED from the command table in src-tauri/src/ipc/mod.rs by
// `cargo test export_bindings`. Do not edit; `make bindings-check` fails when stale.
import { call, channel } from "../ipc";
import type { AppStatus } from "./AppStatus";
import type { FixEvent } from "./FixEvent";
import type { FixReport } from "./FixReport";
import type { FixRequest } from "./FixRequest";
import type { FleetEvent } from "./FleetEvent";
import type { RegionScan } from "./RegionScan";
import type { RegionScanEvent } from "./RegionScanEvent";
import type { StoredInventory } from "./StoredInventory";
import type { TaskEvent } from "./TaskEvent";

/** Commands that answer at once. */
export const CALL_COMMANDS = ["app_status", "task_cancel", "fleet_cached"] as const;
/** Commands that run as tasks: a caller-chosen `taskId`, `TaskEvent`s on `onEvent`, cancellable. */
export const TASK_COMMANDS = ["regions_scan", "fleet_refresh", "fleet_deep_check", "fleet_fix"] as const;
export type CommandName = (typeof CALL_COMMANDS)[number] | (typeof TASK_COMMANDS)[number];

/** Every command as a typed function; the UI's `Backend` has exactly these methods. */
export const commands = {
  /**
   * The shell's version, current profile, sandbox state and log directory.
   */
  appStatus: (): Promise<AppStatus> => call<AppStatus>("app_status"),
  /**
   * Asks a running task to stop; `false` when no task has that id (it may have ended).
   */
  taskCancel: (args: { taskId: string }): Promise<boolean> => call<boolean>("task_cancel", args),
  /**
   * The current profile's last stored inventory with its age; none before the first refresh.
   */
  fleetCached: (): Promise<StoredInventory | null> => call<StoredInventory | null>("fleet_cached"),
  /**
   * The current profile's regions with their instance counts, one event per region.
   */
  regionsScan: (args: { taskId: string }, onEvent: (event: TaskEvent<RegionScanEvent>) => void): Promise<RegionScan> =>
    call<RegionScan>("regions_scan", { ...args, onEvent: channel(onEvent) }),
  /**
   * Reads the regions (empty = all) into the stored inventory, one event per region.
   */
  fleetRefresh: (args: { taskId: string, regions: Array<string> }, onEvent: (event: TaskEvent<FleetEvent>) => void): Promise<StoredInventory> =>
    call<StoredInventory>("fleet_refresh", { ...args, onEvent: channel(onEvent) }),
  /**
   * Probes instances (empty = all) of the stored inventory and checks them again.
   */
  fleetDeepCheck: (args: { taskId: string, instanceIds: Array<string> }, onEvent: (event: TaskEvent<FleetEvent>) => void): Promise<StoredInventory> =>
    call<StoredInventory>("fleet_deep_check", { ...args, onEvent: channel(onEvent) }),
  /**
   * Carries out a check's fix for instances, then reads their regions again.
   */
  fleetFix: (args: { taskId: string, request: FixRequest }, onEvent: (event: TaskEvent<FixEvent>) => void): Promise<FixReport> =>
    call<FixReport>("fleet_fix", { ...args, onEvent: channel(onEvent) }),
};

export type Commands = typeof commands;
