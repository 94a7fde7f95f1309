//! What each IPC command does: validate the input, call appsnap-core, answer or fail with
//! an `AppError`. The table in `ipc/mod.rs` names them and wraps them for Tauri.

mod fleet;
mod history;
mod inventory;
mod jobs;
mod profiles;
mod ram;
mod scripts;
mod settings;
mod status;
mod tasks;

pub use fleet::{fleet_cached, fleet_deep_check, fleet_fix, fleet_refresh};
pub use history::{history_export, history_list, rollback_list, rollback_plan, rollback_run};
pub use inventory::regions_scan;
pub use jobs::{job_report, snapshot_delete_group, snapshot_plan, snapshot_retry, snapshot_run};
pub use profiles::{
    profile_add, profile_import, profile_import_list, profile_remove, profile_select, profile_test,
    profile_update, profiles_list,
};
pub use ram::{ram_apply, ram_candidates, ram_plan};
pub use scripts::{
    scripts_check_params, scripts_push, scripts_render, scripts_templates, scripts_test,
    scripts_validate,
};
pub use settings::{diagnostics, open_folder, settings_get, settings_save};
pub use status::app_status;
pub use tasks::task_cancel;
