//! `appsnap instances --check [--probe]` end to end: the real binary against the
//! in-process sandbox's `demo` scenario, keys from the environment, HOME and the data
//! dir in a temporary directory (where appsnap.db lands).

use std::collections::BTreeMap;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::{Client, Credentials};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, ApplyTuning, InstanceRef, RamOptions};
use futures::TryStreamExt;
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::{json, Value};
use test_support::sandbox::demo_account;

mod common;
use common::{appsnap, Run};

async fn sandbox(time_scale: f64) -> RunningSandbox {
    sandbox_cloud::start(SandboxOptions {
        time_scale,
        ..SandboxOptions::default()
    })
    .await
    .unwrap()
}

fn rows(run: &Run) -> BTreeMap<String, Value> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    list.into_iter()
        .map(|v| (v["name"].as_str().unwrap().to_owned(), v))
        .collect()
}

fn predicted(rows: &BTreeMap<String, Value>) -> BTreeMap<&str, &str> {
    rows.iter()
        .map(|(k, v)| (k.as_str(), v["predicted"].as_str().unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn check_prints_the_documented_json_for_each_instance() {
    let sb = sandbox(0.0).await;
    let home = tempfile::tempdir().unwrap();
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "instances",
            "--region",
            "cn-hangzhou",
            "--check",
            "--output",
            "json",
        ],
    )
    .await;
    let rows = rows(&run);
    assert_eq!(rows.len(), 10);
    let legacy = &rows["legacy-centos74"];
    let id = legacy["instanceId"].as_str().unwrap();
    assert!(id.starts_with("i-"), "{id}");
    let check = |id: &str, status: &str, key: &str, params: Value, text: &str, fix: Value| {
        json!({"id": id, "status": status,
               "reason": {"key": key, "params": params, "text": text}, "fix": fix})
    };
    let unknown_guest = |cid: &str| {
        check(
            cid,
            "unknown",
            "NeedsDeepCheck",
            json!({}),
            "not known until a deep check looks inside the guest",
            json!("DeepCheck"),
        )
    };
    let expected = json!({
        "instanceId": id,
        "name": "legacy-centos74",
        "regionId": "cn-hangzhou",
        "osType": "linux",
        "status": "Running",
        "predicted": "none",
        "checks": [
            check("Running", "pass", "InstanceRunning", json!({}), "the instance is Running", Value::Null),
            check("OsSupported", "fail", "OsTooOld",
                  json!({"os": "CentOS 7.4", "minimum": "CentOS 7.6"}),
                  "CentOS 7.4 is older than CentOS 7.6, the oldest supported; upgrade the OS or take crash-consistent snapshots",
                  Value::Null),
            check("DisksEssd", "pass", "DisksEssd", json!({"count": "2"}),
                  "all 2 disks are ESSD, ESSD AutoPL or ESSD Entry", Value::Null),
            check("DiskCount", "pass", "DiskCountOk", json!({"count": "2", "limit": "16"}),
                  "2 disks, within the group limit of 16", Value::Null),
            check("AgentInstalled", "pass", "AgentInstalled", json!({"version": "2.2.3.317"}),
                  "Cloud Assistant 2.2.3.317 is installed", Value::Null),
            check("AgentOnline", "pass", "AgentOnline", json!({}), "Cloud Assistant is online", Value::Null),
            check("AgentVersion", "pass", "AgentVersionOk", json!({"version": "2.2.3.317"}),
                  "Cloud Assistant 2.2.3.317 can receive files", Value::Null),
            check("RamRole", "fail", "RoleMissing", json!({}), "no RAM role is attached", json!("AttachRole")),
            check("RolePolicy", "unknown", "RoleMissing", json!({}), "no RAM role is attached", json!("AttachRole")),
            unknown_guest("FileSystems"),
            unknown_guest("FreezeScripts"),
            // From appsnap.db's push records (none yet), added as the inventory is stored.
            check("ScriptsDrift", "warn", "ScriptsNotRecorded", json!({}),
                  "AppSnap has not pushed scripts to this instance, so a run uses whatever the guest holds: push them to know what runs",
                  json!("PushScripts")),
        ]
    });
    assert_eq!(legacy, &expected);
    assert!(
        run.stderr.contains("cn-hangzhou: 10 instances, 21 disks"),
        "{}",
        run.stderr
    );
    // The last inventory is kept for the desktop's picker.
    let service = acs_openapi::credentials::KeyringStore::DEFAULT_SERVICE;
    assert!(home
        .path()
        .join("data")
        .join(service)
        .join("appsnap.db")
        .is_file());

    // Without --check: today's listing, unchanged.
    let plain = appsnap(
        &sb,
        home.path(),
        &["instances", "--region", "cn-hangzhou", "--output", "json"],
    )
    .await;
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let v: Value = serde_json::from_str(&plain.stdout).unwrap();
    assert_eq!(v["region"], "cn-hangzhou");
    assert_eq!(v["instances"].as_array().unwrap().len(), 10);
    assert!(v["instances"][0].get("predicted").is_none());
    let both = appsnap(
        &sb,
        home.path(),
        &["instances", "--region", "a", "--region", "b"],
    )
    .await;
    assert_eq!(both.code, 2, "{}", both.stderr);
}

async fn setup_ram(sb: &RunningSandbox) {
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
    let mut instances = Vec::new();
    for region in ["cn-hangzhou", "cn-shanghai", "ap-southeast-1", "cn-beijing"] {
        let list: Vec<_> = client
            .describe_instances_stream(region, DescribeInstancesRequest::default())
            .try_collect()
            .await
            .unwrap();
        instances.extend(
            list.into_iter()
                .filter(|i| i.instance_name != "other-role-alinux3")
                .map(|i| InstanceRef {
                    instance_id: i.instance_id,
                    region_id: region.into(),
                }),
        );
    }
    let options = RamOptions {
        instances,
        ..RamOptions::default()
    };
    let tuning = ApplyTuning {
        verify_delay: std::time::Duration::from_millis(20),
        ..ApplyTuning::default()
    };
    apply(&client, &options, &tuning, &Reporter::silent())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_demo_instance_is_predicted_as_its_case_with_and_without_probe() {
    let sb = sandbox(20.0).await;
    setup_ram(&sb).await;
    let home = tempfile::tempdir().unwrap();
    let args = ["instances", "--all-regions", "--check", "--output", "json"];
    let shallow = rows(&appsnap(&sb, home.path(), &args).await);
    assert_eq!(shallow.len(), 21);
    let none = [
        "legacy-centos74",
        "legacy-win2008",
        "batch-efficiency-disk",
        "no-agent-ubuntu2204",
        "agent-offline-alinux3",
        "stopped-centos79",
        "many-disks-centos79",
        "other-role-alinux3",
    ];
    for (name, p) in predicted(&shallow) {
        let want = if none.contains(&name) {
            "none"
        } else {
            "filesystem"
        };
        assert_eq!(p, want, "{name} without the deep check");
    }
    let mut probe_args = args.to_vec();
    probe_args.push("--probe");
    let deep = appsnap(&sb, home.path(), &probe_args).await;
    assert!(
        deep.stderr.contains("deep check answered"),
        "{}",
        deep.stderr
    );
    let deep = rows(&deep);
    let application = [
        "win2019-sqlserver",
        "win2022-fileserver",
        "sg-ubuntu2204-web",
        "sg-win2022-iis",
        // Scripts in place; that they fail or hang shows only when they run.
        "freeze-fails-centos79",
        "freeze-hangs-ubuntu2204",
    ];
    let mut none_deep = none.to_vec();
    none_deep.push("nfs-client-ubuntu2204");
    for (name, p) in predicted(&deep) {
        let want = if none_deep.contains(&name) {
            "none"
        } else if application.contains(&name) {
            "application"
        } else {
            "filesystem"
        };
        assert_eq!(p, want, "{name} with the deep check");
    }
    let failing = |name: &str| -> Vec<String> {
        deep[name]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "fail")
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        failing("nfs-client-ubuntu2204"),
        ["FileSystems", "FreezeScripts"]
    );
    assert_eq!(failing("win2019-sql-vss-broken"), ["VssWriters"]);
    assert_eq!(failing("crlf-scripts-alinux3"), ["FreezeScripts"]);
    assert_eq!(failing("stopped-centos79"), ["Running"]);
}
