//! The RAM-role setup engine (seed step 1): plan the four steps from the account's real
//! state, then apply only what is missing, streaming typed events.
//!
//! Layout, lowest first (nothing imports upward): `types` (data), `documents` (the
//! seed's two documents), `grammar` → `evaluate` and `diff` (what a document does and how
//! it differs), `options` (input checks), `cloud` (exact requests, error meanings),
//! `plan` + `plan_instances` (reads only), `candidates` (the instances to offer), `probe` (read-back after a lost reply),
//! `apply` + `apply_instances` (writes).

mod apply;
mod apply_instances;
mod candidates;
mod cloud;
mod diff;
mod documents;
mod evaluate;
mod grammar;
mod options;
mod plan;
mod plan_instances;
mod probe;
mod types;

pub use apply::{apply, ApplyTuning};
pub use candidates::{candidates, RamCandidate, RamCandidates};
pub use diff::{diff, diff_documents};
pub use documents::{ecs_trust_policy, snapshot_policy, ECS_SERVICE, SNAPSHOT_ACTIONS};
pub use evaluate::{covers, evaluate_policy, evaluate_trust, overlaps};
pub use plan::plan;
pub use types::*;
