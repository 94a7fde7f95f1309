//! `appsnap snapshot create --wait` end to end: the real binary against the in-process
//! sandbox's `demo` scenario (RAM set up with the ram engine), the documented JSON, exit
//! 0 / 4 / 1, and bad input refused with nothing sent.

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::{Client, Credentials};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, ApplyTuning, InstanceRef, RamOptions};
use futures::TryStreamExt;
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::Value;
use test_support::sandbox::demo_account;

mod common;
use common::appsnap;

async fn sandbox(time_scale: f64) -> RunningSandbox {
    sandbox_cloud::start(SandboxOptions {
        time_scale,
        ..SandboxOptions::default()
    })
    .await
    .unwrap()
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

async fn calls(sb: &RunningSandbox) -> Value {
    reqwest::get(format!("{}/_sandbox/state/calls", sb.endpoint()))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["calls"]
        .clone()
}

async fn id_of(sb: &RunningSandbox, region: &str, name: &str) -> String {
    let admin = demo_account("admin");
    let client = Client::builder()
        .endpoint(sb.endpoint())
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .unwrap();
    let list: Vec<_> = client
        .describe_instances_stream(region, DescribeInstancesRequest::default())
        .try_collect()
        .await
        .unwrap();
    list.into_iter()
        .find(|i| i.instance_name == name)
        .unwrap()
        .instance_id
}

#[tokio::test(flavor = "multi_thread")]
async fn create_wait_prints_the_documented_json_and_exits_by_the_mandate() {
    let sb = sandbox(20.0).await;
    setup_ram(&sb).await;
    let home = tempfile::tempdir().unwrap();
    let id = id_of(&sb, "ap-southeast-1", "freeze-fails-centos79").await;
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "snapshot",
            "create",
            "--instance",
            &id,
            "--wait",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), ["jobId", "results"]);
    let r = &v["results"][0];
    assert_eq!(
        keys(r),
        [
            "commandId",
            "consistency",
            "disks",
            "exitCode",
            "explanation",
            "groupDeleted",
            "groupState",
            "instanceId",
            "invokeId",
            "output",
            "regionId",
            "snapshotGroupId",
            "status"
        ]
    );
    assert_eq!(r["instanceId"], id.as_str());
    assert_eq!(r["regionId"], "ap-southeast-1");
    assert_eq!(r["consistency"], "filesystem");
    assert_eq!(r["status"], "succeeded");
    assert_eq!(r["exitCode"], 0);
    assert!(r["invokeId"].as_str().unwrap().starts_with("t-"));
    assert!(r["snapshotGroupId"].as_str().unwrap().starts_with("ssg-"));
    // At 20× the copy may have ended before the group was read; either way it is usable.
    assert!(
        ["available", "accomplished"].contains(&r["groupState"].as_str().unwrap()),
        "{r}"
    );
    // The decoded output, whole (it is short): the plugin's lines and the group id last.
    let output = r["output"].as_str().unwrap();
    assert!(output.contains("Prescript failed, exit code 1"), "{output}");
    assert!(
        output
            .trim_end()
            .ends_with(r["snapshotGroupId"].as_str().unwrap()),
        "{output}"
    );
    let d = &r["disks"][0];
    assert_eq!(keys(d), ["consistency", "diskId", "snapshotId", "tags"]);
    assert_eq!(d["tags"]["FsConsistent"], "True");
    assert_eq!(d["consistency"], "filesystem");
    let e = r["explanation"].as_array().unwrap();
    assert!(
        e.iter().any(|f| f["source"] == "output"
            && f["finding"]
                .as_str()
                .unwrap()
                .contains("Prescript failed, exit code 1")),
        "{e:?}"
    );

    let run = appsnap(
        &sb,
        home.path(),
        &[
            "snapshot",
            "create",
            "--instance",
            &id,
            "--mandate",
            "require",
            "--wait",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["results"][0]["consistency"], "failed");
    assert_eq!(v["results"][0]["status"], "failed");
    // Retry runs just that instance again, in the same job, with a new token.
    let job = v["jobId"].as_str().unwrap().to_owned();
    let before = calls(&sb).await["InvokeCommand"].as_u64().unwrap();
    let run = appsnap(
        &sb,
        home.path(),
        &["snapshot", "retry", &job, "--output", "json"],
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(
        calls(&sb).await["InvokeCommand"].as_u64().unwrap(),
        before + 1
    );
    let run = appsnap(&sb, home.path(), &["jobs", "resume", "--output", "json"]).await;
    assert_eq!(run.code, 0, "nothing unfinished: {}", run.stderr);
    assert_eq!(run.stdout.trim(), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_and_unknown_instances_exit_1_with_nothing_sent() {
    let sb = sandbox(0.0).await;
    let home = tempfile::tempdir().unwrap();
    let long = "n".repeat(129);
    let run = appsnap(
        &sb,
        home.path(),
        &["snapshot", "create", "--instance", "i-x", "--name", &long],
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the name has 129 characters"),
        "{}",
        run.stderr
    );
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "snapshot",
            "create",
            "--instance",
            "i-x",
            "--retention-days",
            "0",
        ],
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("retention days is 0"), "{}", run.stderr);
    assert_eq!(calls(&sb).await, serde_json::json!({}), "no call at all");
    let run = appsnap(
        &sb,
        home.path(),
        &["snapshot", "create", "--instance", "i-doesnotexist"],
    )
    .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no such instance in any region: i-doesnotexist"),
        "{}",
        run.stderr
    );
    let c = calls(&sb).await;
    assert!(
        c.get("InvokeCommand").is_none() && c.get("DescribeCommands").is_none(),
        "{c}"
    );
}

async fn group_ids(sb: &RunningSandbox) -> Vec<String> {
    let v = reqwest::get(format!("{}/_sandbox/state/snapshot-groups", sb.endpoint()))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    v["snapshot_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["snapshot_group_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_group_removes_only_a_group_the_mandate_refused() {
    let sb = sandbox(20.0).await;
    setup_ram(&sb).await;
    let home = tempfile::tempdir().unwrap();
    let id = id_of(&sb, "ap-southeast-1", "freeze-fails-centos79").await;
    let create = |mandate: &'static str| {
        let (sb, home, id) = (&sb, home.path().to_owned(), id.clone());
        async move {
            let args = [
                "snapshot",
                "create",
                "--instance",
                &id,
                "--mandate",
                mandate,
                "--wait",
                "--output",
                "json",
            ];
            let run = appsnap(sb, &home, &args).await;
            let v: Value = serde_json::from_str(&run.stdout).unwrap();
            (
                run.code,
                v["results"][0]["snapshotGroupId"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        }
    };
    let (code, kept) = create("allow").await;
    assert_eq!(code, 0);
    let (code, refused) = create("require").await;
    assert_eq!(code, 4);
    assert_eq!(group_ids(&sb).await.len(), 2);
    let delete = |group: String| {
        let (sb, home) = (&sb, home.path().to_owned());
        async move {
            let args = [
                "snapshot",
                "delete-group",
                "--group",
                &group,
                "--output",
                "json",
            ];
            appsnap(sb, &home, &args).await
        }
    };
    let deletes = || async {
        calls(&sb).await["DeleteSnapshotGroup"]
            .as_u64()
            .unwrap_or(0)
    };

    // Not an id, not in history, or a group that met the mandate: refused, nothing sent.
    let run = delete("s-notagroup".into()).await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is not a snapshot group id"),
        "{}",
        run.stderr
    );
    let run = delete("ssg-unknown0".into()).await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no run in history made snapshot group ssg-unknown0"),
        "{}",
        run.stderr
    );
    let run = delete(kept.clone()).await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("was not refused by the mandate"),
        "{}",
        run.stderr
    );
    assert_eq!(deletes().await, 0);

    let run = delete(refused.clone()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["snapshotGroupId"], refused.as_str());
    assert_eq!(v["groupDeleted"], true);
    assert_eq!(v["status"], "failed");
    let last = v["explanation"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["source"], "snapshotGroup");
    assert!(
        last["finding"]
            .as_str()
            .unwrap()
            .contains("was deleted on request"),
        "{last}"
    );
    assert_eq!(
        group_ids(&sb).await,
        vec![kept.clone()],
        "only the refused group is gone"
    );
    assert_eq!(deletes().await, 1);
    // Asked again: the run as recorded, no second call.
    let run = delete(refused.clone()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(deletes().await, 1);
}
