//! `appsnap.db` in the app data dir: the last inventory per profile, so the picker opens
//! at once on the last known state with its age. Later slices keep job history in the
//! same file, so this module's tables are prefixed `inventory_`.
//!
//! The schema version is SQLite's `user_version`; migrations run in order, each in one
//! transaction with its version bump. A file from a newer AppSnap is refused and left
//! untouched; a file that is not a database (or fails `quick_check`) is moved aside,
//! named in the result, and a fresh one started.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::types::{Inventory, StoredInventory};
use crate::error::{AppError, ErrorCode};

pub const DB_FILE: &str = "appsnap.db";

/// Each entry takes the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: one row per profile, the inventory as JSON.
    "CREATE TABLE inventory_snapshot (
         profile TEXT PRIMARY KEY NOT NULL,
         taken_at_ms INTEGER NOT NULL,
         document TEXT NOT NULL
     );",
    // 2: whether the inventory was complete, so a list can say "partial" unread.
    "ALTER TABLE inventory_snapshot ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
     UPDATE inventory_snapshot
        SET complete = (json_array_length(json_extract(document, '$.missing')) = 0);",
    // 3: the freeze/thaw scripts pushed to each instance, for verification and drift
    // checks (scripts/records.rs). Scripts hold no secrets by design (credentials come
    // from option files on the guest); step 7 adds their text.
    "CREATE TABLE scripts_pushed (
         profile TEXT NOT NULL,
         instance_id TEXT NOT NULL,
         region_id TEXT NOT NULL,
         path TEXT NOT NULL,
         role TEXT NOT NULL,
         sha256 TEXT NOT NULL,
         size INTEGER NOT NULL,
         mode TEXT NOT NULL,
         owner TEXT NOT NULL,
         file_group TEXT NOT NULL,
         source TEXT NOT NULL,
         invoke_id TEXT NOT NULL,
         verified INTEGER NOT NULL,
         pushed_at_ms INTEGER NOT NULL,
         PRIMARY KEY (profile, instance_id, path)
     );",
    // 4: snapshot job history (jobs/history.rs).
    crate::jobs::HISTORY_MIGRATION,
    // 5: history's indexed columns and indexes, and the rollbacks (history/mod.rs).
    crate::history::MIGRATION,
    // 6: history's region + status index (history/mod.rs).
    crate::history::REGION_STATUS_INDEX,
    // 7: the pushed scripts' text, so a run can push them again to /tmp (scripts/records.rs).
    crate::scripts::RECORDS_MIGRATION,
];
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// An open `appsnap.db`.
pub struct FleetStore {
    path: PathBuf,
    conn: Connection,
    /// Where an unreadable file was moved when this store was opened.
    pub moved_aside: Option<PathBuf>,
}

impl FleetStore {
    /// `dir/appsnap.db`, created or migrated as needed.
    pub fn open(dir: &Path) -> Result<Self, AppError> {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let path = dir.join(DB_FILE);
        let mut moved_aside = None;
        let conn = match connect(&path) {
            Ok(conn) => conn,
            Err(Open::Newer(v)) => return Err(newer(&path, v)),
            Err(Open::Corrupt(why)) => {
                let aside = aside_path(&path);
                std::fs::rename(&path, &aside).map_err(|e| io_error(&path, &e))?;
                let _ = why; // the caller reports `moved_aside`; the old file keeps the evidence
                moved_aside = Some(aside);
                connect(&path).map_err(|e| match e {
                    Open::Newer(v) => newer(&path, v),
                    Open::Corrupt(why) => {
                        AppError::internal(format!("{} cannot be created: {why}", path.display()))
                    }
                })?
            }
        };
        Ok(Self {
            path,
            conn,
            moved_aside,
        })
    }

    /// `appsnap.db` in [`data_dir`].
    pub fn in_data_dir() -> Result<Self, AppError> {
        Self::open(&data_dir()?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For the other tables' owners in core (scripts/records.rs).
    pub(crate) fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The migrated connection, for the other tables of the same file (job history).
    pub(crate) fn into_connection(self) -> Connection {
        self.conn
    }

    /// Replaces the profile's stored inventory.
    pub fn save(
        &mut self,
        profile: &str,
        inventory: &Inventory,
        taken_at_ms: i64,
    ) -> Result<(), AppError> {
        self.save_with(profile, inventory, taken_at_ms, || Ok(()))
    }

    /// `before_commit` runs with the new row written but not committed; tests fail there.
    fn save_with(
        &mut self,
        profile: &str,
        inventory: &Inventory,
        taken_at_ms: i64,
        before_commit: impl FnOnce() -> Result<(), AppError>,
    ) -> Result<(), AppError> {
        let document = serde_json::to_string(inventory)
            .map_err(|e| AppError::internal(format!("inventory does not serialise: {e}")))?;
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| db_error(&path, &e))?;
        tx.execute(
            "INSERT INTO inventory_snapshot (profile, taken_at_ms, document, complete)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(profile) DO UPDATE SET
               taken_at_ms = excluded.taken_at_ms, document = excluded.document,
               complete = excluded.complete",
            params![profile, taken_at_ms, document, inventory.is_complete()],
        )
        .map_err(|e| db_error(&path, &e))?;
        before_commit()?;
        tx.commit().map_err(|e| db_error(&path, &e))
    }

    /// Changes instances of the profile's stored inventory in place (`change` says whether
    /// it changed one), makes their checks again and saves it with its age unchanged: a
    /// fact from the guest is not a fresh read of the cloud. Nothing stored, nothing done.
    pub fn update_instances(
        &mut self,
        profile: &str,
        mut change: impl FnMut(&mut super::types::FleetInstance) -> bool,
    ) -> Result<(), AppError> {
        let Some(stored) = self.load(profile, 0)? else {
            return Ok(());
        };
        let mut inventory = stored.inventory;
        let limit = inventory.group_disk_limit;
        let mut changed = false;
        inventory.instances = inventory
            .instances
            .into_iter()
            .map(|mut a| match change(&mut a.instance) {
                true => {
                    changed = true;
                    super::predict::assess(a.instance, limit)
                }
                false => a,
            })
            .collect();
        match changed {
            true => self.save(profile, &inventory, stored.taken_at_ms),
            false => Ok(()),
        }
    }

    /// The profile's last inventory and its age at `now_ms`; `None` if never stored.
    pub fn load(&self, profile: &str, now_ms: i64) -> Result<Option<StoredInventory>, AppError> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT taken_at_ms, document FROM inventory_snapshot WHERE profile = ?1",
                params![profile],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| db_error(&self.path, &e))?;
        let Some((taken_at_ms, document)) = row else {
            return Ok(None);
        };
        let inventory: Inventory = serde_json::from_str(&document).map_err(|e| {
            AppError::internal(format!(
                "the stored inventory of profile '{profile}' in {} cannot be read ({e}); \
                 a refresh replaces it",
                self.path.display()
            ))
        })?;
        Ok(Some(StoredInventory {
            profile: profile.to_owned(),
            taken_at_ms,
            age_ms: (now_ms - taken_at_ms).max(0),
            inventory,
        }))
    }
}

/// `<data dir>/appsnap` (e.g. `~/.local/share/appsnap`), `appsnap-dev` for debug builds,
/// like the profiles' config dir, so a dev build never touches an installed one's data.
pub fn data_dir() -> Result<PathBuf, AppError> {
    dirs::data_dir()
        .map(|d| d.join(acs_openapi::credentials::KeyringStore::DEFAULT_SERVICE))
        .ok_or_else(|| AppError::internal("no data directory (set HOME or XDG_DATA_HOME)"))
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

enum Open {
    Newer(u32),
    Corrupt(String),
}

fn connect(path: &Path) -> Result<Connection, Open> {
    let corrupt = |e: rusqlite::Error| Open::Corrupt(e.to_string());
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .map_err(corrupt)?;
    // Reading the header is where a file that is not a database fails.
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(corrupt)?;
    if version > SCHEMA_VERSION {
        return Err(Open::Newer(version));
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(corrupt)?;
    if check != "ok" {
        return Err(Open::Corrupt(format!("quick_check: {check}")));
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(corrupt)?;
    migrate(conn, version)
}

fn migrate(mut conn: Connection, from: u32) -> Result<Connection, Open> {
    let corrupt = |e: rusqlite::Error| Open::Corrupt(e.to_string());
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn.transaction().map_err(corrupt)?;
        tx.execute_batch(sql).map_err(corrupt)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)
            .map_err(corrupt)?;
        tx.commit().map_err(corrupt)?;
    }
    Ok(conn)
}

/// The unreadable `appsnap.db` files set aside in `dir`, newest first (kept as evidence
/// until the user deletes them; the UI says they exist).
pub fn set_aside_files(dir: &Path) -> Vec<PathBuf> {
    let prefix = aside_prefix();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stamp = name.strip_prefix(&prefix)?.parse().ok()?;
            Some((stamp, e.path()))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found.into_iter().map(|(_, p)| p).collect()
}

/// `appsnap.db.corrupt-<ms>`: made by `aside_path`, found by `set_aside_files`.
fn aside_prefix() -> String {
    format!("{DB_FILE}.corrupt-")
}

fn aside_path(path: &Path) -> PathBuf {
    let mut n = now_ms();
    loop {
        let candidate = path.with_file_name(format!("{}{n}", aside_prefix()));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

fn newer(path: &Path, version: u32) -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        format!(
            "{} was written by a newer AppSnap (schema {version}; this one reads up to \
             {SCHEMA_VERSION}); it was left as it is — update AppSnap",
            path.display()
        ),
    )
}

pub(crate) fn db_error(path: &Path, e: &rusqlite::Error) -> AppError {
    AppError::internal(format!("{}: {e}", path.display()))
}

fn io_error(path: &Path, e: &std::io::Error) -> AppError {
    AppError::internal(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(regions: &[&str]) -> Inventory {
        Inventory {
            regions: regions.iter().map(|r| (*r).to_owned()).collect(),
            instances: Vec::new(),
            group_disk_limit: 16,
            missing: Vec::new(),
        }
    }

    #[test]
    fn a_failure_before_the_commit_keeps_the_old_inventory() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FleetStore::open(dir.path()).unwrap();
        store
            .save("work", &inventory(&["cn-hangzhou"]), 1_000)
            .unwrap();
        let err = store
            .save_with("work", &inventory(&["cn-beijing"]), 2_000, || {
                Err(AppError::internal("simulated crash"))
            })
            .unwrap_err();
        assert_eq!(err.message, "simulated crash");
        drop(store);
        let store = FleetStore::open(dir.path()).unwrap();
        let back = store.load("work", 5_000).unwrap().unwrap();
        assert_eq!(back.inventory.regions, ["cn-hangzhou"]);
        assert_eq!((back.taken_at_ms, back.age_ms), (1_000, 4_000));
    }
}
