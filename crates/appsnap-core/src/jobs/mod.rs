//! Application-consistent snapshot jobs (issue 11, engine): the trigger discovered per
//! region, the dialog's options checked and mapped onto it, pre-flight from the fleet's
//! checks, invocations with a ClientToken per instance-run, adaptive batched polling, the
//! group and its tags read, each result classified and explained, all in `appsnap.db`.
//!
//! Faults: the client retries throttling, 5xx and dropped connections; an InvokeCommand
//! still failing that way stays `Invoking` and is sent again with the same ClientToken
//! (the cloud answers with the same invocation), a refusal or a malformed reply (no
//! InvokeId) fails the run with the cloud's words. A run with no end past the freeze
//! timeout + `JobTuning::stuck_allowance` is stopped (`StopInvocation`) and watched for
//! its end for `stop_wait`, the plugin's thaw; the finding says whether it ended and what
//! to check. Before a Linux run the scripts AppSnap recorded pushing are pushed again to
//! `/tmp` and verified (`repush`); the plan says when none are recorded.
//!
//! Layout, lowest first (nothing imports upward): `types` (data), `options`, `classify`,
//! `explain` (pure), `discover` → `plan` (pre-flight), `history` (SQLite), `poll` (the
//! calls), `stuck` (stop and check), `drive` (one region's loop) → `run` (jobs, retry, resume);
//! `repush` (scripts before a run), `refused` (deleting a group the mandate refused).

mod classify;
mod discover;
mod drive;
mod explain;
mod history;
mod options;
mod plan;
mod poll;
mod refused;
mod repush;
mod run;
mod stuck;
mod types;

pub use classify::{disk_consistency, group_consistency, judge, APP_TAG, FS_TAG};
pub use discover::{choose, command_type, discover, plugin_script, DEFAULT_PATTERN};
pub use explain::{bounded_output, group_id_in, notable_lines, OUTPUT_LIMIT};
pub use history::{JobStore, StoredJob};
pub use options::{check_name, map_parameters, parameter_names, validate, wanted};
pub use plan::{default_name, new_job_id, plan, CONCURRENCY};
pub use refused::{check_group_id, delete_refused_group, refused_group};
pub use repush::note_scripts;
pub use run::{resume, resume_all, retry_failed, run};
pub use types::*;

/// The jobs' step of `appsnap.db`'s migrations.
pub(crate) const HISTORY_MIGRATION: &str = history::MIGRATION;
