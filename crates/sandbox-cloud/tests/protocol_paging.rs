//! Protocol behaviour over real HTTP: the pagination styles.

mod support;

use support::{Client, ADMIN, ECS, RAM};

#[tokio::test]
async fn pagination_styles() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let p1 = c
        .ok(
            "DescribeInstances",
            ECS,
            &[
                ("RegionId", "cn-hangzhou"),
                ("PageSize", "3"),
                ("PageNumber", "4"),
            ],
        )
        .await;
    assert_eq!(p1["TotalCount"], 10);
    assert_eq!(p1["Instances"]["Instance"].as_array().unwrap().len(), 1);
    let mut seen = std::collections::BTreeSet::new();
    let mut token = String::new();
    loop {
        let mut q = vec![("RegionId", "cn-hangzhou"), ("MaxResults", "4")];
        if !token.is_empty() {
            q.push(("NextToken", token.as_str()));
        }
        let b = c.ok("DescribeInstances", ECS, &q).await;
        for i in b["Instances"]["Instance"].as_array().unwrap() {
            assert!(seen.insert(i["InstanceId"].as_str().unwrap().to_string()));
        }
        token = b["NextToken"].as_str().unwrap().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen.len(), 10);
    c.err(
        "DescribeInstances",
        ECS,
        &[("RegionId", "cn-hangzhou"), ("PageSize", "101")],
        "InvalidParameter.PageSize",
    )
    .await;
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    for n in 0..3 {
        c.ok(
            "CreateRole",
            RAM,
            &[
                ("RoleName", &format!("Role-{n}")),
                ("AssumeRolePolicyDocument", trust),
            ],
        )
        .await;
    }
    let l = c.ok("ListRoles", RAM, &[("MaxItems", "2")]).await;
    assert_eq!(l["IsTruncated"], true);
    let l2 = c
        .ok(
            "ListRoles",
            RAM,
            &[("MaxItems", "2"), ("Marker", l["Marker"].as_str().unwrap())],
        )
        .await;
    assert_eq!(l2["IsTruncated"], false);
    assert_eq!(
        l["Roles"]["Role"].as_array().unwrap().len()
            + l2["Roles"]["Role"].as_array().unwrap().len(),
        4
    );
    let g = c
        .ok(
            "DescribeSnapshotGroups",
            ECS,
            &[("RegionId", "cn-hangzhou")],
        )
        .await;
    assert_eq!(g["NextToken"], "");
    assert!(g.get("TotalCount").is_none());
    sb.shutdown().await;
}
