use std::fs;

use super::*;
use crate::profiles::ProfileKind;

const SECRET: &str = "Wq3xZ8mNpL2vR7tK9sB4yH6cD1fG5j";
const TOKEN: &str = "CAIS9f8e7d6c5b4a3928Zz";
const SANDBOX_SECRET: &str = "SandboxAdminSecret0000000000001";

fn profiles() -> Vec<Profile> {
    vec![
        Profile {
            region: Some("cn-hangzhou".into()),
            ..Profile::new("work")
        },
        Profile {
            kind: ProfileKind::StsToken,
            endpoint: Some("https://ecs.example.com".into()),
            ..Profile::new("temp")
        },
    ]
}

fn sources(log_dir: &std::path::Path) -> Sources<'_> {
    Sources {
        app: "AppSnap desktop 0.1.0".into(),
        current_profile: "work".into(),
        profiles: Ok(profiles()),
        settings: Ok(AppSettings::default()),
        dirs: vec![("logs", log_dir.to_path_buf())],
        log_dir,
        known_secrets: vec![SANDBOX_SECRET.into()],
    }
}

#[test]
fn the_report_has_versions_os_profile_kinds_settings_and_redacted_log_lines() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("appsnap.2026-12-01.log"),
        format!(
            "2026-12-01T23:59:59.000Z  INFO appsnap_desktop: old line\n\
             2026-12-01T23:59:59.500Z DEBUG acs_openapi: AccessKeySecret={SECRET}\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("appsnap.2026-12-02.log"),
        format!(
            "2026-12-02T06:41:43.120Z  INFO appsnap_desktop::sandbox: sandbox cloud started key={SANDBOX_SECRET}\n\
             2026-12-02T06:42:00.001Z  WARN appsnap_core::session: token {TOKEN} expired for {SECRET}\n"
        ),
    )
    .unwrap();
    fs::write(dir.path().join("other.txt"), format!("{SECRET}\n")).unwrap();

    let report = collect(sources(dir.path()));
    let text = report.text();
    for secret in [SECRET, TOKEN, SANDBOX_SECRET] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }
    assert!(text.contains("app: AppSnap desktop 0.1.0"), "{text}");
    assert!(text.contains("\nos: "), "{text}");
    assert!(text.contains(std::env::consts::ARCH), "{text}");
    assert!(
        text.contains("- temp kind=StsToken region=- endpoint=custom"),
        "{text}"
    );
    assert!(
        text.contains("- work kind=AccessKey region=cn-hangzhou endpoint=default"),
        "{text}"
    );
    assert!(text.contains("\"commandPattern\":\"Consistent\""), "{text}");
    assert_eq!(
        report.log_lines,
        [
            "2026-12-01T23:59:59.000Z  INFO appsnap_desktop: old line",
            "2026-12-01T23:59:59.500Z DEBUG acs_openapi: AccessKeySecret=***",
            "2026-12-02T06:41:43.120Z  INFO appsnap_desktop::sandbox: sandbox cloud started key=***",
            "2026-12-02T06:42:00.001Z  WARN appsnap_core::session: token *** expired for ***",
        ]
    );
    assert!(text.ends_with("expired for ***\n"), "{text}");
}

#[test]
fn only_the_last_lines_are_kept_and_a_missing_log_dir_is_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let old: String = (0..10).map(|i| format!("old {i}\n")).collect();
    let new: String = (0..5).map(|i| format!("new {i}\n")).collect();
    fs::write(dir.path().join("appsnap.2026-12-01.log"), old).unwrap();
    fs::write(dir.path().join("appsnap.2026-12-02.log"), new).unwrap();
    let lines = last_log_lines(dir.path(), 7).unwrap();
    assert_eq!(
        lines,
        ["old 8", "old 9", "new 0", "new 1", "new 2", "new 3", "new 4"]
    );
    assert!(last_log_lines(&dir.path().join("nope"), 7)
        .unwrap()
        .is_empty());
}

#[test]
fn unreadable_parts_say_why_instead_of_failing_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = collect(Sources {
        profiles: Err("profiles.json is not valid JSON".into()),
        settings: Err("settings.json has format version 2".into()),
        ..sources(dir.path())
    });
    let text = report.text();
    assert!(
        text.contains("(unreadable: profiles.json is not valid JSON)"),
        "{text}"
    );
    assert!(
        text.contains("(unreadable: settings.json has format version 2)"),
        "{text}"
    );
    assert!(
        text.contains("## log (last 0 lines, secrets redacted)"),
        "{text}"
    );
}
