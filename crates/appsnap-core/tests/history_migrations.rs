//! History opens `appsnap.db` through FleetStore: a file of the first schema is migrated
//! with its data kept, a newer file is refused and left byte for byte, a corrupt one is
//! moved aside and named.

mod history_support;

use appsnap_core::fleet::{FleetStore, SCHEMA_VERSION};
use appsnap_core::history::{History, HistoryFilter, PageRequest};
use appsnap_core::jobs::{Mandate, ResultConsistency, RunStatus};
use appsnap_core::rollback::RollbackLog;
use appsnap_core::ErrorCode;
use history_support::{job, run};

fn version(dir: &std::path::Path) -> u32 {
    rusqlite::Connection::open(dir.join("appsnap.db"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_first_version_file_is_migrated_with_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = rusqlite::Connection::open(dir.path().join("appsnap.db")).unwrap();
        db.execute_batch(
            "CREATE TABLE inventory_snapshot (
                 profile TEXT PRIMARY KEY NOT NULL,
                 taken_at_ms INTEGER NOT NULL,
                 document TEXT NOT NULL);
             INSERT INTO inventory_snapshot VALUES ('work', 1000,
                 '{\"regions\":[\"cn-hangzhou\"],\"instances\":[],\"groupDiskLimit\":16,\"missing\":[]}');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let h = History::open(dir.path()).unwrap();
    assert!(h.moved_aside.is_none());
    assert_eq!(SCHEMA_VERSION, 7);
    assert_eq!(version(dir.path()), 7);
    assert_eq!(
        h.list(&HistoryFilter::default(), PageRequest::default())
            .unwrap()
            .total,
        0
    );
    drop(h);
    let kept = FleetStore::open(dir.path())
        .unwrap()
        .load("work", 3000)
        .unwrap()
        .unwrap();
    assert_eq!(kept.inventory.regions, ["cn-hangzhou"]);
    // The step-5 columns are derived from the documents the jobs engine writes.
    job(
        dir.path(),
        "job-m",
        5,
        Mandate::Allow,
        &[run(
            "i-1",
            "ap-southeast-1",
            RunStatus::Succeeded,
            Some(ResultConsistency::Application),
            Some(0),
            "",
        )],
    );
    let h = History::open(dir.path()).unwrap();
    let page = h
        .list(
            &HistoryFilter {
                region_id: Some("ap-southeast-1".into()),
                consistency: Some(ResultConsistency::Application),
                ..HistoryFilter::default()
            },
            PageRequest::default(),
        )
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].region_id, "ap-southeast-1");
    // Step 6: region and status are filtered on one index.
    let db = rusqlite::Connection::open(dir.path().join("appsnap.db")).unwrap();
    let plan: Vec<String> = db
        .prepare(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM job_run
              WHERE region_id = 'ap-southeast-1' AND status = 'succeeded'",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter().any(|p| p.contains("job_run_region_status")),
        "{plan:?}"
    );
    drop(db);
    assert!(RollbackLog::open(dir.path())
        .unwrap()
        .list(None)
        .unwrap()
        .is_empty());
}

#[test]
fn a_newer_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("appsnap.db");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = History::open(dir.path()).err().expect("refused");
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(
        err.message.contains("newer AppSnap (schema 99"),
        "{}",
        err.message
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_corrupt_file_is_moved_aside_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("appsnap.db");
    let junk = b"this is not a database, it is a history that broke".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let h = History::open(dir.path()).unwrap();
    let aside = h.moved_aside.clone().expect("moved aside");
    assert!(aside
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("appsnap.db.corrupt-"));
    assert_eq!(std::fs::read(&aside).unwrap(), junk);
    assert_eq!(
        h.list(&HistoryFilter::default(), PageRequest::default())
            .unwrap()
            .total,
        0
    );
    assert_eq!(version(dir.path()), SCHEMA_VERSION);
}
