//! The CLI reads the desktop's settings.json for its job defaults: an unreadable file is
//! refused with its path and what to do, before any call; a flag wins over the file.

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::credentials::KeyringStore;
use acs_openapi::{Client, Credentials};
use futures::TryStreamExt;
use sandbox_cloud::SandboxOptions;
use test_support::sandbox::demo_account;

mod common;
use common::appsnap;

fn write_settings(home: &std::path::Path, text: &str) -> std::path::PathBuf {
    let dir = home.join(".config").join(KeyringStore::DEFAULT_SERVICE);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("settings.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_settings_file_is_refused_before_any_call_and_a_flag_wins_over_it() {
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let path = write_settings(
        home.path(),
        r#"{"version":1,"settings":{"concurrency":500}}"#,
    );
    let run = appsnap(
        &sb,
        home.path(),
        &["snapshot", "create", "--instance", "i-x"],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "", "no result on stdout");
    assert!(
        run.stderr.contains(&format!(
            "{} concurrency per region is 500; it must be 1-100; the file was left as it is",
            path.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("fix settings.json by hand"),
        "{}",
        run.stderr
    );
    let calls: serde_json::Value = reqwest::get(format!("{}/_sandbox/state/calls", sb.endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calls["calls"], serde_json::json!({}), "no call at all");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        r#"{"version":1,"settings":{"concurrency":500}}"#
    );

    // A valid file's concurrency (3) gives way to the flag, which is then checked.
    write_settings(home.path(), r#"{"version":1,"settings":{"concurrency":3}}"#);
    let admin = demo_account("admin");
    let client = Client::builder()
        .endpoint(sb.endpoint())
        .region("cn-hangzhou")
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .unwrap();
    let first = client
        .describe_instances_stream("cn-hangzhou", DescribeInstancesRequest::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "snapshot",
            "create",
            "--instance",
            &first.instance_id,
            "--concurrency",
            "0",
        ],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("concurrency is 0; it must be 1-100"),
        "{}",
        run.stderr
    );
}
