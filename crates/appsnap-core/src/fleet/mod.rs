//! The instance picker's engine: the fleet of every region (or chosen ones) read with
//! list and batch calls, each instance checked (`pass|fail|warn|unknown` with a named
//! reason and a fix), its consistency predicted, the guest looked at by a read-only
//! probe on request, and the last inventory kept per profile in `appsnap.db`.
//!
//! Layout, lowest first (nothing imports upward): `types` (data), `reason` (texts),
//! `os` (the OS matrix), `checks` → `predict` (pure), `assembly` (a region's answers
//! joined per instance), `roles` + `inventory` (cloud reads), `probe_output` → `probe` (the deep check), `refresh` (a re-read laid over the
//! last inventory), `fix` (a check's fix, then the re-read), `store` (SQLite).

mod assembly;
mod checks;
#[cfg(test)]
mod export;
mod fix;
mod inventory;
mod os;
mod predict;
mod probe;
mod probe_output;
mod reason;
mod refresh;
mod roles;
mod store;
mod types;

pub use checks::{ESSD_FAMILY, SCRIPT_PATHS};
pub use fix::{fix, FixTuning, INSTALL_BATCH};
pub use inventory::{inventory, AGENT_BATCH, ROLE_BATCH};
pub use predict::{assess, predict, APPLICATION, BLOCKING};
pub use probe::{deep_check, ProbeTuning, PROBE_BATCH};
pub(crate) use probe::{FINAL as FINAL_STATES, LINUX_PROBE};
pub use probe_output::parse_probe;
pub use refresh::merge;
pub(crate) use store::db_error as store_error;
pub use store::{data_dir, now_ms, set_aside_files, FleetStore, DB_FILE, SCHEMA_VERSION};
pub use types::*;
