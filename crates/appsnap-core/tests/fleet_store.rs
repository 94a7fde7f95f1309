//! `appsnap.db` as a real SQLite file: migration from schema 1, a file from a newer
//! AppSnap refused and left byte for byte, a corrupt file moved aside and reported.

use appsnap_core::fleet::{set_aside_files, FleetStore, Inventory, DB_FILE, SCHEMA_VERSION};
use appsnap_core::ErrorCode;
use rusqlite::Connection;

fn user_version(path: &std::path::Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

const V1_DOCUMENT: &str = r#"{"regions":["cn-beijing"],"instances":[],"groupDiskLimit":16,
  "missing":[{"regionId":"cn-beijing","action":"DescribeDisks","effect":"disk categories and counts are unknown",
  "error":{"code":"Cloud","message":"ServiceUnavailable"}}]}"#;

#[test]
fn a_version_1_file_is_migrated_and_keeps_its_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // Exactly what schema 1 made.
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE inventory_snapshot (profile TEXT PRIMARY KEY NOT NULL,
               taken_at_ms INTEGER NOT NULL, document TEXT NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        c.execute(
            "INSERT INTO inventory_snapshot VALUES ('work', 1000, ?1)",
            [V1_DOCUMENT],
        )
        .unwrap();
    }
    let store = FleetStore::open(dir.path()).unwrap();
    assert_eq!(store.moved_aside, None);
    let back = store.load("work", 61_000).unwrap().unwrap();
    assert_eq!(back.inventory.regions, ["cn-beijing"]);
    assert_eq!(back.age_ms, 60_000);
    assert!(!back.inventory.is_complete());
    drop(store);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 7);
    let complete: bool = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT complete FROM inventory_snapshot WHERE profile = 'work'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !complete,
        "the migration read the stored document's missing list"
    );
}

#[test]
fn a_file_from_a_newer_appsnap_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE jobs (id INTEGER); PRAGMA user_version = 99;")
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let err = FleetStore::open(dir.path()).err().expect("refused");
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(
        err.message
            .contains("newer AppSnap (schema 99; this one reads up to 7)"),
        "{}",
        err.message
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "not touched");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_corrupt_file_is_moved_aside_and_a_fresh_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let garbage = b"this is not an SQLite database, just bytes that were left here".repeat(80);
    std::fs::write(&path, &garbage).unwrap();
    let mut store = FleetStore::open(dir.path()).unwrap();
    let aside = store.moved_aside.clone().expect("reported");
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("appsnap.db.corrupt-"),
        "{aside:?}"
    );
    assert_eq!(std::fs::read(&aside).unwrap(), garbage, "kept as evidence");
    assert_eq!(store.load("work", 0).unwrap(), None);
    let inv = Inventory {
        regions: vec!["cn-hangzhou".into()],
        instances: Vec::new(),
        group_disk_limit: 16,
        missing: Vec::new(),
    };
    store.save("work", &inv, 5).unwrap();
    drop(store);
    let store = FleetStore::open(dir.path()).unwrap();
    assert_eq!(store.moved_aside, None);
    assert_eq!(store.load("work", 10).unwrap().unwrap().inventory, inv);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    // Still named afterwards (the app's status lists it), newest first, and nothing else.
    drop(store);
    let older = dir.path().join("appsnap.db.corrupt-1000");
    std::fs::write(&older, b"x").unwrap();
    std::fs::write(dir.path().join("appsnap.db.corrupt-notes.txt"), b"x").unwrap();
    std::fs::write(dir.path().join("appsnap.db-wal"), b"x").unwrap();
    assert_eq!(set_aside_files(dir.path()), vec![aside, older]);
    assert!(set_aside_files(&dir.path().join("absent")).is_empty());
}

#[test]
fn profiles_are_kept_apart_and_a_save_replaces_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = FleetStore::open(dir.path()).unwrap();
    let inv = |r: &str| Inventory {
        regions: vec![r.into()],
        instances: Vec::new(),
        group_disk_limit: 16,
        missing: Vec::new(),
    };
    store.save("a", &inv("cn-hangzhou"), 1).unwrap();
    store.save("b", &inv("cn-beijing"), 2).unwrap();
    store.save("a", &inv("cn-shanghai"), 3).unwrap();
    assert_eq!(
        store.load("a", 3).unwrap().unwrap().inventory,
        inv("cn-shanghai")
    );
    assert_eq!(
        store.load("b", 3).unwrap().unwrap().inventory,
        inv("cn-beijing")
    );
    assert_eq!(store.load("c", 3).unwrap(), None);
}

#[test]
fn a_version_2_file_gains_the_pushed_scripts_table_and_keeps_its_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // Exactly what schemas 1 and 2 made.
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE inventory_snapshot (profile TEXT PRIMARY KEY NOT NULL,
               taken_at_ms INTEGER NOT NULL, document TEXT NOT NULL,
               complete INTEGER NOT NULL DEFAULT 1);
             PRAGMA user_version = 2;",
        )
        .unwrap();
        c.execute(
            "INSERT INTO inventory_snapshot VALUES ('work', 1000, ?1, 0)",
            [V1_DOCUMENT],
        )
        .unwrap();
    }
    let mut store = FleetStore::open(dir.path()).unwrap();
    assert_eq!(
        store
            .load("work", 2_000)
            .unwrap()
            .unwrap()
            .inventory
            .regions,
        ["cn-beijing"]
    );
    assert!(store.pushed_scripts("work", &[]).unwrap().is_empty());
    drop(store);
    assert_eq!(
        user_version(&path),
        SCHEMA_VERSION,
        "migrated to the latest schema"
    );
    let columns: Vec<String> = Connection::open(&path)
        .unwrap()
        .prepare("SELECT name FROM pragma_table_info('scripts_pushed')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        columns,
        [
            "profile",
            "instance_id",
            "region_id",
            "path",
            "role",
            "sha256",
            "size",
            "mode",
            "owner",
            "file_group",
            "source",
            "invoke_id",
            "verified",
            "pushed_at_ms",
            "content"
        ]
    );
}
