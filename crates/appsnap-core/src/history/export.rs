//! The filtered runs as CSV (UTF-8 with a BOM, so spreadsheet programs read Chinese names
//! right; RFC 4180 quoting) or as a JSON array. Both carry exactly `ExportedRun`'s fields.

use super::types::ExportedRun;
use crate::error::AppError;

/// The CSV header, in column order; `cells` follows it.
pub const CSV_COLUMNS: &[&str] = &[
    "job_id",
    "started_at",
    "profile",
    "instance_id",
    "region_id",
    "status",
    "consistency",
    "attempt",
    "command_id",
    "invoke_id",
    "exit_code",
    "error_code",
    "snapshot_group_id",
    "snapshots",
    "explanation",
    "options",
    "scripts",
];

const BOM: &str = "\u{feff}";

pub fn csv(runs: &[ExportedRun]) -> Result<String, AppError> {
    let mut out = String::from(BOM);
    line(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    for r in runs {
        let row = cells(r)?;
        debug_assert_eq!(row.len(), CSV_COLUMNS.len());
        line(&mut out, row.into_iter());
    }
    Ok(out)
}

pub fn json(runs: &[ExportedRun]) -> Result<String, AppError> {
    serde_json::to_string_pretty(runs)
        .map_err(|e| AppError::internal(format!("the export does not serialise: {e}")))
}

fn cells(r: &ExportedRun) -> Result<Vec<String>, AppError> {
    let options = serde_json::to_string(&r.options)
        .map_err(|e| AppError::internal(format!("options do not serialise: {e}")))?;
    Ok(vec![
        r.job_id.clone(),
        r.started_at.clone(),
        r.profile.clone(),
        r.instance_id.clone(),
        r.region_id.clone(),
        wire(&r.status),
        r.consistency.map(|c| wire(&c)).unwrap_or_default(),
        r.attempt.to_string(),
        r.command_id.clone().unwrap_or_default(),
        r.invoke_id.clone().unwrap_or_default(),
        r.exit_code.map(|c| c.to_string()).unwrap_or_default(),
        r.error_code.clone().unwrap_or_default(),
        r.snapshot_group_id.clone().unwrap_or_default(),
        r.snapshots.join(" "),
        r.explanation.join(" | "),
        options,
        r.scripts
            .iter()
            .map(|s| format!("{}:{}:{}", s.role, s.path, s.sha256))
            .collect::<Vec<_>>()
            .join(" "),
    ])
}

fn line(out: &mut String, cells: impl Iterator<Item = String>) {
    let quoted: Vec<String> = cells.map(|c| quote(&c)).collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}

/// RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading `'`.
fn quote(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '@']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("=cmd()"), "'=cmd()");
        assert_eq!(quote("-1"), "-1");
    }
}
