//! Typed RAM actions against the sandbox cloud over real HTTP: roles, policies and the
//! instance role binding. Every client decodes strictly.

mod common;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::actions::ram::CreateRoleRequest;
use acs_openapi::ErrorKind;
use common::{instance, Sandbox, ECS_TRUST, HZ, POLICY};
use futures::{StreamExt, TryStreamExt};

#[tokio::test]
async fn ram_roles_policies_and_instance_role_binding() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let role = client
        .create_role(&CreateRoleRequest {
            role_name: "AppSnapshotRoleName".into(),
            assume_role_policy_document: ECS_TRUST.into(),
            description: Some("AppSnap test".into()),
            max_session_duration: None,
        })
        .await
        .unwrap()
        .role;
    assert!(
        role.arn
            .to_lowercase()
            .ends_with("role/appsnapshotrolename"),
        "{}",
        role.arn
    );
    assert_eq!(
        client
            .get_role("AppSnapshotRoleName")
            .await
            .unwrap()
            .role
            .role_id,
        role.role_id
    );
    let dup = client
        .create_role(&CreateRoleRequest {
            role_name: "AppSnapshotRoleName".into(),
            assume_role_policy_document: ECS_TRUST.into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(dup.code(), Some("EntityAlreadyExists.Role"));
    assert_eq!(dup.kind(), ErrorKind::Conflict);
    let missing = client.get_role("NoSuchRole").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);

    let roles: Vec<_> = client
        .list_roles_stream(Some(1))
        .try_collect()
        .await
        .unwrap();
    assert!(
        roles.len() >= 2,
        "Marker paging walks every role: {roles:?}"
    );
    assert!(roles.iter().any(|r| r.role_name == "AppSnapshotRoleName"));

    client
        .create_policy("AppSnapshotPolicy", POLICY, Some("test"))
        .await
        .unwrap();
    let p = client
        .get_policy("AppSnapshotPolicy", "Custom")
        .await
        .unwrap();
    assert_eq!(p.policy.policy_type, "Custom");
    client
        .attach_policy_to_role("Custom", "AppSnapshotPolicy", "AppSnapshotRoleName")
        .await
        .unwrap();
    let attached = client
        .list_policies_for_role("AppSnapshotRoleName")
        .await
        .unwrap();
    assert!(attached
        .policies
        .policy
        .iter()
        .any(|p| p.policy_name == "AppSnapshotPolicy"));

    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let ids = vec![mysql.instance_id.clone()];
    let r = client
        .attach_instance_ram_role(HZ, "AppSnapshotRoleName", &ids, None)
        .await
        .unwrap();
    assert_eq!(r.fail_count, 0, "{r:?}");
    let bound: Vec<_> = client
        .describe_instance_ram_role_stream(HZ, ids.clone(), None, None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(bound[0].ram_role_name, "AppSnapshotRoleName");

    // PageNumber paging: bind two more instances, then walk the role's instances two
    // at a time.
    let others: Vec<String> = client
        .describe_instances_stream(HZ, DescribeInstancesRequest::default())
        .map_ok(|i| i.instance_id)
        .try_filter(|id| futures::future::ready(*id != mysql.instance_id))
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(others.len(), 2);
    let r = client
        .attach_instance_ram_role(HZ, "AppSnapshotRoleName", &others, None)
        .await
        .unwrap();
    assert_eq!(r.fail_count, 0, "{r:?}");
    let calls_before = sb.calls("DescribeInstanceRamRole").await;
    let mut paged: Vec<String> = client
        .describe_instance_ram_role_stream(
            HZ,
            Vec::new(),
            Some("AppSnapshotRoleName".into()),
            Some(2),
        )
        .map_ok(|b| b.instance_id)
        .try_collect()
        .await
        .unwrap();
    paged.sort();
    let mut want = [ids.clone(), others.clone()].concat();
    want.sort();
    assert_eq!(paged, want, "every bound instance once, across pages");
    assert_eq!(sb.calls("DescribeInstanceRamRole").await - calls_before, 2);
    client
        .detach_instance_ram_role(HZ, &others, None)
        .await
        .unwrap();
    let d = client
        .detach_instance_ram_role(HZ, &ids, None)
        .await
        .unwrap();
    assert_eq!(d.fail_count, 0, "{d:?}");
    let bound: Vec<_> = client
        .describe_instance_ram_role_stream(HZ, ids, None, None)
        .try_collect()
        .await
        .unwrap();
    assert!(
        bound.iter().all(|b| b.ram_role_name.is_empty()),
        "{bound:?}"
    );
}
