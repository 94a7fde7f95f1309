//! Before a Linux run with freeze on: the scripts AppSnap pushed to the instance
//! (scripts/records.rs) are pushed again to `/tmp`, which a reboot may have emptied, and
//! read back, as the run's "scripts pushed" step; the push is recorded again. Instances
//! without a record are not touched, and the plan says so: the run uses whatever the
//! guest holds at those paths. A push that fails or does not verify does not stop the
//! run: the plugin falls back to file-system consistency, and the explanation says why.

use std::collections::BTreeMap;

use acs_openapi::Client;

use super::history::JobStore;
use super::types::{
    Finding, FindingSource, JobEvent, JobPlan, JobTuning, RunRecord, RunStatus, SnapshotOptions,
};
use crate::error::AppError;
use crate::fleet::{now_ms, FleetStore};
use crate::progress::Reporter;
use crate::ram::InstanceRef;
use crate::scripts::{prepare, push, PushedScript, ScriptRole};

/// What a run will do with its scripts, from the records: `Ok(source)` when both
/// scripts and their text are recorded, else why they will not be pushed again.
fn recorded_pair<'r>(
    recorded: &'r [PushedScript],
    instance_id: &str,
) -> Result<(&'r PushedScript, &'r PushedScript), String> {
    let mine = |role| {
        recorded
            .iter()
            .find(|r| r.instance_id == instance_id && r.role == role)
    };
    match (mine(ScriptRole::Freeze), mine(ScriptRole::Thaw)) {
        (None, None) => Err("AppSnap has no record of pushing scripts to this instance, so none are pushed again before the run: the snapshot uses whatever /tmp/prescript.sh and /tmp/postscript.sh hold (push them from the Scripts screen to know)".to_owned()),
        (Some(f), Some(t)) if f.content.is_some() && t.content.is_some() => Ok((f, t)),
        (Some(_), Some(_)) => Err("the scripts were pushed before AppSnap kept their text, so they cannot be pushed again before the run: push them once more from the Scripts screen".to_owned()),
        _ => Err("only one of the two scripts is recorded for this instance, so they are not pushed again before the run: push the pair again".to_owned()),
    }
}

fn wanted(os_type: &str, options: &SnapshotOptions) -> bool {
    !os_type.eq_ignore_ascii_case("windows") && options.fs_freeze
}

/// Adds to each Linux run's warnings what happens to its scripts before the run, from
/// the profile's records in `store`.
pub fn note_scripts(store: &JobStore, profile: &str, plan: &mut JobPlan) -> Result<(), AppError> {
    let ids: Vec<String> = plan.runs.iter().map(|r| r.instance_id.clone()).collect();
    let recorded = store.pushed_scripts(profile, &ids)?;
    for r in plan.runs.iter_mut() {
        if !wanted(&r.os_type, &plan.options) {
            continue;
        }
        r.warnings.push(match recorded_pair(&recorded, &r.instance_id) {
            Ok((f, _)) => format!(
                "the scripts AppSnap pushed ({}, freeze SHA-256 {}…) are pushed again to /tmp and verified before the run",
                f.source,
                &f.sha256[..f.sha256.len().min(12)]
            ),
            Err(why) => why,
        });
    }
    Ok(())
}

/// Pushes the recorded scripts again for the queued Linux runs that have a record and
/// were not pushed in this attempt yet, one
/// `ScriptsPushed` event per instance; the result is in each run's history and, when it
/// fell short, the first finding of its explanation.
pub async fn repush(
    client: &Client,
    store: &JobStore,
    profile: &str,
    options: &SnapshotOptions,
    runs: &mut [RunRecord],
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<(), AppError> {
    let ids: Vec<String> = runs
        .iter()
        // Not sent and not pushed yet: a resumed job pushes only what the crash skipped.
        .filter(|r| {
            r.result.status == RunStatus::Queued
                && r.scripts_pushed.is_none()
                && wanted(&r.plan.os_type, options)
        })
        .map(|r| r.plan.instance_id.clone())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let recorded = store.pushed_scripts(profile, &ids)?;
    // Instances with the same pair share one push (SendFile takes up to 50 at once).
    let mut pairs: BTreeMap<(String, String, String), Vec<InstanceRef>> = BTreeMap::new();
    for r in runs.iter().filter(|r| ids.contains(&r.plan.instance_id)) {
        if let Ok((f, t)) = recorded_pair(&recorded, &r.plan.instance_id) {
            let key = (
                f.content.clone().unwrap_or_default(),
                t.content.clone().unwrap_or_default(),
                f.source.clone(),
            );
            pairs.entry(key).or_default().push(InstanceRef {
                instance_id: r.plan.instance_id.clone(),
                region_id: r.plan.region_id.clone(),
            });
        }
    }
    let quiet = Reporter::new(|_| {}, reporter.cancellation().clone());
    let mut outcome: BTreeMap<String, (bool, String)> = BTreeMap::new();
    for ((freeze, thaw, source), targets) in pairs {
        reporter.checkpoint()?;
        let prepared = match prepare(freeze.as_bytes(), thaw.as_bytes()) {
            Ok(p) => p,
            Err(e) => {
                for t in &targets {
                    outcome.insert(
                        t.instance_id.clone(),
                        (
                            false,
                            format!(
                                "the recorded scripts no longer pass validation: {}",
                                e.message
                            ),
                        ),
                    );
                }
                continue;
            }
        };
        let report = push(
            client,
            &targets,
            &prepared,
            &source,
            &tuning.scripts,
            &quiet,
        )
        .await?;
        if let Some(dir) = store.path().parent() {
            // The record follows the guest; failing to keep it does not fail the run.
            let _ =
                FleetStore::open(dir).and_then(|mut s| s.record_push(profile, &report, now_ms()));
        }
        for i in &report.instances {
            let text = match (i.verified, &i.verify_error) {
                (true, _) => {
                    format!("the scripts ({source}) were pushed again to /tmp and verified")
                }
                (false, Some(why)) => {
                    format!("the scripts were pushed again but could not be read back: {why}")
                }
                (false, None) => {
                    let wrong: Vec<String> = i
                        .files
                        .iter()
                        .filter(|f| !f.written || !f.mismatches.is_empty())
                        .map(|f| match f.written {
                            false => format!("{} not written ({})", f.path, f.send_status),
                            true => format!(
                                "{} differs ({})",
                                f.path,
                                f.mismatches
                                    .iter()
                                    .map(|m| m.name())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        })
                        .collect();
                    format!("pushing the scripts again fell short: {}", wrong.join("; "))
                }
            };
            outcome.insert(i.instance_id.clone(), (i.verified, text));
        }
    }
    for r in runs.iter_mut() {
        let Some((verified, detail)) = outcome.remove(&r.plan.instance_id) else {
            continue;
        };
        r.scripts_pushed = Some(verified);
        if !verified {
            r.plan.preflight.push(Finding {
                source: FindingSource::Preflight,
                finding: detail.clone(),
            });
        }
        store.save_run(r)?;
        reporter.emit(JobEvent::ScriptsPushed {
            job_id: r.job_id.clone(),
            instance_id: r.plan.instance_id.clone(),
            region_id: r.plan.region_id.clone(),
            verified,
            detail,
        });
    }
    Ok(())
}
