//! An export written to a file for the desktop: the user's Downloads folder (else the data
//! folder's `exports/`), a timestamped name that never replaces an earlier export, written
//! atomically so a half-written file never appears under the final name.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::export::{csv, json};
use super::query::History;
use super::types::{ExportFormat, HistoryFilter};
use crate::error::AppError;

/// Where an export went and how many runs it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportFile {
    pub path: String,
    pub format: ExportFormat,
    pub rows: u32,
}

/// The Downloads folder when the desktop has one, else `<data dir>/exports`.
pub fn exports_dir() -> Result<PathBuf, AppError> {
    match dirs::download_dir() {
        Some(d) => Ok(d),
        None => Ok(crate::fleet::data_dir()?.join("exports")),
    }
}

/// Writes the filtered runs into `dir` as `appsnap-history-<UTC time>.<ext>`.
pub fn export_to_file(
    history: &History,
    filter: &HistoryFilter,
    format: ExportFormat,
    dir: &Path,
    now_ms: i64,
) -> Result<ExportFile, AppError> {
    let runs = history.export(filter)?;
    let (text, ext) = match format {
        ExportFormat::Csv => (csv(&runs)?, "csv"),
        ExportFormat::Json => (json(&runs)?, "json"),
    };
    // `2026-12-02T06:41:43Z` → `20261202-064143Z`: sortable and valid on every file system.
    let stamp: String = super::time::iso_utc(now_ms)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == 'T')
        .collect::<String>()
        .replace('T', "-");
    let mut path = dir.join(format!("appsnap-history-{stamp}.{ext}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("appsnap-history-{stamp}-{n}.{ext}"));
    }
    crate::profiles::write_atomic(&path, text.as_bytes(), |_| Ok(()))
        .map_err(|e| AppError::invalid_input(format!("cannot write {}: {e}", path.display())))?;
    Ok(ExportFile {
        path: path.display().to_string(),
        format,
        rows: u32::try_from(runs.len()).unwrap_or(u32::MAX),
    })
}
