//! The command table: every IPC command, its arguments and its result, once. It feeds
//! `tauri::generate_handler!` and `ui/src/bindings/commands.ts` (typed wrappers, generated
//! by `cargo test export_bindings`; `make bindings-check` fails when they are stale).
//!
//! To add a command: write `commands::<name>` (validate → core → `AppError`), add a line
//! here, run `cargo test export_bindings`, add the method to the UI's in-memory backend.

mod table;
pub mod task;
#[cfg(test)]
pub mod typescript;

use appsnap_core::fleet::{FixEvent, FixReport, FixRequest, FleetEvent, StoredInventory};
use appsnap_core::history::{ExportFile, ExportFormat, HistoryFilter, HistoryPage, PageRequest};
use appsnap_core::inventory::{RegionScan, RegionScanEvent};
use appsnap_core::jobs::{JobEvent, JobPlan, JobReport, RunResult, SnapshotOptions};
use appsnap_core::profiles::{
    CallerIdentity, CliImportListing, ProfileEntry, ProfileInput, ProfileListing,
};
use appsnap_core::ram::InstanceRef;
use appsnap_core::ram::{RamApplyEvent, RamApplyReport, RamCandidates, RamOptions, RamPlan};
use appsnap_core::rollback::{RollbackEvent, RollbackPlan, RollbackRecord, RollbackRequest};
use appsnap_core::scripts::{
    PushReport, RenderedScripts, ScriptProblem, ScriptTemplate, ScriptValidation, ScriptsEvent,
    TestRun,
};
use appsnap_core::settings::AppSettings;
use appsnap_core::status::{AppStatus, FolderKind};
use std::collections::BTreeMap;

table::ipc_commands! {
    calls {
        /// The shell's version, current profile, sandbox state and log directory.
        fn app_status() -> AppStatus;
        /// Asks a running task to stop; `false` when no task has that id (it may have ended).
        fn task_cancel(task_id: String) -> bool;
        /// The instances of these regions (all regions when empty) with the RAM role each holds.
        fn ram_candidates(regions: Vec<String>) -> RamCandidates;
        /// The RAM setup plan for these names and instances; reads only.
        fn ram_plan(options: RamOptions) -> RamPlan;
        /// The built-in Sandbox's name, the stored profiles with their keyring state, the current one.
        fn profiles_list() -> ProfileListing;
        /// Saves a new profile; its secret goes to the OS keyring and is never sent back.
        fn profile_add(input: ProfileInput) -> ProfileEntry;
        /// Changes a profile's settings; with a secret, replaces the one in the keyring.
        fn profile_update(input: ProfileInput) -> ProfileEntry;
        /// Deletes a profile and its keyring entry; the current profile falls back to the Sandbox.
        fn profile_remove(name: String) -> ProfileListing;
        /// Makes a profile current (kept for the next start); answers its name.
        fn profile_select(name: String) -> String;
        /// Test connection: GetCallerIdentity with that profile's credentials.
        fn profile_test(name: String) -> CallerIdentity;
        /// The aliyun CLI's profiles (~/.aliyun/config.json), never their secrets.
        fn profile_import_list() -> CliImportListing;
        /// Imports the chosen aliyun CLI profiles; their secrets go to the keyring only.
        fn profile_import(names: Vec<String>) -> Vec<String>;
        /// The current profile's last stored inventory with its age; none before the first refresh.
        fn fleet_cached() -> Option<StoredInventory>;
        /// The freeze/thaw template library: what each holds, for how long, its parameters.
        fn scripts_templates() -> Vec<ScriptTemplate>;
        /// The problems of a template's parameter values (empty when it renders), for live validation.
        fn scripts_check_params(name: String, params: BTreeMap<String, String>, freeze_timeout_seconds: u32) -> Vec<ScriptProblem>;
        /// A template rendered with its parameters: exactly the pair a push would send.
        fn scripts_render(name: String, params: BTreeMap<String, String>, freeze_timeout_seconds: u32) -> RenderedScripts;
        /// Checks one script's bytes as a push would (size, UTF-8, shebang, CRLF, NUL, placeholders).
        fn scripts_validate(content: Vec<u8>) -> ScriptValidation;
        /// Pre-flight of a snapshot job for instances of the stored inventory: each one's trigger, parameters, prediction and warnings; reads only.
        fn snapshot_plan(options: SnapshotOptions, instance_ids: Vec<String>, concurrency: u32) -> JobPlan;
        /// A snapshot job's report as history holds it (live while it runs).
        fn job_report(job_id: String) -> JobReport;
        /// A page of every job's instance-runs, newest first, filtered; with the total for the pager.
        fn history_list(filter: HistoryFilter, page: PageRequest) -> HistoryPage;
        /// Writes the filtered runs (CSV with BOM, or JSON) into Downloads, else the data folder's exports/; answers the path and row count.
        fn history_export(filter: HistoryFilter, format: ExportFormat) -> ExportFile;
        /// What rolling the instance back to the group would overwrite, read from the cloud; refuses what cannot be restored.
        fn rollback_plan(instance_id: String, region_id: String, group_id: String) -> RollbackPlan;
        /// Every rollback history holds, newest first, with how far each got.
        fn rollback_list() -> Vec<RollbackRecord>;
        /// The saved settings (language, theme, snapshot job defaults); the defaults before the first save.
        fn settings_get() -> AppSettings;
        /// Checks and saves the settings whole (settings.json, written atomically); answers them as stored.
        fn settings_save(settings: AppSettings) -> AppSettings;
        /// A bug report's text: versions, OS, profile names and kinds, settings, folders, the last log lines with secrets redacted.
        fn diagnostics() -> String;
        /// Opens the log, data or config folder in the OS's file manager.
        fn open_folder(kind: FolderKind) -> ();
        /// Deletes a snapshot group the mandate refused (file-system-consistent where application was required); the run as history now holds it.
        fn snapshot_delete_group(snapshot_group_id: String) -> RunResult;
    }
    tasks {
        /// The current profile's regions with their instance counts, one event per region.
        fn regions_scan() -> RegionScan, events RegionScanEvent;
        /// Sends the plan's `todo` steps and chosen resolutions in order; the account's plan afterwards.
        fn ram_apply(options: RamOptions) -> RamApplyReport, events RamApplyEvent;
        /// Reads the regions (empty = all) into the stored inventory, one event per region.
        fn fleet_refresh(regions: Vec<String>) -> StoredInventory, events FleetEvent;
        /// Probes instances (empty = all) of the stored inventory and checks them again.
        fn fleet_deep_check(instance_ids: Vec<String>) -> StoredInventory, events FleetEvent;
        /// Carries out a check's fix for instances, then reads their regions again.
        fn fleet_fix(request: FixRequest) -> FixReport, events FixEvent;
        /// Sends a freeze/thaw pair (root, 0700), reads it back and records it for the drift check.
        fn scripts_push(instances: Vec<InstanceRef>, source: String, freeze: String, thaw: String) -> PushReport, events ScriptsEvent;
        /// Runs the freeze then the thaw script on instances without a snapshot.
        fn scripts_test(instances: Vec<InstanceRef>, timeout_seconds: u32) -> Vec<TestRun>, events ScriptsEvent;
        /// Plans again and runs a snapshot job; the first event names the job.
        fn snapshot_run(options: SnapshotOptions, instance_ids: Vec<String>, concurrency: u32) -> JobReport, events JobEvent;
        /// Runs again, in the same job, the instances that did not meet the mandate.
        fn snapshot_retry(job_id: String) -> JobReport, events JobEvent;
        /// Rolls the instance back to the confirmed plan's group (stopping and starting it only as confirmed); recorded in history.
        fn rollback_run(request: RollbackRequest) -> RollbackRecord, events RollbackEvent;
    }
}
