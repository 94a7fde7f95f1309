use std::fs;
use std::io;
use std::path::Path;

use super::*;
use crate::{ErrorCode, HintKey};

fn store() -> (tempfile::TempDir, SettingsStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::new(dir.path().join("appsnap"));
    (dir, store)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn changed() -> AppSettings {
    AppSettings {
        language: LanguageSetting::ZhCn,
        theme: ThemeSetting::Dark,
        concurrency: 25,
        first_poll_ms: 1_000,
        max_poll_secs: 20,
        command_pattern: "ACS-ECS-Snapshot".into(),
    }
}

#[test]
fn no_file_reads_as_the_engines_defaults() {
    let (_dir, store) = store();
    let s = store.load().unwrap();
    assert_eq!(s, AppSettings::default());
    assert_eq!(s.concurrency, 10);
    assert_eq!(s.command_pattern, crate::jobs::DEFAULT_PATTERN);
    let t = s.tuning();
    let d = JobTuning::default();
    assert_eq!((t.first_poll, t.max_poll), (d.first_poll, d.max_poll));
}

#[test]
fn saved_settings_read_back_the_same_and_drive_the_tuning() {
    let (_dir, store) = store();
    store.save(&changed()).unwrap();
    assert_eq!(store.load().unwrap(), changed());
    let text = fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("\"language\": \"zh-CN\""), "{text}");
    assert!(
        text.contains("\"commandPattern\": \"ACS-ECS-Snapshot\""),
        "{text}"
    );
    let t = changed().tuning();
    assert_eq!(t.first_poll, Duration::from_millis(1_000));
    assert_eq!(t.max_poll, Duration::from_secs(20));
    assert_eq!(t.group_wait, JobTuning::default().group_wait);
}

#[test]
fn an_older_file_without_new_fields_takes_their_defaults() {
    let (_dir, store) = store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    fs::write(
        store.path(),
        r#"{"version":1,"settings":{"language":"en-US"}}"#,
    )
    .unwrap();
    let s = store.load().unwrap();
    assert_eq!(s.language, LanguageSetting::EnUs);
    assert_eq!(s.concurrency, 10);
}

#[test]
fn every_broken_rule_is_named_and_nothing_is_written() {
    let (_dir, store) = store();
    store.save(&changed()).unwrap();
    let before = fs::read(store.path()).unwrap();
    let bad = AppSettings {
        concurrency: 0,
        first_poll_ms: 9_000,
        max_poll_secs: 2,
        command_pattern: " ".into(),
        ..AppSettings::default()
    };
    let e = store.save(&bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(
        e.message,
        "concurrency per region is 0; it must be 1-100; the first poll interval (9000 ms) is \
         longer than the longest one (2 s); the command name pattern has 0 characters; it must \
         have 1-128; the command name pattern must not start or end with spaces"
    );
    assert_eq!(fs::read(store.path()).unwrap(), before);
    let long = AppSettings {
        command_pattern: "x".repeat(129),
        max_poll_secs: 61,
        first_poll_ms: 100,
        ..AppSettings::default()
    };
    assert_eq!(
        long.validate().unwrap_err().message,
        "the first poll interval (ms) is 100; it must be 200-10000; the longest poll interval \
         (s) is 61; it must be 1-60; the command name pattern has 129 characters; it must have 1-128"
    );
    let tab = AppSettings {
        command_pattern: "Con\tsistent".into(),
        ..AppSettings::default()
    };
    assert!(tab
        .validate()
        .unwrap_err()
        .message
        .contains("control characters"));
}

#[test]
fn an_unreadable_file_is_refused_with_its_path_and_left_as_it_is() {
    let (_dir, store) = store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let cases = [
        ("{not json", "is not valid JSON"),
        (r#"{"settings":{}}"#, "has no \"version\" number"),
        (r#"{"version":2,"settings":{}}"#, "has format version 2"),
        (
            r#"{"version":1,"settings":{"colour":"red"}}"#,
            "unknown field `colour`",
        ),
        (
            r#"{"version":1,"settings":{"concurrency":500}}"#,
            "concurrency per region is 500",
        ),
    ];
    for (text, why) in cases {
        fs::write(store.path(), text).unwrap();
        let e = store.load().unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal, "{text}");
        assert!(e.message.contains(why), "{text}: {}", e.message);
        assert!(
            e.message.contains(&store.path().display().to_string()),
            "{}",
            e.message
        );
        assert_eq!(e.hint.map(|h| h.key), Some(HintKey::FixSettingsFile));
        assert_eq!(fs::read_to_string(store.path()).unwrap(), text);
    }
}

#[test]
fn a_failure_before_the_rename_leaves_the_old_file_whole_and_no_temp_file() {
    let (_dir, store) = store();
    store.save(&AppSettings::default()).unwrap();
    let before = fs::read(store.path()).unwrap();
    let mut seen_tmp = None;
    let err = store
        .save_with(&changed(), |tmp| {
            let text = fs::read_to_string(tmp).unwrap();
            assert!(text.contains("ACS-ECS-Snapshot"), "{text}");
            seen_tmp = Some(tmp.to_path_buf());
            Err(io::Error::other("simulated crash"))
        })
        .unwrap_err();
    assert!(err.message.contains("simulated crash"), "{}", err.message);
    assert_eq!(fs::read(store.path()).unwrap(), before);
    assert!(!seen_tmp.unwrap().exists(), "temporary file left behind");
    assert_eq!(
        files_in(store.path().parent().unwrap()),
        vec!["settings.json"]
    );
    assert_eq!(store.load().unwrap(), AppSettings::default());
}

#[test]
fn serialises_the_words_the_ui_uses() {
    let json = serde_json::to_value(AppSettings::default()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "language": "system", "theme": "system", "concurrency": 10,
            "firstPollMs": 500, "maxPollSecs": 5, "commandPattern": "Consistent"
        })
    );
}
