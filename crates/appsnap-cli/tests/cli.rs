//! The `appsnap` binary end to end against a scripted local cloud (the same mock server
//! the acs-openapi transport tests use). Credentials come from the environment only;
//! HOME points at an empty temporary directory so no real config is read.

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Output;
use std::sync::{Arc, Mutex};

use test_support::mock_server::{error, ok, MockServer};

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
    // The v1 signature of what went on the wire, with the environment's secret.
    let mut params: std::collections::BTreeMap<String, String> = req.query().into_iter().collect();
    let sig = params.remove("Signature").expect("v1 sends Signature");
    assert_eq!(
        acs_openapi::signing::rpc_v1::sign_rpc_v1(&req.method, &params, "testsecret").signature,
        sig
    );
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

/// Records the first bytes of every connection, then closes it.
fn recorder() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 512];
            let n = stream.read(&mut buf).unwrap_or(0);
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    });
    (port, seen)
}

fn appsnap_via_proxy(args: &[&str], env: &[(&str, String)]) -> std::process::Output {
    let home = std::env::temp_dir().join(format!("appsnap-cli-proxy-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_appsnap"));
    cmd.args(args)
        .env("HOME", home)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret");
    for (k, _) in std::env::vars() {
        let lower = k.to_ascii_lowercase();
        if lower.ends_with("_proxy") || k.starts_with("ALIBABA_CLOUD_REGION") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

// `HTTPS_PROXY` and `NO_PROXY` are honoured. Both listeners only record what reaches them
// and hang up, so nothing leaves the machine.

#[test]
fn https_proxy_carries_the_regional_https_endpoint() {
    let (proxy, seen) = recorder();
    let out = appsnap_via_proxy(
        &["--region", "cn-beijing", "regions"],
        &[("HTTPS_PROXY", format!("http://127.0.0.1:{proxy}"))],
    );
    assert!(!out.status.success(), "the proxy refuses every tunnel");
    let seen = seen.lock().unwrap();
    assert!(
        seen.first()
            .is_some_and(|r| r.starts_with("CONNECT ecs.cn-beijing.aliyuncs.com:443 ")),
        "{seen:?}"
    );
}

#[test]
fn no_proxy_hosts_are_reached_directly() {
    let (proxy, via_proxy) = recorder();
    let (direct, reached) = recorder();
    let out = appsnap_via_proxy(
        &[
            "--endpoint",
            &format!("https://localhost:{direct}"),
            "regions",
        ],
        &[
            ("HTTPS_PROXY", format!("http://127.0.0.1:{proxy}")),
            ("NO_PROXY", "localhost".into()),
        ],
    );
    assert!(!out.status.success(), "the direct listener speaks no TLS");
    assert!(via_proxy.lock().unwrap().is_empty(), "NO_PROXY ignored");
    // What reached it directly is a TLS ClientHello (record type 0x16) naming localhost.
    let reached = reached.lock().unwrap();
    assert!(
        reached
            .first()
            .is_some_and(|r| r.starts_with('\u{16}') && r.contains("localhost")),
        "never reached directly with a TLS handshake: {reached:?}"
    );
}
