// GENERATED from the command table in src-tauri/src/ipc/mod.rs by
// `cargo test export_bindings`. Do not edit; `make bindings-check` fails when stale.
import { call, channel } from "../ipc";
import type { AppSettings } from "./AppSettings";
import type { AppStatus } from "./AppStatus";
import type { CallerIdentity } from "./CallerIdentity";
import type { CliImportListing } from "./CliImportListing";
import type { ExportFile } from "./ExportFile";
import type { ExportFormat } from "./ExportFormat";
import type { FixEvent } from "./FixEvent";
import type { FixReport } from "./FixReport";
import type { FixRequest } from "./FixRequest";
import type { FleetEvent } from "./FleetEvent";
import type { FolderKind } from "./FolderKind";
import type { HistoryFilter } from "./HistoryFilter";
import type { HistoryPage } from "./HistoryPage";
import type { InstanceRef } from "./InstanceRef";
import type { JobEvent } from "./JobEvent";
import type { JobPlan } from "./JobPlan";
import type { JobReport } from "./JobReport";
import type { PageRequest } from "./PageRequest";
import type { ProfileEntry } from "./ProfileEntry";
import type { ProfileInput } from "./ProfileInput";
import type { ProfileListing } from "./ProfileListing";
import type { PushReport } from "./PushReport";
import type { RamApplyEvent } from "./RamApplyEvent";
import type { RamApplyReport } from "./RamApplyReport";
import type { RamCandidates } from "./RamCandidates";
import type { RamOptions } from "./RamOptions";
import type { RamPlan } from "./RamPlan";
import type { RegionScan } from "./RegionScan";
import type { RegionScanEvent } from "./RegionScanEvent";
import type { RenderedScripts } from "./RenderedScripts";
import type { RollbackEvent } from "./RollbackEvent";
import type { RollbackPlan } from "./RollbackPlan";
import type { RollbackRecord } from "./RollbackRecord";
import type { RollbackRequest } from "./RollbackRequest";
import type { RunResult } from "./RunResult";
import type { ScriptProblem } from "./ScriptProblem";
import type { ScriptTemplate } from "./ScriptTemplate";
import type { ScriptValidation } from "./ScriptValidation";
import type { ScriptsEvent } from "./ScriptsEvent";
import type { SnapshotOptions } from "./SnapshotOptions";
import type { StoredInventory } from "./StoredInventory";
import type { TaskEvent } from "./TaskEvent";
import type { TestRun } from "./TestRun";

/** Commands that answer at once. */
export const CALL_COMMANDS = ["app_status", "task_cancel", "ram_candidates", "ram_plan", "profiles_list", "profile_add", "profile_update", "profile_remove", "profile_select", "profile_test", "profile_import_list", "profile_import", "fleet_cached", "scripts_templates", "scripts_check_params", "scripts_render", "scripts_validate", "snapshot_plan", "job_report", "history_list", "history_export", "rollback_plan", "rollback_list", "settings_get", "settings_save", "diagnostics", "open_folder", "snapshot_delete_group"] as const;
/** Commands that run as tasks: a caller-chosen `taskId`, `TaskEvent`s on `onEvent`, cancellable. */
export const TASK_COMMANDS = ["regions_scan", "ram_apply", "fleet_refresh", "fleet_deep_check", "fleet_fix", "scripts_push", "scripts_test", "snapshot_run", "snapshot_retry", "rollback_run"] as const;
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
   * The instances of these regions (all regions when empty) with the RAM role each holds.
   */
  ramCandidates: (args: { regions: Array<string> }): Promise<RamCandidates> => call<RamCandidates>("ram_candidates", args),
  /**
   * The RAM setup plan for these names and instances; reads only.
   */
  ramPlan: (args: { options: RamOptions }): Promise<RamPlan> => call<RamPlan>("ram_plan", args),
  /**
   * The built-in Sandbox's name, the stored profiles with their keyring state, the current one.
   */
  profilesList: (): Promise<ProfileListing> => call<ProfileListing>("profiles_list"),
  /**
   * Saves a new profile; its secret goes to the OS keyring and is never sent back.
   */
  profileAdd: (args: { input: ProfileInput }): Promise<ProfileEntry> => call<ProfileEntry>("profile_add", args),
  /**
   * Changes a profile's settings; with a secret, replaces the one in the keyring.
   */
  profileUpdate: (args: { input: ProfileInput }): Promise<ProfileEntry> => call<ProfileEntry>("profile_update", args),
  /**
   * Deletes a profile and its keyring entry; the current profile falls back to the Sandbox.
   */
  profileRemove: (args: { name: string }): Promise<ProfileListing> => call<ProfileListing>("profile_remove", args),
  /**
   * Makes a profile current (kept for the next start); answers its name.
   */
  profileSelect: (args: { name: string }): Promise<string> => call<string>("profile_select", args),
  /**
   * Test connection: GetCallerIdentity with that profile's credentials.
   */
  profileTest: (args: { name: string }): Promise<CallerIdentity> => call<CallerIdentity>("profile_test", args),
  /**
   * The aliyun CLI's profiles (~/.aliyun/config.json), never their secrets.
   */
  profileImportList: (): Promise<CliImportListing> => call<CliImportListing>("profile_import_list"),
  /**
   * Imports the chosen aliyun CLI profiles; their secrets go to the keyring only.
   */
  profileImport: (args: { names: Array<string> }): Promise<Array<string>> => call<Array<string>>("profile_import", args),
  /**
   * The current profile's last stored inventory with its age; none before the first refresh.
   */
  fleetCached: (): Promise<StoredInventory | null> => call<StoredInventory | null>("fleet_cached"),
  /**
   * The freeze/thaw template library: what each holds, for how long, its parameters.
   */
  scriptsTemplates: (): Promise<Array<ScriptTemplate>> => call<Array<ScriptTemplate>>("scripts_templates"),
  /**
   * The problems of a template's parameter values (empty when it renders), for live validation.
   */
  scriptsCheckParams: (args: { name: string, params: { [key in string]: string }, freezeTimeoutSeconds: number }): Promise<Array<ScriptProblem>> => call<Array<ScriptProblem>>("scripts_check_params", args),
  /**
   * A template rendered with its parameters: exactly the pair a push would send.
   */
  scriptsRender: (args: { name: string, params: { [key in string]: string }, freezeTimeoutSeconds: number }): Promise<RenderedScripts> => call<RenderedScripts>("scripts_render", args),
  /**
   * Checks one script's bytes as a push would (size, UTF-8, shebang, CRLF, NUL, placeholders).
   */
  scriptsValidate: (args: { content: Array<number> }): Promise<ScriptValidation> => call<ScriptValidation>("scripts_validate", args),
  /**
   * Pre-flight of a snapshot job for instances of the stored inventory: each one's trigger, parameters, prediction and warnings; reads only.
   */
  snapshotPlan: (args: { options: SnapshotOptions, instanceIds: Array<string>, concurrency: number }): Promise<JobPlan> => call<JobPlan>("snapshot_plan", args),
  /**
   * A snapshot job's report as history holds it (live while it runs).
   */
  jobReport: (args: { jobId: string }): Promise<JobReport> => call<JobReport>("job_report", args),
  /**
   * A page of every job's instance-runs, newest first, filtered; with the total for the pager.
   */
  historyList: (args: { filter: HistoryFilter, page: PageRequest }): Promise<HistoryPage> => call<HistoryPage>("history_list", args),
  /**
   * Writes the filtered runs (CSV with BOM, or JSON) into Downloads, else the data folder's exports/; answers the path and row count.
   */
  historyExport: (args: { filter: HistoryFilter, format: ExportFormat }): Promise<ExportFile> => call<ExportFile>("history_export", args),
  /**
   * What rolling the instance back to the group would overwrite, read from the cloud; refuses what cannot be restored.
   */
  rollbackPlan: (args: { instanceId: string, regionId: string, groupId: string }): Promise<RollbackPlan> => call<RollbackPlan>("rollback_plan", args),
  /**
   * Every rollback history holds, newest first, with how far each got.
   */
  rollbackList: (): Promise<Array<RollbackRecord>> => call<Array<RollbackRecord>>("rollback_list"),
  /**
   * The saved settings (language, theme, snapshot job defaults); the defaults before the first save.
   */
  settingsGet: (): Promise<AppSettings> => call<AppSettings>("settings_get"),
  /**
   * Checks and saves the settings whole (settings.json, written atomically); answers them as stored.
   */
  settingsSave: (args: { settings: AppSettings }): Promise<AppSettings> => call<AppSettings>("settings_save", args),
  /**
   * A bug report's text: versions, OS, profile names and kinds, settings, folders, the last log lines with secrets redacted.
   */
  diagnostics: (): Promise<string> => call<string>("diagnostics"),
  /**
   * Opens the log, data or config folder in the OS's file manager.
   */
  openFolder: (args: { kind: FolderKind }): Promise<null> => call<null>("open_folder", args),
  /**
   * Deletes a snapshot group the mandate refused (file-system-consistent where application was required); the run as history now holds it.
   */
  snapshotDeleteGroup: (args: { snapshotGroupId: string }): Promise<RunResult> => call<RunResult>("snapshot_delete_group", args),
  /**
   * The current profile's regions with their instance counts, one event per region.
   */
  regionsScan: (args: { taskId: string }, onEvent: (event: TaskEvent<RegionScanEvent>) => void): Promise<RegionScan> =>
    call<RegionScan>("regions_scan", { ...args, onEvent: channel(onEvent) }),
  /**
   * Sends the plan's `todo` steps and chosen resolutions in order; the account's plan afterwards.
   */
  ramApply: (args: { taskId: string, options: RamOptions }, onEvent: (event: TaskEvent<RamApplyEvent>) => void): Promise<RamApplyReport> =>
    call<RamApplyReport>("ram_apply", { ...args, onEvent: channel(onEvent) }),
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
  /**
   * Sends a freeze/thaw pair (root, 0700), reads it back and records it for the drift check.
   */
  scriptsPush: (args: { taskId: string, instances: Array<InstanceRef>, source: string, freeze: string, thaw: string }, onEvent: (event: TaskEvent<ScriptsEvent>) => void): Promise<PushReport> =>
    call<PushReport>("scripts_push", { ...args, onEvent: channel(onEvent) }),
  /**
   * Runs the freeze then the thaw script on instances without a snapshot.
   */
  scriptsTest: (args: { taskId: string, instances: Array<InstanceRef>, timeoutSeconds: number }, onEvent: (event: TaskEvent<ScriptsEvent>) => void): Promise<Array<TestRun>> =>
    call<Array<TestRun>>("scripts_test", { ...args, onEvent: channel(onEvent) }),
  /**
   * Plans again and runs a snapshot job; the first event names the job.
   */
  snapshotRun: (args: { taskId: string, options: SnapshotOptions, instanceIds: Array<string>, concurrency: number }, onEvent: (event: TaskEvent<JobEvent>) => void): Promise<JobReport> =>
    call<JobReport>("snapshot_run", { ...args, onEvent: channel(onEvent) }),
  /**
   * Runs again, in the same job, the instances that did not meet the mandate.
   */
  snapshotRetry: (args: { taskId: string, jobId: string }, onEvent: (event: TaskEvent<JobEvent>) => void): Promise<JobReport> =>
    call<JobReport>("snapshot_retry", { ...args, onEvent: channel(onEvent) }),
  /**
   * Rolls the instance back to the confirmed plan's group (stopping and starting it only as confirmed); recorded in history.
   */
  rollbackRun: (args: { taskId: string, request: RollbackRequest }, onEvent: (event: TaskEvent<RollbackEvent>) => void): Promise<RollbackRecord> =>
    call<RollbackRecord>("rollback_run", { ...args, onEvent: channel(onEvent) }),
};

export type Commands = typeof commands;
