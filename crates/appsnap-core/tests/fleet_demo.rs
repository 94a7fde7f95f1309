//! The fleet engine against the sandbox's `demo` scenario over real HTTP: every
//! instance's prediction and deciding checks match its case in
//! crates/sandbox-cloud/README.md, before and after RAM setup, with and without the
//! deep check; calls are batched (counted with /_sandbox/state/calls).

mod ram_support;

use std::collections::BTreeMap;
use std::time::Duration;

use appsnap_core::fleet::{
    deep_check, inventory, Assessed, CheckId, CheckStatus, Consistency, FixAction, FleetEvent,
    Inventory, InventoryOptions, ProbeTuning,
};
use appsnap_core::progress::Reporter;
use appsnap_core::ram::{apply, RamOptions};
use ram_support::{tuning, Sandbox};
use serde_json::json;

use CheckId::*;
use Consistency::{Application as App, Filesystem as Fs, None as No};

/// After RAM setup (every instance but other-role-alinux3 holds the snapshot role) and
/// a deep check: (instance, predicted, deciding checks).
const WITH_PROBE: [(&str, Consistency, &[CheckId]); 21] = [
    ("app-centos79-mysql", Fs, &[FreezeScripts]),
    ("app-ubuntu2204-postgres", Fs, &[FreezeScripts]),
    ("app-alinux3-redis", Fs, &[FreezeScripts]),
    ("win2019-sqlserver", App, &[VssWriters]),
    ("win2022-fileserver", App, &[VssWriters]),
    ("legacy-centos74", No, &[OsSupported]),
    ("legacy-win2008", No, &[OsSupported]),
    ("batch-efficiency-disk", No, &[DisksEssd]),
    ("no-agent-ubuntu2204", No, &[AgentInstalled]),
    ("agent-offline-alinux3", No, &[AgentOnline]),
    ("stopped-centos79", No, &[Running]),
    ("nfs-client-ubuntu2204", No, &[FileSystems]),
    ("many-disks-centos79", No, &[DiskCount]),
    ("other-role-alinux3", No, &[RolePolicy]),
    ("win2019-sql-vss-broken", Fs, &[VssWriters]),
    // A read-only probe sees the scripts in place (root, 0700, LF); that the prescript
    // fails or hangs shows only when the scripts run (script-test/1, a later slice).
    ("freeze-fails-centos79", App, &[FreezeScripts]),
    ("freeze-hangs-ubuntu2204", App, &[FreezeScripts]),
    ("crlf-scripts-alinux3", Fs, &[FreezeScripts]),
    ("sg-ubuntu2204-web", App, &[FreezeScripts]),
    ("sg-win2022-iis", App, &[VssWriters]),
    ("bj-centos79-api", Fs, &[FreezeScripts]),
];

fn by_name(inv: &Inventory) -> BTreeMap<String, &Assessed> {
    inv.instances
        .iter()
        .map(|a| (a.instance.name.clone(), a))
        .collect()
}

fn status(a: &Assessed, id: CheckId) -> CheckStatus {
    a.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{}: no check {id:?}", a.instance.name))
        .status
}

fn failing(a: &Assessed) -> Vec<CheckId> {
    a.checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| c.id)
        .collect()
}

async fn setup_ram(sb: &Sandbox) {
    let instances = sb
        .instances
        .iter()
        .filter(|(name, _)| name.as_str() != "other-role-alinux3")
        .map(|(_, r)| r.clone())
        .collect();
    let options = RamOptions {
        instances,
        ..RamOptions::default()
    };
    apply(
        &sb.client("admin"),
        &options,
        &tuning(),
        &Reporter::silent(),
    )
    .await
    .expect("RAM setup");
}

fn probe_tuning() -> ProbeTuning {
    ProbeTuning {
        poll_interval: Duration::from_millis(50),
        wait: Duration::from_secs(20),
        command_timeout_secs: 60,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_demo_account_has_no_snapshot_role_so_nothing_would_be_snapshotted() {
    let sb = Sandbox::start().await;
    let inv = inventory(
        &sb.client("admin"),
        &InventoryOptions::default(),
        &Reporter::silent(),
    )
    .await
    .unwrap();
    assert!(inv.is_complete(), "{:?}", inv.missing);
    assert_eq!(inv.instances.len(), 21);
    for a in &inv.instances {
        assert_eq!(a.prediction.consistency, No, "{}", a.instance.name);
        if a.instance.name == "other-role-alinux3" {
            assert_eq!(status(a, RamRole), CheckStatus::Pass);
            let policy = a.checks.iter().find(|c| c.id == RolePolicy).unwrap();
            assert_eq!(policy.status, CheckStatus::Fail);
            assert_eq!(policy.fix, Some(FixAction::AttachRole));
            assert_eq!(
                policy.reason.text,
                "the policies of OpsMonitoringRole do not grant ecs:DescribeSnapshot*, \
                 ecs:CreateSnapshot*, ecs:TagResources, ecs:DescribeDisks"
            );
        } else {
            let role = a.checks.iter().find(|c| c.id == RamRole).unwrap();
            assert_eq!(role.status, CheckStatus::Fail, "{}", a.instance.name);
            assert_eq!(role.fix, Some(FixAction::AttachRole));
            assert!(a.prediction.decided_by.contains(&RamRole));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_demo_case_is_predicted_with_and_without_the_deep_check() {
    let sb = Sandbox::start().await;
    setup_ram(&sb).await;
    // The probe's invocations run on the sandbox's clock.
    sb.control(
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": 20}),
    )
    .await;
    let client = sb.client("admin");
    let before = sb.calls().await;
    let (reporter, events) = Reporter::collecting();
    let mut inv = inventory(&client, &InventoryOptions::default(), &reporter)
        .await
        .unwrap();
    let after = sb.calls().await;
    assert!(inv.is_complete(), "{:?}", inv.missing);

    // Without the deep check: the cloud's cases are decided, guest checks unknown.
    let rows = by_name(&inv);
    assert_eq!(rows.len(), 21);
    for (name, predicted, decided) in WITH_PROBE {
        let a = rows[name];
        let guest = if a.instance.os_type == "windows" {
            vec![VssWriters]
        } else {
            vec![FileSystems, FreezeScripts]
        };
        for id in &guest {
            assert_eq!(status(a, *id), CheckStatus::Unknown, "{name} {id:?}");
        }
        let cloud_decided = !decided.iter().any(|d| guest.contains(d));
        if cloud_decided && predicted == No {
            assert_eq!(a.prediction.consistency, No, "{name}");
            assert_eq!(a.prediction.decided_by, decided, "{name}");
            assert_eq!(failing(a), decided, "{name}");
        } else {
            // The guest decides: file-system at most until the deep check looked.
            assert_eq!(a.prediction.consistency, Fs, "{name}");
            assert!(!a.prediction.confirmed, "{name}");
            assert_eq!(failing(a), Vec::<CheckId>::new(), "{name}");
        }
    }

    // Batches: one DescribeRegions, per region with instances one page of each call,
    // each role's policies once (AppSnapshotRole, OpsMonitoringRole), each policy once.
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    let listed = inv.regions.len() as u64;
    assert_eq!(listed, 8);
    assert_eq!(delta("DescribeRegions"), 1);
    assert_eq!(delta("DescribeInstances"), listed);
    assert_eq!(delta("DescribeDisks"), 4, "only regions with instances");
    assert_eq!(delta("DescribeCloudAssistantStatus"), 4);
    assert_eq!(delta("DescribeInstanceRamRole"), 4);
    assert_eq!(delta("ListPoliciesForRole"), 2);
    assert_eq!(delta("GetPolicy"), 2);
    let events = events.lock().unwrap().clone();
    let done: Vec<(String, u32)> = events
        .iter()
        .filter_map(|e| match e {
            FleetEvent::RegionDone {
                region_id,
                instances,
                failed_calls: 0,
                ..
            } => Some((region_id.clone(), *instances)),
            _ => None,
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let mut done_sorted = done.clone();
    done_sorted.sort();
    assert_eq!(
        done_sorted,
        [
            ("ap-southeast-1".to_owned(), 5),
            ("cn-beijing".to_owned(), 1),
            ("cn-hangzhou".to_owned(), 10),
            ("cn-shanghai".to_owned(), 5)
        ]
    );

    // The deep check: one RunCommand per region and OS type that has a reachable instance.
    let before = sb.calls().await;
    deep_check(&client, &mut inv, &[], &probe_tuning(), &Reporter::silent())
        .await
        .unwrap();
    let after = sb.calls().await;
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    // hangzhou linux+windows, shanghai linux+windows, singapore linux+windows, beijing linux.
    assert_eq!(delta("RunCommand"), 7);
    let rows = by_name(&inv);
    for (name, predicted, decided) in WITH_PROBE {
        let a = rows[name];
        assert_eq!(
            (a.prediction.consistency, a.prediction.decided_by.as_slice()),
            (predicted, decided),
            "{name}: {:#?}",
            a.checks
        );
    }
    let crlf = rows["crlf-scripts-alinux3"]
        .checks
        .iter()
        .find(|c| c.id == FreezeScripts)
        .unwrap();
    assert_eq!(
        crlf.reason.text,
        "/tmp/prescript.sh has CRLF line endings, so it cannot run"
    );
    assert_eq!(crlf.fix, Some(FixAction::PushScripts));
    let nfs = rows["nfs-client-ubuntu2204"]
        .checks
        .iter()
        .find(|c| c.id == FileSystems)
        .unwrap();
    assert_eq!(nfs.reason.params["mount"], "/mnt/share");
    assert_eq!(nfs.reason.params["type"], "nfs4");
    let offline = rows["agent-offline-alinux3"]
        .checks
        .iter()
        .find(|c| c.id == FreezeScripts)
        .unwrap();
    assert_eq!(offline.status, CheckStatus::Unknown);
    assert_eq!(
        offline.reason.text,
        "the deep check got no answer: Cloud Assistant is not online"
    );
}
