//! The wizard's instance list against the sandbox's demo account: every region's
//! instances with the role each holds, read-only, in batched role reads; a role attached
//! by apply shows up in the next list.

mod ram_support;

use appsnap_core::progress::CancellationToken;
use appsnap_core::ram::{apply, candidates, InstanceResolution, RamOptions};
use appsnap_core::ErrorCode;
use ram_support::{reporter, tuning, Sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_every_demo_instance_with_its_current_role_and_only_reads() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let before = sb.calls().await;
    let list = candidates(&admin, &[]).await.unwrap();
    let after = sb.calls().await;

    assert_eq!(Sandbox::writes_between(&before, &after), 0);
    assert_eq!(list.regions.len(), 8, "{:?}", list.regions);
    assert_eq!(list.instances.len(), 21);
    let delta = |a: &str| after.get(a).unwrap_or(&0) - before.get(a).unwrap_or(&0);
    assert_eq!(delta("DescribeRegions"), 1);
    assert_eq!(delta("DescribeInstances"), 8, "one page per region");
    assert_eq!(
        delta("DescribeInstanceRamRole"),
        4,
        "one call per region that has instances"
    );

    let other = sb.instance("other-role-alinux3");
    let found = list
        .instances
        .iter()
        .find(|i| i.instance_id == other.instance_id)
        .unwrap();
    assert_eq!(found.instance_name, "other-role-alinux3");
    assert_eq!(found.region_id, "cn-shanghai");
    assert_eq!(found.current_role.as_deref(), Some("OpsMonitoringRole"));
    assert_eq!(found.role_blocker, None);
    let with_role: Vec<&str> = list
        .instances
        .iter()
        .filter(|i| i.current_role.is_some())
        .map(|i| i.instance_name.as_str())
        .collect();
    assert_eq!(with_role, ["other-role-alinux3"]);
    let stopped = list
        .instances
        .iter()
        .find(|i| i.instance_name == "stopped-centos79")
        .unwrap();
    assert_eq!(stopped.status, "Stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_region_only_and_a_role_attached_by_apply_shows_next_time() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let mysql = sb.instance("app-centos79-mysql");
    let other = sb.instance("other-role-alinux3");
    let options = RamOptions {
        instances: vec![mysql.clone(), other.clone()],
        on_conflict: Some(InstanceResolution::Extend),
        ..RamOptions::default()
    };
    let (r, _) = reporter(CancellationToken::new(), |_| {});
    let report = apply(&admin, &options, &tuning(), &r).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);

    let hz = candidates(&admin, &["cn-hangzhou".to_owned()])
        .await
        .unwrap();
    assert_eq!(hz.regions, ["cn-hangzhou"]);
    assert_eq!(hz.instances.len(), 10);
    assert!(hz.instances.iter().all(|i| i.region_id == "cn-hangzhou"));
    let role_of = |id: &str| {
        hz.instances
            .iter()
            .find(|i| i.instance_id == id)
            .and_then(|i| i.current_role.clone())
    };
    assert_eq!(
        role_of(&mysql.instance_id).as_deref(),
        Some("AppSnapshotRoleName")
    );
    assert_eq!(
        sb.instance_role(&mysql.instance_id).await.as_deref(),
        Some("AppSnapshotRoleName")
    );

    let sh = candidates(&admin, &["cn-shanghai".to_owned()])
        .await
        .unwrap();
    let kept = sh
        .instances
        .iter()
        .find(|i| i.instance_id == other.instance_id)
        .unwrap();
    assert_eq!(
        kept.current_role.as_deref(),
        Some("OpsMonitoringRole"),
        "extend keeps the instance's own role"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_region_id_is_refused_before_any_call() {
    let sb = Sandbox::start().await;
    let admin = sb.client("admin");
    let before = sb.calls().await;
    let err = candidates(&admin, &["cn hangzhou".to_owned()])
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("region id"), "{}", err.message);
    assert_eq!(sb.calls().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_lists_instances_and_roles_too() {
    let sb = Sandbox::start().await;
    let list = candidates(&sb.client("read-only"), &["cn-shanghai".to_owned()])
        .await
        .unwrap();
    assert_eq!(list.instances.len(), 5);
    let other = list
        .instances
        .iter()
        .find(|i| i.instance_name == "other-role-alinux3")
        .unwrap();
    assert_eq!(other.current_role.as_deref(), Some("OpsMonitoringRole"));
}
