//! Protocol behaviour over real HTTP: accounts of different power, and STS sessions of an
//! assumed role that act with the role's policies until they expire.

mod support;

use serde_json::json;
use support::{step, Client, Style, ADMIN, ECS, OPERATOR, RAM, READ_ONLY, STS};

#[tokio::test]
async fn accounts_of_different_power() {
    let sb = support::sandbox().await;
    let op = Client::new(&sb, OPERATOR);
    let ro = Client::new(&sb, READ_ONLY);
    op.ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    let (s, _) = op
        .err(
            "GetRole",
            RAM,
            &[("RoleName", "AppSnapshotRoleName")],
            "NoPermission",
        )
        .await;
    assert_eq!(s, 403);
    op.err(
        "CreateRole",
        RAM,
        &[("RoleName", "X"), ("AssumeRolePolicyDocument", "{}")],
        "NoPermission",
    )
    .await;
    op.err(
        "AttachInstanceRamRole",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("RamRoleName", "R"),
            ("InstanceIds", "[\"i-x\"]"),
        ],
        "InvalidUser.PassRoleForbidden",
    )
    .await;
    ro.ok("DescribeDisks", ECS, &[("RegionId", "cn-hangzhou")])
        .await;
    ro.ok("GetCallerIdentity", STS, &[]).await;
    let (s, _) = ro
        .err(
            "RunCommand",
            ECS,
            &[
                ("RegionId", "cn-hangzhou"),
                ("Type", "RunShellScript"),
                ("CommandContent", "x"),
                ("InstanceId.1", "i-x"),
            ],
            "Forbidden.RAM",
        )
        .await;
    assert_eq!(s, 403);
    ro.err(
        "CreatePolicy",
        RAM,
        &[("PolicyName", "P"), ("PolicyDocument", "{}")],
        "NoPermission",
    )
    .await;
    sb.shutdown().await;
}

#[tokio::test]
async fn assumed_role_sessions_act_with_the_roles_policies_until_they_expire() {
    let sb = support::sandbox().await;
    let admin = Client::new(&sb, ADMIN);
    let trust = json!({"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1688000000000001:root"]}}],"Version":"1"}).to_string();
    let role = admin
        .ok(
            "CreateRole",
            RAM,
            &[
                ("RoleName", "AppSnapOperator"),
                ("AssumeRolePolicyDocument", &trust),
            ],
        )
        .await;
    assert_eq!(
        role["Role"]["Arn"],
        "acs:ram::1688000000000001:role/appsnapoperator"
    );
    admin
        .ok(
            "AttachPolicyToRole",
            RAM,
            &[
                ("PolicyType", "System"),
                ("PolicyName", "AliyunECSReadOnlyAccess"),
                ("RoleName", "AppSnapOperator"),
            ],
        )
        .await;
    let lp = admin
        .ok(
            "ListPoliciesForRole",
            RAM,
            &[("RoleName", "AppSnapOperator")],
        )
        .await;
    assert_eq!(lp["Policies"]["Policy"][0]["PolicyType"], "System");
    admin
        .err(
            "AttachPolicyToRole",
            RAM,
            &[
                ("PolicyType", "System"),
                ("PolicyName", "AliyunECSReadOnlyAccess"),
                ("RoleName", "AppSnapOperator"),
            ],
            "EntityAlreadyExists.Role.Policy",
        )
        .await;
    admin
        .err(
            "AssumeRole",
            STS,
            &[
                ("RoleArn", "acs:ram::1688000000000001:role/Missing"),
                ("RoleSessionName", "s1"),
            ],
            "EntityNotExist.Role",
        )
        .await;
    admin
        .err(
            "AssumeRole",
            STS,
            &[
                ("RoleArn", "acs:ram::1688000000000001:role/appsnapoperator"),
                ("RoleSessionName", "x"),
            ],
            "InvalidParameter.RoleSessionName",
        )
        .await;
    let r = admin
        .ok(
            "AssumeRole",
            STS,
            &[
                ("RoleArn", "acs:ram::1688000000000001:role/appsnapoperator"),
                ("RoleSessionName", "appsnap-test"),
                ("DurationSeconds", "900"),
            ],
        )
        .await;
    let cred = &r["Credentials"];
    assert!(cred["AccessKeyId"].as_str().unwrap().starts_with("STS."));
    for style in [Style::V1Get, Style::V3] {
        let sts = Client {
            key: cred["AccessKeyId"].as_str().unwrap().into(),
            secret: cred["AccessKeySecret"].as_str().unwrap().into(),
            token: Some(cred["SecurityToken"].as_str().unwrap().into()),
            ..Client::new(&sb, ADMIN)
        }
        .with_style(style);
        let who = sts.ok("GetCallerIdentity", STS, &[]).await;
        assert_eq!(who["IdentityType"], "AssumedRoleUser");
        sts.ok("DescribeInstances", ECS, &[("RegionId", "cn-hangzhou")])
            .await;
        sts.err(
            "StopInstance",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("InstanceId", "i-x")],
            "Forbidden.RAM",
        )
        .await;
        let wrong = Client {
            token: Some("CAISwrong".into()),
            ..sts.clone()
        };
        wrong
            .err(
                "DescribeRegions",
                ECS,
                &[],
                "InvalidSecurityToken.MismatchWithAccessKey",
            )
            .await;
        let none = Client {
            token: None,
            ..sts.clone()
        };
        none.err("DescribeRegions", ECS, &[], "MissingSecurityToken")
            .await;
    }
    step(sb.local_addr(), 901.0).await;
    let sts = Client {
        key: cred["AccessKeyId"].as_str().unwrap().into(),
        secret: cred["AccessKeySecret"].as_str().unwrap().into(),
        token: Some(cred["SecurityToken"].as_str().unwrap().into()),
        ..Client::new(&sb, ADMIN)
    };
    sts.err("DescribeRegions", ECS, &[], "InvalidSecurityToken.Expired")
        .await;
    sb.shutdown().await;
}
