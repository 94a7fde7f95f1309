//! The `appsnap` binary against the sandbox cloud, with a demo AccessKey in the
//! environment and no profile at all.

use std::process::Command;

use sandbox_cloud::SandboxOptions;

async fn run(endpoint: &str, args: &[&str]) -> (i32, String, String) {
    let admin = &sandbox_cloud::demo_accounts()[0];
    let mut full = vec!["--endpoint".to_string(), endpoint.to_string()];
    full.extend(args.iter().map(|s| s.to_string()));
    let (id, secret) = (admin.access_key_id, admin.access_key_secret);
    let home = std::env::temp_dir().join(format!("appsnap-cli-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_appsnap"))
            .args(&full)
            .env("HOME", home)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
            .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
            .env_remove("ALIBABA_CLOUD_REGION_ID")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn whoami_regions_and_instances_against_the_sandbox() {
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let ep = sb.endpoint().to_string();

    let (code, out, err) = run(&ep, &["whoami"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(sandbox_cloud::DEMO_ACCOUNT_ID), "{out}");
    // A RAM user's identity carries its UserId (the principal id, for a user).
    let (code, out, err) = run(&ep, &["--output", "json", "whoami"]).await;
    assert_eq!(code, 0, "{err}");
    let me: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(me["identityType"], "RAMUser", "{out}");
    assert_eq!(me["accountId"], sandbox_cloud::DEMO_ACCOUNT_ID, "{out}");
    assert!(me["userId"].is_string(), "{out}");
    assert_eq!(me["userId"], me["principalId"], "{out}");

    let (code, out, err) = run(&ep, &["--signature", "v1", "--output", "json", "regions"]).await;
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["regions"].as_array().unwrap().len() >= 4, "{out}");

    let (code, out, err) = run(&ep, &["instances", "--region", "cn-hangzhou"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("app-centos79-mysql"), "{out}");

    let (code, out, err) = run(
        &ep,
        &["--output", "json", "instances", "--region", "cn-shanghai"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["instances"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["name"] == "stopped-centos79" && i["status"] == "Stopped"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_fails_with_the_request_id() {
    let sb = sandbox_cloud::start(SandboxOptions::default())
        .await
        .unwrap();
    let out = tokio::task::spawn_blocking({
        let ep = sb.endpoint().to_string();
        move || {
            Command::new(env!("CARGO_BIN_EXE_appsnap"))
                .args(["--endpoint", &ep, "regions"])
                .env(
                    "ALIBABA_CLOUD_ACCESS_KEY_ID",
                    sandbox_cloud::demo_accounts()[0].access_key_id,
                )
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");
    assert!(err.contains("RequestId: "), "{err}");
}
