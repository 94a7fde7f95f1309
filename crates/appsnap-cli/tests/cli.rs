//! The `appsnap` binary end to end against a scripted local cloud (the same mock server
//! the acs-openapi transport tests use). Credentials come from the environment only;
//! HOME points at an empty temporary directory so no real config is read.

#[path = "../../acs-openapi/tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::Output;

use support::{error, ok, MockServer};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn empty_home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("appsnap-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn appsnap(args: &[&str], with_keys: bool) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out: Output = tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_appsnap"));
        cmd.args(&args).env("HOME", empty_home());
        for (k, _) in std::env::vars() {
            if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || k == "APPSNAP_ENDPOINT" {
                cmd.env_remove(k);
            }
        }
        if with_keys {
            cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret");
        }
        cmd.output().unwrap()
    })
    .await
    .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const WHOAMI: &str = r#"{"RequestId":"R-WHO","AccountId":"1234567890123456","Arn":"acs:ram::1234567890123456:user/admin","IdentityType":"RAMUser","PrincipalId":"2000","UserId":"2000"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn help_lists_commands_and_global_options() {
    let r = appsnap(&["--help"], false).await;
    assert_eq!(r.code, 0);
    for word in [
        "whoami",
        "regions",
        "instances",
        "--profile",
        "--region",
        "--endpoint",
        "--signature",
        "--output",
    ] {
        assert!(r.stdout.contains(word), "{word} missing:\n{}", r.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn whoami_uses_environment_keys_and_acs3() {
    let server = MockServer::start(vec![ok(WHOAMI)]).await;
    let r = appsnap(&["--endpoint", &server.endpoint, "whoami"], true).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1234567890123456"), "{}", r.stdout);
    assert!(r.stdout.contains("environment"), "{}", r.stdout);
    let req = &server.requests()[0];
    assert_eq!(req.header("x-acs-action"), Some("GetCallerIdentity"));
    assert!(req
        .header("authorization")
        .unwrap()
        .starts_with("ACS3-HMAC-SHA256 Credential=testid,"));
}

#[tokio::test(flavor = "multi_thread")]
async fn regions_as_json_with_v1_signature() {
    let server = MockServer::start(vec![ok(
        r#"{"RequestId":"R","Regions":{"Region":[{"RegionId":"cn-beijing","LocalName":"华北2（北京）","RegionEndpoint":"ecs.cn-beijing.aliyuncs.com","Status":"available"}]}}"#,
    )])
    .await;
    let r = appsnap(
        &[
            "--endpoint",
            &server.endpoint,
            "--signature",
            "v1",
            "--output",
            "json",
            "regions",
        ],
        true,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["regions"][0]["regionId"], "cn-beijing");
    let req = &server.requests()[0];
    assert!(req.query_value("Signature").is_some());
    assert_eq!(
        req.query_value("Action").as_deref(),
        Some("DescribeRegions")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_table_in_a_region() {
    let server = MockServer::start(vec![ok(
        r#"{"RequestId":"R","NextToken":"","Instances":{"Instance":[{"InstanceId":"i-abc","InstanceName":"db-1","Status":"Running","OSType":"linux","ZoneId":"cn-beijing-h","InstanceType":"ecs.g7.large"}]}}"#,
    )])
    .await;
    let r = appsnap(
        &[
            "--endpoint",
            &server.endpoint,
            "instances",
            "--region",
            "cn-beijing",
        ],
        true,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("INSTANCE"), "{}", r.stdout);
    assert!(
        r.stdout.contains("i-abc") && r.stdout.contains("Running"),
        "{}",
        r.stdout
    );
    assert_eq!(
        server.requests()[0].query_value("RegionId").as_deref(),
        Some("cn-beijing")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cloud_errors_show_code_and_request_id_and_exit_non_zero() {
    let server =
        MockServer::start(vec![error(404, "InvalidAccessKeyId.NotFound", "R-BAD-KEY")]).await;
    let r = appsnap(&["--endpoint", &server.endpoint, "whoami"], true).await;
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("InvalidAccessKeyId.NotFound"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("RequestId: R-BAD-KEY"), "{}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors() {
    let r = appsnap(&["instances"], true).await;
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--region"), "{}", r.stderr);
    let r = appsnap(&["--endpoint", "http://10.1.2.3:80", "whoami"], true).await;
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("only allowed for 127.0.0.1"),
        "{}",
        r.stderr
    );
    let r = appsnap(&["--signature", "v2", "whoami"], true).await;
    assert_eq!(r.code, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_anywhere_is_a_clear_error() {
    let server = MockServer::start(vec![ok(WHOAMI)]).await;
    let r = appsnap(&["--endpoint", &server.endpoint, "whoami"], false).await;
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("no credentials found"), "{}", r.stderr);
    assert!(
        server.requests().is_empty(),
        "nothing may be sent without credentials"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_named_profile_never_falls_back_to_environment_keys() {
    let server = MockServer::start(vec![ok(WHOAMI)]).await;
    let r = appsnap(
        &[
            "--endpoint",
            &server.endpoint,
            "--profile",
            "no-such-profile-anywhere",
            "whoami",
        ],
        true,
    )
    .await;
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.contains("appsnap: error:"), "{}", r.stderr);
    assert!(
        server.requests().is_empty(),
        "the environment's keys must not be used for another profile"
    );
}
