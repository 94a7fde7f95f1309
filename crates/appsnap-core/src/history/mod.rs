//! Job history, read (issue 12): every instance-run filtered by instance, region,
//! consistency, status, date range and text, paged from indexes, exported as CSV (UTF-8
//! with BOM) or JSON — IDs, options, exit codes, classification, explanation and the
//! pushed scripts' hashes, never a secret. Same `appsnap.db` as the jobs engine, opened
//! through `FleetStore` (newer schema refused, corrupt file moved aside).
//!
//! Layout: `types` (data), `time` (pure), `query` (SQLite) → `export` (rendering).

mod export;
mod query;
mod time;
mod types;

pub use export::{csv, json, CSV_COLUMNS};
pub use query::{History, MAX_PAGE};
pub use time::{day_start_ms, iso_utc};
pub use types::*;

/// Step 5 of `appsnap.db`: the run's region and consistency as indexed columns (generated
/// from the document the jobs engine writes, so its writes need no change), the indexes
/// the history's filters and paging use, and the rollbacks' own table.
pub(crate) const MIGRATION: &str = "
    ALTER TABLE job_run ADD COLUMN region_id TEXT
        GENERATED ALWAYS AS (json_extract(document, '$.result.regionId')) VIRTUAL;
    ALTER TABLE job_run ADD COLUMN consistency TEXT
        GENERATED ALWAYS AS (json_extract(document, '$.result.consistency')) VIRTUAL;
    CREATE INDEX job_created ON job(created_ms, job_id);
    CREATE INDEX job_run_instance ON job_run(instance_id);
    CREATE INDEX job_run_region ON job_run(region_id);
    CREATE INDEX job_run_status ON job_run(status);
    CREATE INDEX job_run_consistency ON job_run(consistency);
    CREATE TABLE rollback (
        rollback_id TEXT PRIMARY KEY NOT NULL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        profile TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        snapshot_group_id TEXT NOT NULL,
        status TEXT NOT NULL,
        document TEXT NOT NULL
    );
    CREATE INDEX rollback_instance ON rollback(instance_id, created_ms);";

/// Schema step 6: region and status together, the History screen's most common pair of
/// filters; the count and the page read the index alone, not 20,000 rows of a region.
/// The region-only index is its prefix and goes.
pub(crate) const REGION_STATUS_INDEX: &str = "
    CREATE INDEX job_run_region_status ON job_run(region_id, status);
    DROP INDEX job_run_region;";
