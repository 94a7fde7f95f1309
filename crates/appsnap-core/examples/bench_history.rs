//! Benchmark: job history with 100,000 instance-runs (BENCH_RUNS; 10 per job) in a
//! scratch appsnap.db, then filtered pages and an export timed through `History`. Prints
//! numbers; asserts only that each answer has the expected size.
//!
//!   cargo run --release -p appsnap-core --example bench_history      (make bench)

use std::collections::BTreeMap;
use std::time::Instant;

use appsnap_core::fleet::Consistency;
use appsnap_core::history::{History, HistoryFilter, PageRequest};
use appsnap_core::jobs::{
    Finding, FindingSource, GroupState, PlannedRun, ResultConsistency, RunRecord, RunResult,
    RunStatus, SnapshotOptions, Trigger,
};

const REGIONS: [&str; 5] = [
    "cn-hangzhou",
    "cn-shanghai",
    "cn-beijing",
    "ap-southeast-1",
    "eu-central-1",
];

fn record(job: &str, n: usize) -> RunRecord {
    let instance = format!("i-bench{:06}", n % 5000);
    let region = REGIONS[n % REGIONS.len()];
    let (status, consistency) = match n % 10 {
        0 => (RunStatus::Failed, ResultConsistency::Failed),
        1 => (RunStatus::Succeeded, ResultConsistency::Filesystem),
        2 => (RunStatus::Stuck, ResultConsistency::Failed),
        _ => (RunStatus::Succeeded, ResultConsistency::Application),
    };
    RunRecord {
        job_id: job.into(),
        plan: PlannedRun {
            instance_id: instance.clone(),
            region_id: region.into(),
            os_type: "linux".into(),
            trigger: Trigger::Plugin {
                command_type: "RunShellScript".into(),
            },
            parameters: BTreeMap::from([("timeout".to_owned(), "30".to_owned())]),
            preflight: Vec::new(),
            predicted: Consistency::Application,
            warnings: Vec::new(),
        },
        attempt: 1,
        client_token: format!("tok-{job}-{n}"),
        invoked_ms: Some(1),
        started_at: None,
        error_code: None,
        output: Some("freeze ok\nsnapshot created\nthaw ok\nssg-bench".into()),
        scripts_pushed: None,
        result: RunResult {
            instance_id: instance,
            region_id: region.into(),
            command_id: Some("c-bench".into()),
            invoke_id: Some(format!("t-{job}-{n}")),
            exit_code: Some(i64::from(status == RunStatus::Failed)),
            snapshot_group_id: Some(format!("ssg-{job}-{n}")),
            group_state: Some(GroupState::Accomplished),
            consistency: Some(consistency),
            disks: Vec::new(),
            explanation: vec![Finding {
                source: FindingSource::Output,
                finding: if n == 77_777 {
                    "needle in history".into()
                } else {
                    "application tags found".into()
                },
            }],
            status,
            output: Some("freeze ok\nsnapshot created\nthaw ok\nssg-bench".into()),
            group_deleted: false,
        },
    }
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    drop(History::open(dir.path()).unwrap()); // creates and migrates the schema
    let t = Instant::now();
    let mut db = rusqlite::Connection::open(dir.path().join("appsnap.db")).unwrap();
    let tx = db.transaction().unwrap();
    let options = serde_json::to_string(&SnapshotOptions::default()).unwrap();
    for j in 0..runs.div_ceil(10) {
        let job = format!("job-{j:08}");
        tx.execute(
            "INSERT INTO job (job_id, created_ms, updated_ms, profile, options, concurrency, finished)
             VALUES (?1, ?2, ?2, 'bench', ?3, 10, 1)",
            rusqlite::params![job, 1_700_000_000_000i64 + j as i64 * 60_000, options],
        )
        .unwrap();
        for n in j * 10..((j + 1) * 10).min(runs) {
            let r = record(&job, n);
            tx.execute(
                "INSERT INTO job_run (job_id, instance_id, status, updated_ms, document)
                 VALUES (?1, ?2, ?3, 1, ?4)",
                rusqlite::params![
                    job,
                    r.result.instance_id,
                    r.result.status.name(),
                    serde_json::to_string(&r).unwrap()
                ],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(db);
    println!("inserted {runs} runs in {:.2} s", t.elapsed().as_secs_f64());

    let h = History::open(dir.path()).unwrap();
    let page = PageRequest {
        offset: 0,
        limit: 50,
    };
    let cases: Vec<(&str, HistoryFilter, PageRequest)> = vec![
        ("first page, no filter", HistoryFilter::default(), page),
        (
            "page at offset 90,000",
            HistoryFilter::default(),
            PageRequest {
                offset: 90_000,
                limit: 50,
            },
        ),
        (
            "instance",
            HistoryFilter {
                instance_id: Some("i-bench000042".into()),
                ..Default::default()
            },
            page,
        ),
        (
            "region + status",
            HistoryFilter {
                region_id: Some("cn-beijing".into()),
                status: Some(RunStatus::Succeeded),
                ..Default::default()
            },
            page,
        ),
        (
            "consistency",
            HistoryFilter {
                consistency: Some(ResultConsistency::Filesystem),
                ..Default::default()
            },
            page,
        ),
        (
            "date range (1 day)",
            HistoryFilter {
                since_ms: Some(1_700_000_000_000 + 86_400_000),
                until_ms: Some(1_700_000_000_000 + 2 * 86_400_000),
                ..Default::default()
            },
            page,
        ),
        (
            "text",
            HistoryFilter {
                text: Some("needle".into()),
                ..Default::default()
            },
            page,
        ),
    ];
    for (name, f, p) in &cases {
        let t = Instant::now();
        let got = h.list(f, *p).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert!(
            got.total > 0 && !got.rows.is_empty(),
            "{name}: nothing found"
        );
        println!(
            "{name:<24} {:>7.1} ms  ({} of {} runs)",
            ms,
            got.rows.len(),
            got.total
        );
    }
    let t = Instant::now();
    let exported = h
        .export(&HistoryFilter {
            region_id: Some("cn-hangzhou".into()),
            ..Default::default()
        })
        .unwrap();
    let csv = appsnap_core::history::csv(&exported).unwrap();
    println!(
        "export cn-hangzhou CSV    {:>7.1} ms  ({} runs, {} KiB)",
        t.elapsed().as_secs_f64() * 1000.0,
        exported.len(),
        csv.len() / 1024
    );
    assert_eq!(exported.len(), runs / REGIONS.len());
}
