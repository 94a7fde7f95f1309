//! The app-consistent snapshot end to end over HTTP on Windows: the VSS writers decide the
//! consistency. The clock is paused and stepped: no sleeps.

mod support;

use serde_json::{json, Value};
use support::app_consistent::{all, env, POLICY_DOC, ROLE};
use support::ECS;

#[tokio::test]
async fn windows_writers_decide_the_consistency() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let cases: &[(&str, &str, Value, Result<&str, i64>)] = &[
        (
            "cn-hangzhou",
            "win2019-sqlserver",
            json!({"RamRoleName": ROLE}),
            Ok("APPConsistent:True"),
        ),
        (
            "cn-hangzhou",
            "win2022-fileserver",
            json!({"RamRoleName": ROLE, "EnableWriters": "false"}),
            Ok("FsConsistent:True"),
        ),
        (
            "cn-shanghai",
            "win2019-sql-vss-broken",
            json!({"RamRoleName": ROLE}),
            Ok("FsConsistent:True"),
        ),
        (
            "ap-southeast-1",
            "sg-win2022-iis",
            json!({"RamRoleName": ROLE, "EnableWriters": "true"}),
            Ok("APPConsistent:True"),
        ),
        (
            "cn-hangzhou",
            "legacy-win2008",
            json!({"RamRoleName": ROLE}),
            Err(9),
        ),
    ];
    for (region, name, params, want) in cases {
        let id = e.instance(region, name).await;
        e.attach(region, &id).await;
        let invoke = e.invoke(region, &id, true, params.clone(), None).await;
        let res = e.wait(region, &invoke).await;
        match want {
            Ok(tag) => {
                assert_eq!(res["ExitCode"], 0, "{name}: {res}");
                let (_, tags) = e.outcome(region, &res).await;
                assert!(all(&tags, tag), "{name}: {tags:?}");
            }
            Err(code) => assert_eq!(res["ExitCode"], *code, "{name}: {res}"),
        }
        e.assert_thawed().await;
    }
    let id = e.instance("cn-shanghai", "win2019-sql-vss-broken").await;
    let res =
        e.c.ok(
            "DescribeInvocationResults",
            ECS,
            &[
                ("RegionId", "cn-shanghai"),
                ("InstanceId", &id),
                ("ContentEncoding", "PlainText"),
            ],
        )
        .await;
    assert!(
        res["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"]
            .as_str()
            .unwrap()
            .contains("SqlServerWriter")
    );
    // A Linux command cannot target a Windows instance.
    let cmd = e.public_command("cn-hangzhou", false).await;
    let win = e.instance("cn-hangzhou", "win2019-sqlserver").await;
    e.c.err(
        "InvokeCommand",
        ECS,
        &[
            ("RegionId", "cn-hangzhou"),
            ("CommandId", cmd["Name"].as_str().unwrap()),
            ("InstanceId.1", &win),
            ("Parameters", &json!({"RamRoleName": ROLE}).to_string()),
        ],
        "InvalidInstance.NotMatch",
    )
    .await;
    e.sb.shutdown().await;
}
