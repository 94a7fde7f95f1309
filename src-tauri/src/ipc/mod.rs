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
use appsnap_core::inventory::{RegionScan, RegionScanEvent};
use appsnap_core::status::AppStatus;

table::ipc_commands! {
    calls {
        /// The shell's version, current profile, sandbox state and log directory.
        fn app_status() -> AppStatus;
        /// Asks a running task to stop; `false` when no task has that id (it may have ended).
        fn task_cancel(task_id: String) -> bool;
        /// The current profile's last stored inventory with its age; none before the first refresh.
        fn fleet_cached() -> Option<StoredInventory>;
    }
    tasks {
        /// The current profile's regions with their instance counts, one event per region.
        fn regions_scan() -> RegionScan, events RegionScanEvent;
        /// Reads the regions (empty = all) into the stored inventory, one event per region.
        fn fleet_refresh(regions: Vec<String>) -> StoredInventory, events FleetEvent;
        /// Probes instances (empty = all) of the stored inventory and checks them again.
        fn fleet_deep_check(instance_ids: Vec<String>) -> StoredInventory, events FleetEvent;
        /// Carries out a check's fix for instances, then reads their regions again.
        fn fleet_fix(request: FixRequest) -> FixReport, events FixEvent;
    }
}
