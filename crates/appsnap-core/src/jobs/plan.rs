//! Pre-flight: options checked, every instance's prediction from the picker's checks
//! (an ineligible one cannot be submitted), the trigger discovered once per region and
//! OS type, the options mapped onto it. Only reads are sent (`DescribeCommands`); any
//! problem refuses the whole job with every reason named.

use std::collections::{BTreeMap, BTreeSet};

use acs_openapi::Client;

use super::discover::discover;
use super::options::{map_parameters, validate, wanted};
use super::types::{Finding, FindingSource, JobPlan, PlannedRun, SnapshotOptions, Trigger};
use crate::error::AppError;
use crate::fleet::{Assessed, CheckStatus, Consistency, GuestFacts, RoleFact};

/// Invocations in flight per region at once: 1–100 (InvokeCommand's instance bound, §7.2).
pub const CONCURRENCY: (u32, u32) = (1, 100);

/// The job's id: `job-` and 12 hex digits (also in the default group name).
pub fn new_job_id() -> String {
    let t = acs_openapi::actions::new_client_token().replace('-', "");
    format!("job-{}", &t[..12])
}

/// The default snapshot-group name, found again by it after the run.
pub fn default_name(job_id: &str) -> String {
    format!("AppSnap-{job_id}")
}

/// A plan for these instances (as the picker assessed them) or every reason it cannot run.
pub async fn plan(
    client: &Client,
    job_id: &str,
    instances: &[Assessed],
    options: &SnapshotOptions,
    concurrency: u32,
    pattern: &str,
) -> Result<JobPlan, AppError> {
    validate(options)?;
    if concurrency < CONCURRENCY.0 || concurrency > CONCURRENCY.1 {
        return Err(AppError::invalid_input(format!(
            "concurrency is {concurrency}; it must be {}-{}",
            CONCURRENCY.0, CONCURRENCY.1
        )));
    }
    if instances.is_empty() {
        return Err(AppError::invalid_input("no instance was chosen"));
    }
    let mut problems = eligibility(instances, options);
    if !problems.is_empty() {
        return Err(AppError::invalid_input(problems.join("; ")));
    }
    let mut triggers: BTreeMap<(String, String), Trigger> = BTreeMap::new();
    for a in instances {
        let key = (
            a.instance.region_id.clone(),
            a.instance.os_type.to_ascii_lowercase(),
        );
        if let std::collections::btree_map::Entry::Vacant(slot) = triggers.entry(key) {
            let (region, os) = slot.key().clone();
            slot.insert(discover(client, &region, &os, pattern).await?);
        }
    }
    let name = options.name.clone().unwrap_or_else(|| default_name(job_id));
    let mut runs = Vec::new();
    for a in instances {
        let i = &a.instance;
        let windows = i.os_type.eq_ignore_ascii_case("windows");
        let trigger = triggers[&(i.region_id.clone(), i.os_type.to_ascii_lowercase())].clone();
        let RoleFact::Attached { role_name, .. } = &i.role else {
            unreachable!("eligibility() refused instances without a role")
        };
        let own = SnapshotOptions {
            exclude_disk_ids: own_excluded(a, options),
            ..options.clone()
        };
        match map_parameters(&trigger, &wanted(&own, &name, role_name, windows)) {
            Ok(parameters) => runs.push(PlannedRun {
                instance_id: i.instance_id.clone(),
                region_id: i.region_id.clone(),
                os_type: i.os_type.clone(),
                trigger,
                parameters,
                preflight: preflight_findings(a, options),
                predicted: a.prediction.consistency,
                warnings: freeze_warning(a, options),
            }),
            Err(unsupported) => problems.extend(
                unsupported
                    .into_iter()
                    .map(|u| format!("{}: {u}", i.instance_id)),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::invalid_input(problems.join("; ")));
    }
    let experimental = runs
        .iter()
        .any(|r| matches!(r.trigger, Trigger::Plugin { .. }));
    Ok(JobPlan {
        options: options.clone(),
        runs,
        concurrency,
        experimental,
    })
}

/// Why instances cannot be submitted: ineligible by prediction, duplicated, or a disk to
/// exclude that none of them has / that leaves one with no disk.
fn eligibility(instances: &[Assessed], options: &SnapshotOptions) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for a in instances {
        let i = &a.instance;
        if !seen.insert(&i.instance_id) {
            problems.push(format!("{} is listed twice", i.instance_id));
            continue;
        }
        if a.prediction.consistency == Consistency::None {
            let why: Vec<String> = a
                .checks
                .iter()
                .filter(|c| a.prediction.decided_by.contains(&c.id))
                .map(|c| c.reason.text.to_string())
                .collect();
            problems.push(format!(
                "{} ({}) cannot be snapshotted: {}",
                i.instance_id,
                i.name,
                why.join(", ")
            ));
        } else if !matches!(i.role, RoleFact::Attached { .. }) {
            problems.push(format!("{} has no instance RAM role", i.instance_id));
        }
        if let Some(disks) = &i.disks {
            let excluded = own_excluded(a, options);
            if !disks.is_empty() && excluded.len() == disks.len() {
                problems.push(format!("every disk of {} is excluded", i.instance_id));
            }
        }
    }
    for d in &options.exclude_disk_ids {
        let owned = instances
            .iter()
            .any(|a| a.instance.disks.iter().flatten().any(|x| &x.disk_id == d));
        if !owned {
            problems.push(format!(
                "disk {d} to exclude belongs to none of the instances"
            ));
        }
    }
    problems
}

fn own_excluded(a: &Assessed, options: &SnapshotOptions) -> Vec<String> {
    let disks = a.instance.disks.iter().flatten();
    let own: BTreeSet<&str> = disks.map(|d| d.disk_id.as_str()).collect();
    options
        .exclude_disk_ids
        .iter()
        .filter(|d| own.contains(d.as_str()))
        .cloned()
        .collect()
}

/// The prediction and each check that keeps it below application-consistent.
fn preflight_findings(a: &Assessed, options: &SnapshotOptions) -> Vec<Finding> {
    let mut out = vec![Finding {
        source: FindingSource::Preflight,
        finding: format!(
            "predicted {} before the run{}",
            serde_json::to_value(a.prediction.consistency)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            if a.prediction.confirmed {
                ""
            } else {
                " (not confirmed by a deep check)"
            }
        ),
    }];
    let windows = a.instance.os_type.eq_ignore_ascii_case("windows");
    let off = match (windows, options.include_writers, options.fs_freeze) {
        (true, false, _) => Some("include writers is off: VSS runs without application writers, so at most file-system-consistent"),
        (false, _, false) => Some("fs freeze/thaw is off: no freeze and no scripts, so the snapshots are not tagged consistent"),
        _ => None,
    };
    out.extend(off.map(|f| Finding {
        source: FindingSource::Preflight,
        finding: f.to_owned(),
    }));
    out.extend(
        a.checks
            .iter()
            .filter(|c| {
                matches!(
                    c.status,
                    CheckStatus::Fail | CheckStatus::Warn | CheckStatus::Unknown
                )
            })
            .filter(|c| {
                crate::fleet::APPLICATION.contains(&c.id) || c.status != CheckStatus::Unknown
            })
            .map(|c| Finding {
                source: FindingSource::Preflight,
                finding: format!("{}: {}", c.id.name(), c.reason.text),
            }),
    );
    out
}

/// Linux with freeze on: the plugin freezes every mounted file system, `/` included.
fn freeze_warning(a: &Assessed, options: &SnapshotOptions) -> Vec<String> {
    if a.instance.os_type.eq_ignore_ascii_case("windows") || !options.fs_freeze {
        return Vec::new();
    }
    let mounts = match &a.instance.guest {
        Some(GuestFacts::Probed { mounts, .. }) => mounts
            .iter()
            .map(|m| m.mount_point.clone())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    let mut w = "every mounted file system freezes during the snapshot, / included, \
                 not only the chosen disks"
        .to_string();
    if !mounts.is_empty() {
        w.push_str(&format!(" ({mounts})"));
    }
    vec![w]
}
