//! An export written to a file (the desktop's "export" buttons): exactly what `csv`/`json`
//! render for the filter, a timestamped name, and a second export in the same second
//! beside the first instead of over it; an unwritable folder refused with its path.

mod history_support;

use appsnap_core::history::{
    csv, export_to_file, json, ExportFormat, History, HistoryFilter, CSV_COLUMNS,
};
use appsnap_core::jobs::{Mandate, ResultConsistency as C, RunStatus as S};
use appsnap_core::ErrorCode;
use history_support::{job, run};

/// 2026-12-02T06:41:43Z.
const NOW: i64 = 1_796_193_703_000;

fn history() -> (tempfile::TempDir, History) {
    let dir = tempfile::tempdir().unwrap();
    job(
        dir.path(),
        "job-a",
        NOW - 60_000,
        Mandate::Allow,
        &[
            run(
                "i-web",
                "cn-hangzhou",
                S::Succeeded,
                Some(C::Application),
                Some(0),
                "",
            ),
            run(
                "i-db",
                "cn-shanghai",
                S::Failed,
                Some(C::Failed),
                Some(3),
                "freeze failed",
            ),
        ],
    );
    let h = History::open(dir.path()).unwrap();
    (dir, h)
}

#[test]
fn csv_and_json_files_hold_the_filtered_runs_under_fresh_names() {
    let (_d, h) = history();
    let out = tempfile::tempdir().unwrap();
    let f = HistoryFilter {
        region_id: Some("cn-hangzhou".into()),
        ..HistoryFilter::default()
    };
    let first = export_to_file(&h, &f, ExportFormat::Csv, out.path(), NOW).unwrap();
    assert_eq!(first.rows, 1);
    assert_eq!(first.format, ExportFormat::Csv);
    assert_eq!(
        first.path,
        out.path()
            .join("appsnap-history-20261202-064143Z.csv")
            .display()
            .to_string()
    );
    let text = std::fs::read_to_string(&first.path).unwrap();
    assert_eq!(text, csv(&h.export(&f).unwrap()).unwrap());
    assert!(text.starts_with(&format!("\u{feff}{}", CSV_COLUMNS.join(","))));

    let second = export_to_file(&h, &f, ExportFormat::Csv, out.path(), NOW).unwrap();
    assert!(second
        .path
        .ends_with("appsnap-history-20261202-064143Z-2.csv"));
    assert_eq!(std::fs::read_to_string(&first.path).unwrap(), text);

    let all = HistoryFilter::default();
    let j = export_to_file(&h, &all, ExportFormat::Json, out.path(), NOW).unwrap();
    assert_eq!(j.rows, 2);
    assert!(j.path.ends_with(".json"));
    assert_eq!(
        std::fs::read_to_string(&j.path).unwrap(),
        json(&h.export(&all).unwrap()).unwrap()
    );
    // No temporary file is left beside the exports.
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn an_unwritable_folder_is_refused_with_its_path() {
    let (_d, h) = history();
    let out = tempfile::tempdir().unwrap();
    let blocker = out.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let e = export_to_file(
        &h,
        &HistoryFilter::default(),
        ExportFormat::Csv,
        &blocker,
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("not-a-dir"), "{}", e.message);
}
