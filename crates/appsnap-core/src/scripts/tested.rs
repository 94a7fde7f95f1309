//! A test run's verdict laid onto the stored inventory (each instance's `script_test`), so
//! the picker and the snapshot dialog predict with it: a freeze script that fails or hangs
//! gives file-system consistency only, which no read-only probe can see. A push replaces
//! the scripts and clears the fact (records.rs).

use std::collections::HashMap;

use super::test_run::{TestRun, TestVerdict};
use crate::error::AppError;
use crate::fleet::{assess, FleetStore, Inventory, ScriptTestFact};

impl FleetStore {
    /// Records `runs` (those that ran) on the profile's stored inventory.
    pub fn record_test_runs(
        &mut self,
        profile: &str,
        runs: &[TestRun],
        tested_at_ms: i64,
    ) -> Result<(), AppError> {
        let facts: HashMap<&str, ScriptTestFact> = runs
            .iter()
            .filter(|r| r.verdict != TestVerdict::NotRun)
            .map(|r| (r.instance_id.as_str(), fact(r, tested_at_ms)))
            .collect();
        self.update_instances(profile, |i| match facts.get(i.instance_id.as_str()) {
            Some(f) => {
                i.script_test = Some(f.clone());
                true
            }
            None => false,
        })
    }
}

impl FleetStore {
    /// Gives a fresh cloud read the test verdicts the stored inventory holds (a read never
    /// looks inside the guest; the verdict stands until the next push), checks made again.
    pub fn keep_script_tests(&self, profile: &str, fresh: &mut Inventory) -> Result<(), AppError> {
        let Some(stored) = self.load(profile, 0)? else {
            return Ok(());
        };
        let facts: HashMap<String, ScriptTestFact> = stored
            .inventory
            .instances
            .into_iter()
            .filter_map(|a| Some((a.instance.instance_id, a.instance.script_test?)))
            .collect();
        let limit = fresh.group_disk_limit;
        fresh.instances = std::mem::take(&mut fresh.instances)
            .into_iter()
            .map(|a| match facts.get(&a.instance.instance_id) {
                Some(f) if a.instance.script_test.is_none() => {
                    let mut i = a.instance;
                    i.script_test = Some(f.clone());
                    assess(i, limit)
                }
                _ => a,
            })
            .collect();
        Ok(())
    }
}

fn fact(r: &TestRun, tested_at_ms: i64) -> ScriptTestFact {
    ScriptTestFact {
        verdict: r.verdict,
        freeze_exit_code: r.freeze.as_ref().map(|s| s.exit_code),
        thaw_exit_code: r.thaw.as_ref().map(|s| s.exit_code),
        freeze_window_ms: r.freeze_window_ms,
        timeout_seconds: r.timeout_seconds,
        tested_at_ms,
    }
}
