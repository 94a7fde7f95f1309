//! Protocol behaviour over real HTTP: the control API (reset, scenarios, configuration)
//! and scenarios reproducible for a seed.

mod support;

use serde_json::json;
use support::{control, Client, ADMIN, ECS, RAM};

#[tokio::test]
async fn control_api_resets_loads_scenarios_and_configures() {
    let sb = support::sandbox().await;
    let a = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    c.ok(
        "CreateRole",
        RAM,
        &[("RoleName", "Temp"), ("AssumeRolePolicyDocument", trust)],
    )
    .await;
    let (s, _) = control(a, "POST", "/_sandbox/reset", None).await;
    assert_eq!(s, 200);
    c.err(
        "GetRole",
        RAM,
        &[("RoleName", "Temp")],
        "EntityNotExist.Role",
    )
    .await;
    let (s, h) = control(a, "GET", "/_sandbox/health", None).await;
    assert_eq!((s, h["scenario"].as_str().unwrap()), (200, "demo"));
    let (_, cfg) = control(a, "POST", "/_sandbox/config", Some(json!({"snapshot_group_disk_limit": 20, "linux_command_name": "ACS-ECS-X-for-linux.sh"}))).await;
    assert_eq!(cfg["snapshot_group_disk_limit"], 20);
    let d = c
        .ok(
            "DescribeCommands",
            ECS,
            &[
                ("RegionId", "cn-hangzhou"),
                ("Provider", "AlibabaCloud"),
                ("Name", "ACS-ECS-X"),
            ],
        )
        .await;
    assert_eq!(
        d["Commands"]["Command"][0]["Name"],
        "ACS-ECS-X-for-linux.sh"
    );
    let (s, _) = control(a, "POST", "/_sandbox/config", Some(json!({"bogus": 1}))).await;
    assert_eq!(s, 400);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/scenario",
        Some(json!({"name": "scale", "seed": 9, "instances": 300, "regions": 3})),
    )
    .await;
    assert_eq!(s, 200);
    let total: u64 = {
        let mut t = 0;
        for r in ["cn-hangzhou", "cn-shanghai", "cn-beijing"] {
            t += c
                .ok(
                    "DescribeInstances",
                    ECS,
                    &[("RegionId", r), ("PageSize", "1")],
                )
                .await["TotalCount"]
                .as_u64()
                .unwrap();
        }
        t
    };
    assert_eq!(total, 300);
    let (s, _) = control(
        a,
        "POST",
        "/_sandbox/scenario",
        Some(json!({"name": "nope"})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = control(a, "GET", "/_sandbox/what", None).await;
    assert_eq!(s, 404);
    let (_, clock) = control(
        a,
        "POST",
        "/_sandbox/clock/speed",
        Some(json!({"time_scale": 2.5})),
    )
    .await;
    assert_eq!(clock["time_scale"], 2.5);
    let (_, acc) = control(a, "GET", "/_sandbox/accounts", None).await;
    assert_eq!(acc["accounts"].as_array().unwrap().len(), 3);
    sb.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(a).await.is_err(),
        "still listening after shutdown"
    );
}

#[tokio::test]
async fn scenarios_are_reproducible_for_a_seed() {
    let ids = |seed: u64| async move {
        let sb = sandbox_cloud::start(sandbox_cloud::SandboxOptions {
            seed,
            time_scale: 0.0,
            ..Default::default()
        })
        .await
        .unwrap();
        let c = Client::new(&sb, ADMIN);
        let b = c
            .ok(
                "DescribeInstances",
                ECS,
                &[("RegionId", "cn-hangzhou"), ("PageSize", "100")],
            )
            .await;
        sb.shutdown().await;
        b["Instances"]["Instance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["InstanceId"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(3).await, ids(3).await);
    assert_ne!(ids(3).await, ids(4).await);
}
