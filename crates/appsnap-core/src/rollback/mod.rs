//! Rollback from a snapshot group (issue 12): a plan in plain words (each disk to be
//! overwritten, its size, the group's time and consistency), the instance stopped only on
//! explicit confirmation, `ResetDisks` with the group's snapshots, optionally started
//! again, and the rollback recorded in `appsnap.db`. A group of another instance, a group
//! not `accomplished` and disks that no longer exist are refused before any change.
//!
//! Layout: `types` (data), `plan` (reads only) → `record` (SQLite) → `apply` (the writes).

mod apply;
mod plan;
mod record;
mod types;

pub use apply::rollback;
pub use plan::{check_request, confirmation_word, describe, locate, plan};
pub use record::RollbackLog;
pub use types::*;
