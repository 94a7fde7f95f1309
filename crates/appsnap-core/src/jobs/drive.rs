//! One region's runs to their end: up to `concurrency` invocations in flight, adaptive
//! polling (fast after a change, backing off while nothing moves), every state change
//! saved to history before the next call and emitted as one event.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use acs_openapi::retry::is_transient;
use acs_openapi::Client;
use futures::StreamExt;

use super::classify::{disk_consistency, group_consistency, judge};
use super::explain::{bounded_output, explain, group_id_in, Evidence};
use super::history::JobStore;
use super::poll::{self, is_final_invocation};
use super::stuck::stop_and_check;
use super::types::{
    DiskResult, Finding, FindingSource, GroupState, JobEvent, JobTuning, Mandate,
    ResultConsistency, RunRecord, RunStatus,
};
use crate::error::AppError;
use crate::fleet::now_ms;
use crate::progress::Reporter;

/// InvokeCommand calls in flight at once per region (the client's default per endpoint).
const SEND_PARALLEL: usize = 8;

pub struct Ctx<'a> {
    pub client: &'a Client,
    pub store: &'a JobStore,
    pub reporter: &'a Reporter<JobEvent>,
    pub tuning: &'a JobTuning,
    pub mandate: Mandate,
    pub concurrency: usize,
    /// Set the freeze timeout the stuck bound adds to (from the options; plugin default 30).
    pub freeze_timeout_secs: u64,
}

/// Drives the region's runs until each is final, or until cancelled (queued runs are
/// cancelled; runs in flight stay in history for `resume`).
pub async fn drive(ctx: &Ctx<'_>, mut runs: Vec<RunRecord>) -> Result<Vec<RunRecord>, AppError> {
    let mut interval = ctx.tuning.first_poll;
    loop {
        if ctx.reporter.is_cancelled() {
            for r in runs
                .iter_mut()
                .filter(|r| r.result.status == RunStatus::Queued)
            {
                set(ctx, r, RunStatus::Cancelled)?;
            }
            return Ok(runs);
        }
        let mut changed = send(ctx, &mut runs).await?;
        if runs.iter().all(|r| r.result.status.is_final()) {
            return Ok(runs);
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = ctx.reporter.cancellation().cancelled() => continue,
        }
        match poll_running(ctx, &mut runs).await {
            Ok(c) => changed |= c,
            Err(_) => interval = interval.mul_f64(2.0), // throttled or down: ask less often
        }
        match poll_groups(ctx, &mut runs).await {
            Ok(c) => changed |= c,
            Err(_) => interval = interval.mul_f64(2.0),
        }
        interval = match changed {
            true => ctx.tuning.first_poll,
            false => interval.mul_f64(ctx.tuning.backoff),
        }
        .min(poll_cap(ctx.tuning, &runs));
    }
}

/// The longest the interval may grow to while nothing changes: a round costs one results
/// call per command plus one group call per `GROUP_BATCH` snapshotting runs, shared by all
/// the runs it covers, and may cost each run at most one call per `poll_budget`. A lone
/// run backs off to the budget (2 s by default); fifty runs keep the first interval.
fn poll_cap(tuning: &JobTuning, runs: &[RunRecord]) -> Duration {
    let running: Vec<&RunRecord> = runs
        .iter()
        .filter(|r| r.result.status == RunStatus::Running)
        .collect();
    let commands: HashSet<&str> = running
        .iter()
        .filter_map(|r| r.result.command_id.as_deref())
        .collect();
    let snapshotting = runs
        .iter()
        .filter(|r| r.result.status == RunStatus::Snapshotting)
        .count();
    let covered = running.len() + snapshotting;
    if covered == 0 {
        return tuning.max_poll;
    }
    let calls = commands.len() + snapshotting.div_ceil(poll::GROUP_BATCH);
    tuning
        .poll_budget
        .mul_f64(calls.max(1) as f64 / covered as f64)
        .clamp(tuning.first_poll.min(tuning.max_poll), tuning.max_poll)
}

fn in_flight(runs: &[RunRecord]) -> usize {
    runs.iter()
        .filter(|r| {
            matches!(
                r.result.status,
                RunStatus::Invoking | RunStatus::Running | RunStatus::Snapshotting
            )
        })
        .count()
}

/// Sends queued runs up to the limit, `SEND_PARALLEL` calls at once; an `Invoking` run (a
/// crash between recording its token and the reply, or a call still failing after the
/// client's retries) is sent again with the same token, so the cloud runs it once. Each
/// token is in history before its call goes out.
async fn send(ctx: &Ctx<'_>, runs: &mut [RunRecord]) -> Result<bool, AppError> {
    let mut chosen = Vec::new();
    for i in 0..runs.len() {
        let status = runs[i].result.status;
        let resend = status == RunStatus::Invoking;
        if !(resend || status == RunStatus::Queued && in_flight(runs) < ctx.concurrency) {
            continue;
        }
        ctx.reporter.checkpoint().ok();
        if ctx.reporter.is_cancelled() && !resend {
            continue;
        }
        if !resend {
            set(ctx, &mut runs[i], RunStatus::Invoking)?;
            ctx.store.save_invocation(&runs[i])?;
        }
        chosen.push(i);
    }
    let timeout = ctx.tuning.command_timeout_secs;
    // Each reply is applied as it comes, so a run shows `Running` (and is polled) as soon
    // as its own invocation is accepted, not when the region's whole batch is. The calls
    // own a copy of their run, leaving `runs` free to change meanwhile.
    let sending: Vec<(usize, RunRecord)> = chosen.iter().map(|&i| (i, runs[i].clone())).collect();
    let mut replies = futures::stream::iter(sending)
        .map(|(i, run)| async move { (i, poll::invoke(ctx.client, &run, timeout).await) })
        .buffer_unordered(SEND_PARALLEL);
    let mut changed = false;
    while let Some((i, reply)) = replies.next().await {
        let r = &mut runs[i];
        match reply {
            Ok((command_id, invoke_id)) => {
                r.result.command_id = Some(command_id);
                r.result.invoke_id = Some(invoke_id);
                r.invoked_ms = Some(now_ms());
                ctx.store.save_invocation(r)?;
                set(ctx, r, RunStatus::Running)?;
            }
            // Still transient after the client's own retries: the run stays `Invoking`
            // and is sent again next round with the same token (the cloud runs it once).
            Err(e) if is_transient(&e) => continue,
            Err(e) => {
                let e = AppError::from(e);
                r.error_code = Some(e.code.name().to_owned());
                r.result.consistency = Some(ResultConsistency::Failed);
                r.result.explanation = r.plan.preflight.clone();
                r.result.explanation.push(Finding {
                    source: FindingSource::ErrorCode,
                    finding: format!(
                        "the invocation was refused: {}{}",
                        e.message,
                        e.request_id
                            .map(|id| format!(" (RequestId {id})"))
                            .unwrap_or_default()
                    ),
                });
                set(ctx, r, RunStatus::Failed)?;
            }
        }
        changed = true;
    }
    Ok(changed)
}

/// One results call per command covers every running invocation of this region.
async fn poll_running(ctx: &Ctx<'_>, runs: &mut [RunRecord]) -> Result<bool, AppError> {
    let mut by_command: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for r in runs
        .iter()
        .filter(|r| r.result.status == RunStatus::Running)
    {
        if let (Some(c), Some(i)) = (&r.result.command_id, &r.result.invoke_id) {
            by_command.entry(c.clone()).or_default().insert(i.clone());
        }
    }
    let mut changed = false;
    let Some(region) = runs.first().map(|r| r.plan.region_id.clone()) else {
        return Ok(false);
    };
    for (command, wanted) in by_command {
        let found = poll::results(ctx.client, &region, &command, &wanted).await?;
        for r in runs
            .iter_mut()
            .filter(|r| r.result.status == RunStatus::Running)
        {
            let Some(id) = r.result.invoke_id.clone() else {
                continue;
            };
            if !wanted.contains(&id) {
                continue;
            }
            match found.get(&id) {
                Some(res) if is_final_invocation(&res.invocation_status) => {
                    r.result.exit_code = res.exit_code;
                    r.started_at = Some(res.start_time.clone()).filter(|t| !t.is_empty());
                    r.error_code = Some(res.error_code.clone()).filter(|c| !c.is_empty());
                    r.output = Some(res.output.clone());
                    if !res.error_info.is_empty() {
                        r.output
                            .get_or_insert_default()
                            .push_str(&format!("\n[ERRORINFO] {}", res.error_info));
                    }
                    r.result.snapshot_group_id = group_id_in(&res.output);
                    r.result.output = r.output.as_deref().map(bounded_output);
                    set(ctx, r, RunStatus::Snapshotting)?;
                    changed = true;
                }
                _ if stuck(ctx, r) => {
                    // Best effort: the finding says what to check either way.
                    let what = stop_and_check(
                        ctx.client,
                        &region,
                        &id,
                        &r.plan.instance_id,
                        ctx.tuning.stop_wait,
                    )
                    .await;
                    r.result.consistency = Some(ResultConsistency::Failed);
                    r.result.explanation = r.plan.preflight.clone();
                    r.result.explanation.push(Finding {
                        source: FindingSource::Stuck,
                        finding: format!(
                            "invocation {id} did not end within the freeze timeout ({} s) plus {} s for the snapshot; {what}; then read the plugin's log (app-snapshot-plugin/<version>/log/app_snapshot_plugin.log.<date>.<n> in the Cloud Assistant plugin directory) for the step it stopped at",
                            ctx.freeze_timeout_secs,
                            ctx.tuning.stuck_allowance.as_secs(),
                        ),
                    });
                    set(ctx, r, RunStatus::Stuck)?;
                    changed = true;
                }
                _ => {}
            }
        }
    }
    Ok(changed)
}

fn stuck(ctx: &Ctx<'_>, r: &RunRecord) -> bool {
    let bound = Duration::from_secs(ctx.freeze_timeout_secs) + ctx.tuning.stuck_allowance;
    r.invoked_ms
        .is_some_and(|t| now_ms() - t > bound.as_millis() as i64)
}

/// Groups of finished invocations: found (by the output's id, else by name and time),
/// awaited until accomplished or every snapshot is available, their snapshots' tags
/// read, the run classified.
async fn poll_groups(ctx: &Ctx<'_>, runs: &mut [RunRecord]) -> Result<bool, AppError> {
    let mut changed = false;
    let Some(region) = runs.first().map(|r| r.plan.region_id.clone()) else {
        return Ok(false);
    };
    for r in runs
        .iter_mut()
        .filter(|r| r.result.status == RunStatus::Snapshotting)
    {
        if r.result.snapshot_group_id.is_none() {
            let name = r
                .plan
                .parameters
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("Name"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let since = r.started_at.clone().unwrap_or_default();
            let g = poll::group_by_name(ctx.client, &region, &r.plan.instance_id, &name, &since)
                .await?;
            r.result.snapshot_group_id = g.map(|g| g.snapshot_group_id);
            if r.result.snapshot_group_id.is_none() {
                let waited = now_ms() - r.invoked_ms.unwrap_or(0);
                if r.result.exit_code != Some(0)
                    || waited > ctx.tuning.group_wait.as_millis() as i64
                {
                    finish(ctx, r, None, Vec::new())?;
                    changed = true;
                }
                continue;
            }
        }
    }
    let ids: Vec<String> = runs
        .iter()
        .filter(|r| r.result.status == RunStatus::Snapshotting)
        .filter_map(|r| r.result.snapshot_group_id.clone())
        .collect();
    if ids.is_empty() {
        return Ok(changed);
    }
    let groups = poll::groups(ctx.client, &region, &ids).await?;
    let ended: Vec<_> = groups
        .iter()
        .filter_map(|g| {
            let available: Vec<bool> = g.snapshots.snapshot.iter().map(|s| s.available).collect();
            GroupState::of(&g.status, &available).map(|state| (g, state))
        })
        .collect();
    // One tag read for every group that ended this round (100 snapshots a call), not one
    // per group: each poll call counts against the per-job budget.
    let snapshot_ids: Vec<String> = ended
        .iter()
        .flat_map(|(g, _)| g.snapshots.snapshot.iter().map(|s| s.snapshot_id.clone()))
        .collect();
    let tags = match snapshot_ids.is_empty() {
        true => Default::default(),
        false => poll::snapshot_tags(ctx.client, &region, &snapshot_ids).await?,
    };
    for (g, state) in ended {
        let disks: Vec<DiskResult> = g
            .snapshots
            .snapshot
            .iter()
            .map(|s| {
                let t = tags.get(&s.snapshot_id).cloned().unwrap_or_default();
                DiskResult {
                    disk_id: s.source_disk_id.clone(),
                    snapshot_id: s.snapshot_id.clone(),
                    consistency: disk_consistency(&t),
                    tags: t,
                }
            })
            .collect();
        if let Some(r) = runs.iter_mut().find(|r| {
            r.result.status == RunStatus::Snapshotting
                && r.result.snapshot_group_id.as_deref() == Some(g.snapshot_group_id.as_str())
        }) {
            finish(ctx, r, Some((state, g.status.as_str())), disks)?;
            changed = true;
        }
    }
    Ok(changed)
}

/// Classifies, explains and ends the run; `group` is its state and the cloud's status.
fn finish(
    ctx: &Ctx<'_>,
    r: &mut RunRecord,
    group: Option<(GroupState, &str)>,
    disks: Vec<DiskResult>,
) -> Result<(), AppError> {
    let group_state = group.map(|(state, _)| state);
    let group_status = group.map(|(_, status)| status);
    let group = match group_state {
        Some(state) if state.usable() => group_consistency(&disks),
        _ => ResultConsistency::Failed,
    };
    let (consistency, status) = judge(group, ctx.mandate);
    let (error_code, output) = (r.error_code.clone(), r.output.clone());
    let error_info = output
        .as_deref()
        .and_then(|o| o.lines().rev().find_map(|l| l.strip_prefix("[ERRORINFO] ")));
    r.result.explanation = explain(&Evidence {
        preflight: &r.plan.preflight,
        exit_code: r.result.exit_code,
        error_code: error_code.as_deref(),
        error_info,
        output: output.as_deref(),
        group_id: r.result.snapshot_group_id.as_deref(),
        group_status: group_status.filter(|_| group_state == Some(GroupState::Failed)),
        disks: &disks,
        consistency,
        mandate_failed: group == ResultConsistency::Filesystem
            && consistency == ResultConsistency::Failed,
    });
    r.result.disks = disks;
    r.result.group_state = group_state;
    r.result.consistency = Some(consistency);
    set(ctx, r, status)
}

/// Saves the run with its new status, then tells the front end.
pub fn set(ctx: &Ctx<'_>, r: &mut RunRecord, status: RunStatus) -> Result<(), AppError> {
    r.result.status = status;
    ctx.store.save_run(r)?;
    ctx.reporter.emit(JobEvent::RunChanged {
        job_id: r.job_id.clone(),
        instance_id: r.result.instance_id.clone(),
        region_id: r.result.region_id.clone(),
        status,
        invoke_id: r.result.invoke_id.clone(),
        consistency: r.result.consistency,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::types::{PlannedRun, RunResult, Trigger};

    fn run(status: RunStatus, command: &str) -> RunRecord {
        RunRecord {
            job_id: "job-1".into(),
            plan: PlannedRun {
                instance_id: "i-1".into(),
                region_id: "cn-hangzhou".into(),
                os_type: "linux".into(),
                trigger: Trigger::Plugin {
                    command_type: "RunShellScript".into(),
                },
                parameters: BTreeMap::new(),
                preflight: Vec::new(),
                predicted: crate::fleet::Consistency::Application,
                warnings: Vec::new(),
            },
            attempt: 1,
            client_token: "t".into(),
            invoked_ms: None,
            started_at: None,
            error_code: None,
            output: None,
            scripts_pushed: None,
            result: RunResult {
                instance_id: "i-1".into(),
                region_id: "cn-hangzhou".into(),
                command_id: Some(command.into()),
                invoke_id: Some("t-1".into()),
                exit_code: None,
                snapshot_group_id: None,
                group_state: None,
                consistency: None,
                disks: Vec::new(),
                explanation: Vec::new(),
                status,
                output: None,
                group_deleted: false,
            },
        }
    }

    #[test]
    fn the_poll_cap_spends_the_budget_across_the_runs_one_round_covers() {
        let t = JobTuning::default();
        let ms = |runs: &[RunRecord]| poll_cap(&t, runs).as_millis();
        // One run alone: one call per round, so at most one round per 2 s.
        assert_eq!(ms(&[run(RunStatus::Running, "c-1")]), 2000);
        // Four runs of one command share the call: 2 s / 4.
        assert_eq!(ms(&vec![run(RunStatus::Running, "c-1"); 4]), 500);
        // Two commands, two runs: a call each, no saving.
        assert_eq!(
            ms(&[
                run(RunStatus::Running, "c-1"),
                run(RunStatus::Running, "c-2")
            ]),
            2000
        );
        // Fifty runs never poll faster than the first interval.
        assert_eq!(ms(&vec![run(RunStatus::Running, "c-1"); 50]), 500);
        // A snapshotting run adds its group call: 2 calls over 3 runs.
        let mixed = [
            run(RunStatus::Running, "c-1"),
            run(RunStatus::Running, "c-1"),
            run(RunStatus::Snapshotting, "c-1"),
        ];
        assert_eq!(ms(&mixed), 1333);
        // Nothing in flight (all queued or final): the ceiling.
        assert_eq!(ms(&[run(RunStatus::Queued, "c-1")]), 5000);
    }
}
