//! Job history written through the jobs engine's own store (real SQLite files): jobs
//! with runs of every outcome, at known times, and a pushed script's hash.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use appsnap_core::fleet::Consistency;
use appsnap_core::jobs::{
    DiskResult, Finding, FindingSource, JobPlan, JobStore, Mandate, PlannedRun, ResultConsistency,
    RunStatus, SnapshotOptions, Trigger,
};

/// A line of guest output: history keeps it, an export never carries it.
pub const OUTPUT_MARK: &str = "guest-output-must-not-be-exported";

pub struct Run {
    pub instance: &'static str,
    pub region: &'static str,
    pub status: RunStatus,
    pub consistency: Option<ResultConsistency>,
    pub exit: Option<i64>,
    pub why: &'static str,
}

pub fn run(
    instance: &'static str,
    region: &'static str,
    status: RunStatus,
    consistency: Option<ResultConsistency>,
    exit: Option<i64>,
    why: &'static str,
) -> Run {
    Run {
        instance,
        region,
        status,
        consistency,
        exit,
        why,
    }
}

fn planned(r: &Run) -> PlannedRun {
    PlannedRun {
        instance_id: r.instance.into(),
        region_id: r.region.into(),
        os_type: "linux".into(),
        trigger: Trigger::PublicCommand {
            command_id: "c-appsnapshot".into(),
            name: "ACS-ECS-CreateAppConsistentSnapshot".into(),
            command_type: "RunShellScript".into(),
            parameters: Vec::new(),
        },
        parameters: BTreeMap::new(),
        preflight: Vec::new(),
        predicted: Consistency::Application,
        warnings: Vec::new(),
    }
}

/// Writes a job with `runs`, each moved to its outcome, started at `created_ms`.
pub fn job(dir: &Path, job_id: &str, created_ms: i64, mandate: Mandate, runs: &[Run]) {
    let store = JobStore::open(dir).unwrap();
    let plan = JobPlan {
        options: SnapshotOptions {
            mandate,
            ..SnapshotOptions::default()
        },
        runs: runs.iter().map(planned).collect(),
        concurrency: 10,
        experimental: false,
    };
    let records = store.create(job_id, "work", &plan).unwrap();
    for (mut rec, r) in records.into_iter().zip(runs) {
        let res = &mut rec.result;
        res.status = r.status;
        res.consistency = r.consistency;
        res.exit_code = r.exit;
        if r.status != RunStatus::Queued && r.status != RunStatus::Cancelled {
            res.command_id = Some("c-appsnapshot".into());
            res.invoke_id = Some(format!("t-{}-{}", job_id, r.instance));
        }
        if let Some(c) = r.consistency.filter(|c| *c != ResultConsistency::Failed) {
            res.snapshot_group_id = Some(format!("ssg-{}-{}", job_id, r.instance));
            res.disks = vec![DiskResult {
                disk_id: format!("d-{}", r.instance),
                snapshot_id: format!("s-{}-{}", job_id, r.instance),
                tags: BTreeMap::new(),
                consistency: c,
            }];
        }
        if !r.why.is_empty() {
            res.explanation = vec![Finding {
                source: FindingSource::Output,
                finding: r.why.into(),
            }];
        }
        rec.output = Some(format!("{OUTPUT_MARK}\nssg-x"));
        store.save_run(&rec).unwrap();
    }
    store.set_finished(job_id, true).unwrap();
    drop(store);
    let db = rusqlite::Connection::open(dir.join("appsnap.db")).unwrap();
    db.execute(
        "UPDATE job SET created_ms = ?2 WHERE job_id = ?1",
        rusqlite::params![job_id, created_ms],
    )
    .unwrap();
}

/// The ClientTokens history holds (an export must not carry them either).
pub fn tokens(dir: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(dir.join("appsnap.db")).unwrap();
    let mut st = db
        .prepare("SELECT json_extract(document, '$.clientToken') FROM job_run")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A pushed freeze script, as scripts/records.rs keeps it (hash only).
pub fn pushed_script(dir: &Path, instance: &str, region: &str, sha256: &str) {
    let db = rusqlite::Connection::open(dir.join("appsnap.db")).unwrap();
    db.execute(
        "INSERT INTO scripts_pushed (profile, instance_id, region_id, path, role, sha256, size,
           mode, owner, file_group, source, invoke_id, verified, pushed_at_ms)
         VALUES ('work', ?1, ?2, '/tmp/prescript.sh', 'freeze', ?3, 120, '0700', 'root',
           'root', 'template:mysql', 't-push', 1, 1)",
        rusqlite::params![instance, region, sha256],
    )
    .unwrap();
}
