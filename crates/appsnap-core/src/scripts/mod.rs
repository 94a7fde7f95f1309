//! Freeze/thaw scripts: the template library (real `.sh` files under `templates/`, each a
//! freeze + thaw pair), rendering with checked parameters, validation of any script
//! before it is sent (SendFile's size limit, UTF-8, shebang, LF endings, no NUL bytes,
//! every placeholder filled), and on instances: push with SendFile and read back,
//! records of what was pushed where (`appsnap.db`), the drift check, and the test run.
//!
//! Layout, lowest first (nothing imports upward): `types` (data), `validate` (a script's
//! bytes), `catalogue` (the templates), `params` (values against rules), `render`;
//! `guest_run` (RunCommand and its results) → `verify` (read-back through the fleet's
//! probe) → `push` → `records` (the store) → `drift`; `test_run` → `tested` (its verdict
//! on the stored inventory, which the picker's checks read).

mod catalogue;
mod drift;
mod guest_run;
mod params;
mod push;
mod records;
mod render;
mod test_run;
mod tested;
mod types;
mod validate;
mod verify;

pub use catalogue::DEFAULT_FREEZE_TIMEOUT_SECONDS;
pub use drift::{
    compare as compare_drift, drift, drift_check, with_drift, DriftFile, DriftResult, DriftState,
};
pub use guest_run::ScriptsTuning;
pub use params::check_value;
pub use push::{
    prepare, push, InstancePush, PreparedScripts, PushReport, PushedFile, SEND_FILE_BATCH,
};
pub(crate) use records::pushed_scripts_in;
pub use records::{PushedScript, RECORDS_MIGRATION};
pub use render::{check_params, render, templates};
pub use test_run::{
    parse_script_test, script_test, test_run, ScriptRun, TestRun, TestVerdict,
    SNAPSHOT_ALLOWANCE_MS,
};
pub use types::*;
pub use validate::{validate_script, MAX_SCRIPT_BYTES, SEND_FILE_BASE64_LIMIT};
pub use verify::{
    compare_file, found as found_file, sha256_hex, ExpectedFile, Mismatch, SCRIPT_GROUP,
    SCRIPT_MODE, SCRIPT_OWNER,
};
