//! History over a real appsnap.db written by the jobs engine's store: runs of every
//! outcome filtered by each field, paged, shown, and exported as CSV (parsed back here)
//! and JSON with exactly the filtered rows and never the guest output or a ClientToken.

mod history_support;

use appsnap_core::history::{
    csv, json, ExportedRun, History, HistoryFilter, PageRequest, CSV_COLUMNS,
};
use appsnap_core::jobs::{Mandate, ResultConsistency as C, RunStatus as S};
use appsnap_core::ErrorCode;
use history_support::{job, pushed_script, run, tokens, OUTPUT_MARK};

const DAY: i64 = 86_400_000;
const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// Three jobs on days 10, 20 and 30 with every final and unfinished outcome.
fn history() -> (tempfile::TempDir, History) {
    let dir = tempfile::tempdir().unwrap();
    job(
        dir.path(),
        "job-a",
        10 * DAY,
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
                "cn-hangzhou",
                S::Failed,
                Some(C::Failed),
                Some(3),
                "freeze script failed: 数据库 \"mysql\", locked",
            ),
        ],
    );
    job(
        dir.path(),
        "job-b",
        20 * DAY,
        Mandate::Require,
        &[
            run(
                "i-win",
                "cn-shanghai",
                S::Succeeded,
                Some(C::Filesystem),
                Some(0),
                "VSS writers skipped",
            ),
            run(
                "i-hang",
                "cn-shanghai",
                S::Stuck,
                None,
                None,
                "no end after 630 s: stopped",
            ),
        ],
    );
    job(
        dir.path(),
        "job-c",
        30 * DAY,
        Mandate::Allow,
        &[
            run("i-web", "cn-hangzhou", S::Cancelled, None, None, ""),
            run(
                "i-crash",
                "cn-hangzhou",
                S::Succeeded,
                Some(C::Crash),
                Some(0),
                "100%_done",
            ),
        ],
    );
    pushed_script(dir.path(), "i-web", "cn-hangzhou", SHA);
    let h = History::open(dir.path()).unwrap();
    (dir, h)
}

fn keys(h: &History, f: &HistoryFilter) -> Vec<String> {
    h.list(
        f,
        PageRequest {
            offset: 0,
            limit: 100,
        },
    )
    .unwrap()
    .rows
    .iter()
    .map(|r| format!("{}/{}", r.job_id, r.instance_id))
    .collect()
}

#[test]
fn every_filter_narrows_to_exactly_its_runs() {
    let (_d, h) = history();
    let all = HistoryFilter::default();
    assert_eq!(
        keys(&h, &all),
        [
            "job-c/i-crash",
            "job-c/i-web",
            "job-b/i-hang",
            "job-b/i-win",
            "job-a/i-db",
            "job-a/i-web"
        ]
    );
    let f = |f: HistoryFilter| keys(&h, &f);
    assert_eq!(
        f(HistoryFilter {
            instance_id: Some("i-web".into()),
            ..all.clone()
        }),
        ["job-c/i-web", "job-a/i-web"]
    );
    assert_eq!(
        f(HistoryFilter {
            region_id: Some("cn-shanghai".into()),
            ..all.clone()
        }),
        ["job-b/i-hang", "job-b/i-win"]
    );
    assert_eq!(
        f(HistoryFilter {
            consistency: Some(C::Filesystem),
            ..all.clone()
        }),
        ["job-b/i-win"]
    );
    assert_eq!(
        f(HistoryFilter {
            status: Some(S::Stuck),
            ..all.clone()
        }),
        ["job-b/i-hang"]
    );
    assert_eq!(
        f(HistoryFilter {
            status: Some(S::Succeeded),
            region_id: Some("cn-hangzhou".into()),
            ..all.clone()
        }),
        ["job-c/i-crash", "job-a/i-web"]
    );
    assert_eq!(
        f(HistoryFilter {
            since_ms: Some(15 * DAY),
            until_ms: Some(30 * DAY),
            ..all.clone()
        }),
        ["job-b/i-hang", "job-b/i-win"]
    );
    assert_eq!(
        f(HistoryFilter {
            text: Some("数据库".into()),
            ..all.clone()
        }),
        ["job-a/i-db"]
    );
    // LIKE's wildcards are the user's literal text: `%_` matches only "100%_done".
    assert_eq!(
        f(HistoryFilter {
            text: Some("%_d".into()),
            ..all.clone()
        }),
        ["job-c/i-crash"]
    );
    assert!(f(HistoryFilter {
        text: Some("no such words".into()),
        ..all.clone()
    })
    .is_empty());
}

#[test]
fn rows_carry_their_facts_and_pages_count_the_whole_set() {
    let (_d, h) = history();
    let page = h
        .list(
            &HistoryFilter::default(),
            PageRequest {
                offset: 2,
                limit: 2,
            },
        )
        .unwrap();
    assert_eq!(page.total, 6);
    let ids: Vec<_> = page.rows.iter().map(|r| r.instance_id.as_str()).collect();
    assert_eq!(ids, ["i-hang", "i-win"]);
    let win = &page.rows[1];
    assert_eq!(
        (
            win.status,
            win.consistency,
            win.exit_code,
            win.created_ms,
            win.profile.as_str()
        ),
        (S::Succeeded, Some(C::Filesystem), Some(0), 20 * DAY, "work")
    );
    assert_eq!(win.snapshot_group_id.as_deref(), Some("ssg-job-b-i-win"));
    let past_end = h
        .list(
            &HistoryFilter::default(),
            PageRequest {
                offset: 6,
                limit: 50,
            },
        )
        .unwrap();
    assert_eq!((past_end.total, past_end.rows.len()), (6, 0));
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let (_d, h) = history();
    let e = h
        .list(
            &HistoryFilter::default(),
            PageRequest {
                offset: 0,
                limit: 0,
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("1 to 1000"), "{}", e.message);
    let e = h
        .export(&HistoryFilter {
            since_ms: Some(5),
            until_ms: Some(5),
            ..HistoryFilter::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.message, "the date range ends before it starts");
    let e = h.job("job-nope").unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ErrorCode::NotFound, "no job job-nope in history")
    );
}

#[test]
fn a_job_shows_every_result_and_its_options() {
    let (_d, h) = history();
    let d = h.job("job-b").unwrap();
    assert_eq!(d.options.mandate, Mandate::Require);
    assert!(d.finished);
    let got: Vec<_> = d
        .results
        .iter()
        .map(|r| (r.instance_id.as_str(), r.status))
        .collect();
    assert_eq!(got, [("i-hang", S::Stuck), ("i-win", S::Succeeded)]);
    assert_eq!(
        d.results[0].explanation[0].finding,
        "no end after 630 s: stopped"
    );
}

/// RFC 4180, enough for the export: quoted cells with doubled quotes, CRLF rows.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_export_holds_exactly_the_filtered_rows() {
    let (dir, h) = history();
    let filter = HistoryFilter {
        region_id: Some("cn-hangzhou".into()),
        ..HistoryFilter::default()
    };
    let runs = h.export(&filter).unwrap();
    let text = csv(&runs).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM first");
    let rows = parse_csv(&text['\u{feff}'.len_utf8()..]);
    assert_eq!(rows[0], CSV_COLUMNS);
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let got: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| {
            (
                r[col("job_id")].clone(),
                r[col("instance_id")].clone(),
                r[col("status")].clone(),
            )
        })
        .collect();
    let want = [
        ("job-c", "i-crash", "succeeded"),
        ("job-c", "i-web", "cancelled"),
        ("job-a", "i-db", "failed"),
        ("job-a", "i-web", "succeeded"),
    ];
    assert_eq!(
        got,
        want.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    let db = &rows[3];
    assert_eq!(db[col("exit_code")], "3");
    assert_eq!(db[col("consistency")], "failed");
    assert_eq!(db[col("started_at")], "1970-01-11T00:00:00Z");
    assert_eq!(
        db[col("explanation")],
        "freeze script failed: 数据库 \"mysql\", locked"
    );
    assert_eq!(db[col("invoke_id")], "t-job-a-i-db");
    let web = &rows[4];
    assert_eq!(web[col("snapshots")], "d-i-web=s-job-a-i-web");
    assert_eq!(
        web[col("scripts")],
        format!("freeze:/tmp/prescript.sh:{SHA}")
    );
    let options: serde_json::Value = serde_json::from_str(&web[col("options")]).unwrap();
    assert_eq!(options["mandate"], "allow");
    assert!(!text.contains(OUTPUT_MARK));
    for t in tokens(dir.path()) {
        assert!(!text.contains(&t), "ClientToken {t} exported");
    }
}

#[test]
fn json_export_round_trips_with_ids_options_and_hashes() {
    let (dir, h) = history();
    let filter = HistoryFilter {
        instance_id: Some("i-web".into()),
        ..HistoryFilter::default()
    };
    let text = json(&h.export(&filter).unwrap()).unwrap();
    let back: Vec<ExportedRun> = serde_json::from_str(&text).unwrap();
    let got: Vec<_> = back.iter().map(|r| (r.job_id.as_str(), r.status)).collect();
    assert_eq!(got, [("job-c", S::Cancelled), ("job-a", S::Succeeded)]);
    assert_eq!(back[1].scripts[0].sha256, SHA);
    assert_eq!(back[1].command_id.as_deref(), Some("c-appsnapshot"));
    assert_eq!(back[1].exit_code, Some(0));
    assert_eq!(back[0].options.mandate, Mandate::Allow);
    assert!(!text.contains(OUTPUT_MARK));
    for t in tokens(dir.path()) {
        assert!(!text.contains(&t));
    }
}
