//! Protocol behaviour over real HTTP: SendFile validates like the Cloud Assistant agent and
//! waits for an unreachable agent until its timeout.

mod support;

use serde_json::json;
use support::{control, step, Client, ADMIN, ECS};

#[tokio::test]
async fn send_file_validates_like_the_agent() {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    let r = "cn-hangzhou";
    let id = c.instance_id(r, "app-centos79-mysql").await;
    let base = |mode: &'static str, owner: &'static str, overwrite: &'static str| {
        vec![
            ("RegionId", r),
            ("InstanceId.1", id.as_str()),
            ("Name", "prescript.sh"),
            ("TargetDir", "/tmp"),
            ("Content", "#!/bin/bash\nexit 0\n"),
            ("FileMode", mode),
            ("FileOwner", owner),
            ("Overwrite", overwrite),
        ]
    };
    c.err(
        "SendFile",
        ECS,
        &base("0800", "root", "false"),
        "FileMode.Invalid",
    )
    .await;
    let big = "x".repeat(30 * 1024);
    let mut q = base("0700", "root", "false");
    q[4] = ("Content", big.as_str());
    c.err("SendFile", ECS, &q, "FileSize.ExceedLimit").await;
    let results = |invoke: String| {
        let c = c.clone();
        async move {
            let b = c
                .ok(
                    "DescribeSendFileResults",
                    ECS,
                    &[("RegionId", r), ("InvokeId", &invoke)],
                )
                .await;
            b["Invocations"]["Invocation"][0]["InvokeInstances"]["InvokeInstance"][0].clone()
        }
    };
    let first = c.ok("SendFile", ECS, &base("0700", "root", "false")).await["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(first.starts_with("f-"));
    let pending = results(first.clone()).await;
    assert_eq!(pending["InvocationStatus"], "Pending");
    assert_eq!(
        (
            pending["StartTime"].as_str(),
            pending["FinishTime"].as_str()
        ),
        (Some(""), Some(""))
    );
    // The agent picks the file up after the delivery delay, then writes it.
    step(sb.local_addr(), 0.5).await;
    let running = results(first.clone()).await;
    assert_eq!(running["InvocationStatus"], "Running", "{running}");
    assert_eq!(running["FinishTime"], "", "{running}");
    assert_eq!(running["StartTime"], clock_now(sb.local_addr()).await);
    step(sb.local_addr(), 0.5).await;
    let done = results(first).await;
    assert_eq!(done["InvocationStatus"], "Success");
    // Finished in the simulated past, after it started: never a FinishTime in the future.
    let finish = done["FinishTime"].as_str().unwrap().to_string();
    assert!(
        finish.as_str() <= clock_now(sb.local_addr()).await.as_str(),
        "{done}"
    );
    assert!(
        done["StartTime"].as_str().unwrap() <= finish.as_str(),
        "{done}"
    );
    let dup = c.ok("SendFile", ECS, &base("0700", "root", "false")).await["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    let nobody = c.ok("SendFile", ECS, &base("0700", "oracle", "true")).await["InvokeId"]
        .as_str()
        .unwrap()
        .to_string();
    step(sb.local_addr(), 1.0).await;
    let d = results(dup).await;
    assert_eq!(
        (
            d["InvocationStatus"].as_str().unwrap(),
            d["ErrorCode"].as_str().unwrap()
        ),
        ("Failed", "FileAlreadyExists")
    );
    let n = results(nobody).await;
    assert_eq!(
        (
            n["ErrorCode"].as_str().unwrap(),
            n["ErrorInfo"].as_str().unwrap()
        ),
        ("FileAuthorityInvalid", "Owner not exists")
    );
    let (_, inst) = control(
        sb.local_addr(),
        "GET",
        &format!("/_sandbox/instances/{id}"),
        None,
    )
    .await;
    let f = inst["guest"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/tmp/prescript.sh")
        .unwrap()
        .clone();
    assert_eq!(
        (f["owner"].as_str().unwrap(), f["mode"].as_str().unwrap()),
        ("root", "0700")
    );
    sb.shutdown().await;
}

/// The simulated clock as the API prints times (`yyyy-MM-ddTHH:mm:ssZ`).
async fn clock_now(addr: std::net::SocketAddr) -> String {
    let (_, clock) = control(addr, "GET", "/_sandbox/clock", None).await;
    let now = clock["now"].as_str().unwrap();
    // The control API may print fractions; the cloud API prints whole seconds.
    format!("{}Z", &now[..19])
}

/// An instance whose agent cannot take a file waits in Pending until `Timeout` runs out
/// (at least 10 s), then ends Aborted with DeliveryTimeout; an agent that comes back in
/// time gets the file.
#[tokio::test]
async fn send_file_waits_for_an_unreachable_agent_until_its_timeout() {
    let sb = support::sandbox().await;
    let addr = sb.local_addr();
    let c = Client::new(&sb, ADMIN);
    let r = "cn-hangzhou";
    let offline = c.instance_id(r, "agent-offline-alinux3").await;
    let flaky = c.instance_id(r, "app-centos79-mysql").await;
    let (s, _) = control(
        addr,
        "POST",
        &format!("/_sandbox/instances/{flaky}/agent"),
        Some(json!({"online": false})),
    )
    .await;
    assert_eq!(s, 200);
    let send = |name: &'static str, timeout: &'static str| {
        let c = c.clone();
        let (offline, flaky) = (offline.clone(), flaky.clone());
        async move {
            c.ok(
                "SendFile",
                ECS,
                &[
                    ("RegionId", r),
                    ("InstanceId.1", offline.as_str()),
                    ("InstanceId.2", flaky.as_str()),
                    ("Name", name),
                    ("TargetDir", "/tmp"),
                    ("Content", "#!/bin/bash\nexit 0\n"),
                    ("FileMode", "0700"),
                    ("Timeout", timeout),
                ],
            )
            .await["InvokeId"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let status = |invoke: String| {
        let c = c.clone();
        async move {
            let b = c
                .ok(
                    "DescribeSendFileResults",
                    ECS,
                    &[("RegionId", r), ("InvokeId", &invoke)],
                )
                .await;
            b["Invocations"]["Invocation"][0].clone()
        }
    };
    let per_instance = |inv: &serde_json::Value, id: &str| {
        inv["InvokeInstances"]["InvokeInstance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["InstanceId"] == id)
            .unwrap()
            .clone()
    };
    // Timeout=3 is raised to the documented minimum of 10 s.
    let short = send("short.sh", "3").await;
    let started = clock_now(addr).await;
    let long = send("long.sh", "30").await;
    step(addr, 9.5).await;
    for invoke in [&short, &long] {
        let inv = status(invoke.clone()).await;
        assert_eq!(inv["InvocationStatus"], "Pending", "{inv}");
        assert_eq!(per_instance(&inv, &offline)["ErrorCode"], "", "{inv}");
    }
    step(addr, 1.0).await;
    let inv = status(short).await;
    assert_eq!(inv["InvocationStatus"], "Failed", "{inv}");
    for id in [&offline, &flaky] {
        let i = per_instance(&inv, id);
        assert_eq!(
            (
                i["InvocationStatus"].as_str().unwrap(),
                i["ErrorCode"].as_str().unwrap(),
                i["ErrorInfo"].as_str().unwrap(),
            ),
            (
                "Aborted",
                "DeliveryTimeout",
                "the command delivery has been timeout"
            ),
        );
        assert_eq!(i["StartTime"], "", "{i}");
        let finish = i["FinishTime"].as_str().unwrap();
        assert!(
            finish > started.as_str() && finish <= clock_now(addr).await.as_str(),
            "{i}"
        );
    }
    // The second agent comes back within the longer timeout: that instance gets its file.
    control(
        addr,
        "POST",
        &format!("/_sandbox/instances/{flaky}/agent"),
        Some(json!({"online": true})),
    )
    .await;
    step(addr, 2.0).await;
    let inv = status(long.clone()).await;
    assert_eq!(
        per_instance(&inv, &flaky)["InvocationStatus"],
        "Success",
        "{inv}"
    );
    assert_eq!(
        per_instance(&inv, &offline)["InvocationStatus"],
        "Pending",
        "{inv}"
    );
    assert_eq!(inv["InvocationStatus"], "Pending", "{inv}");
    step(addr, 20.0).await;
    let inv = status(long).await;
    assert_eq!(inv["InvocationStatus"], "PartialFailed", "{inv}");
    assert_eq!(per_instance(&inv, &offline)["ErrorCode"], "DeliveryTimeout");
    // Only the delivered file exists, and only on the instance whose agent came back.
    let files = |id: String| async move {
        let (_, inst) = control(addr, "GET", &format!("/_sandbox/instances/{id}"), None).await;
        inst["guest"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (on_flaky, on_offline) = (files(flaky).await, files(offline).await);
    assert!(
        on_flaky.contains(&"/tmp/long.sh".to_string()),
        "{on_flaky:?}"
    );
    assert!(
        !on_flaky.contains(&"/tmp/short.sh".to_string()),
        "{on_flaky:?}"
    );
    assert!(!on_offline
        .iter()
        .any(|p| p.ends_with("long.sh") || p.ends_with("short.sh")));
    sb.shutdown().await;
}
