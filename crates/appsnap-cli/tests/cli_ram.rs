//! `appsnap ram plan|apply` end to end: the binary against the sandbox cloud started in
//! this process, with a demo account's AccessKey in the environment, standard input
//! from /dev/null (no terminal), and the sandbox's control API as the witness of what
//! was written.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use sandbox_cloud::RunningSandbox;
use serde_json::{json, Value};
use test_support::sandbox::{demo_account, paused};

const WRITES: [&str; 5] = [
    "CreateRole",
    "CreatePolicy",
    "AttachPolicyToRole",
    "AttachInstanceRamRole",
    "DetachInstanceRamRole",
];
const ECS_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
const SEED_POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

struct Cloud {
    sandbox: RunningSandbox,
    http: reqwest::Client,
}

impl Cloud {
    async fn start() -> Self {
        Self {
            sandbox: paused().await,
            http: reqwest::Client::new(),
        }
    }

    fn endpoint(&self) -> &str {
        self.sandbox.endpoint()
    }

    /// The binary as the demo account with this power; no terminal on standard input.
    async fn appsnap(&self, power: &str, args: &[&str]) -> Run {
        let account = demo_account(power);
        let mut full = vec!["--endpoint".to_string(), self.endpoint().to_string()];
        full.extend(args.iter().map(|s| s.to_string()));
        let home = std::env::temp_dir().join(format!("appsnap-cli-ram-{}", std::process::id()));
        std::fs::create_dir_all(&home).unwrap();
        let out = tokio::task::spawn_blocking(move || {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_appsnap"));
            cmd.args(&full).env("HOME", home).stdin(Stdio::null());
            for (k, _) in std::env::vars() {
                if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || k == "APPSNAP_ENDPOINT"
                {
                    cmd.env_remove(k);
                }
            }
            cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", account.access_key_id)
                .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", account.access_key_secret)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// A demo instance's id by name, as `appsnap instances` lists it.
    async fn instance_id(&self, region: &str, name: &str) -> String {
        let r = self
            .appsnap(
                "admin",
                &["--output", "json", "instances", "--region", region],
            )
            .await;
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()["instances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("demo instance {name}"))["instanceId"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn control(&self, method: reqwest::Method, path: &str) -> Value {
        let url = format!("{}/_sandbox/{path}", self.endpoint());
        let r = self.http.request(method, url).send().await.unwrap();
        assert!(r.status().is_success(), "control {path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn reset(&self) {
        self.control(reqwest::Method::POST, "reset").await;
    }

    async fn calls(&self) -> BTreeMap<String, u64> {
        let v = self.control(reqwest::Method::GET, "state/calls").await;
        serde_json::from_value(v["calls"].clone()).unwrap()
    }

    /// Write calls counted by the sandbox (accepted or refused).
    async fn writes(&self) -> u64 {
        let calls = self.calls().await;
        WRITES
            .iter()
            .map(|a| calls.get(*a).copied().unwrap_or(0))
            .sum()
    }

    /// The demo account's RAM as the sandbox holds it.
    async fn ram(&self) -> Value {
        let v = self.control(reqwest::Method::GET, "state/ram").await;
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["account_id"] == sandbox_cloud::DEMO_ACCOUNT_ID)
            .cloned()
            .expect("demo account")
    }

    async fn role(&self, name: &str) -> Option<Value> {
        self.ram().await["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["role_name"] == name)
            .cloned()
    }

    /// `Custom:NAME` for each policy attached to the role.
    async fn role_policies(&self, role: &str) -> Vec<String> {
        self.role(role).await.map_or_else(Vec::new, |r| {
            r["policies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    format!(
                        "{}:{}",
                        p["policy_type"].as_str().unwrap(),
                        p["policy_name"].as_str().unwrap()
                    )
                })
                .collect()
        })
    }

    async fn policy_document(&self, name: &str) -> Option<String> {
        self.ram().await["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["policy_name"] == name)
            .map(|p| p["document"].as_str().unwrap().to_owned())
    }

    async fn instance_role(&self, id: &str) -> Option<String> {
        let v = self
            .control(reqwest::Method::GET, &format!("instances/{id}"))
            .await;
        v["ram_role"].as_str().map(str::to_owned)
    }
}

fn states(plan: &Value) -> Vec<(String, String)> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn step<'a>(plan: &'a Value, id: &str) -> &'a Value {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id} in {plan}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_plan_is_the_engines_json_all_todo_and_exits_4() {
    let cloud = Cloud::start().await;
    let id = cloud
        .instance_id("cn-shanghai", "nfs-client-ubuntu2204")
        .await;
    let before = cloud.writes().await;
    // The instance without a region takes the global --region.
    let r = cloud
        .appsnap(
            "admin",
            &[
                "--output",
                "json",
                "--region",
                "cn-shanghai",
                "ram",
                "plan",
                "--instance",
                &id,
            ],
        )
        .await;
    assert_eq!(r.code, 4, "{}", r.stderr);
    let attach_ids = format!(r#"["{id}"]"#);
    assert_eq!(
        r.json(),
        json!({
            "steps": [
                {
                    "id": "role",
                    "kind": "role",
                    "target": "AppSnapshotRoleName",
                    "state": "todo",
                    "detail": "Role AppSnapshotRoleName does not exist: it will be created, trusted by ecs.aliyuncs.com.",
                    "request": [{"action": "CreateRole", "parameters": {
                        "AssumeRolePolicyDocument": ECS_TRUST,
                        "RoleName": "AppSnapshotRoleName"
                    }}]
                },
                {
                    "id": "policy",
                    "kind": "policy",
                    "target": "AppSnapshotPolicy",
                    "state": "todo",
                    "detail": "Custom policy AppSnapshotPolicy does not exist: it will be created with the four snapshot actions on \"*\".",
                    "request": [{"action": "CreatePolicy", "parameters": {
                        "PolicyDocument": SEED_POLICY,
                        "PolicyName": "AppSnapshotPolicy"
                    }}]
                },
                {
                    "id": "attachment",
                    "kind": "attachment",
                    "target": "AppSnapshotPolicy → AppSnapshotRoleName",
                    "state": "todo",
                    "detail": "Policy AppSnapshotPolicy → AppSnapshotRoleName: attached once the role and policy exist.",
                    "request": [{"action": "AttachPolicyToRole", "parameters": {
                        "PolicyName": "AppSnapshotPolicy",
                        "PolicyType": "Custom",
                        "RoleName": "AppSnapshotRoleName"
                    }}]
                },
                {
                    "id": format!("instance:{id}"),
                    "kind": "instance",
                    "target": id,
                    "state": "todo",
                    "detail": format!("Role AppSnapshotRoleName will be attached to {id} once the role exists."),
                    "request": [{"action": "AttachInstanceRamRole", "parameters": {
                        "InstanceIds": attach_ids,
                        "RamRoleName": "AppSnapshotRoleName",
                        "RegionId": "cn-shanghai"
                    }}]
                }
            ],
            "instances": [
                {"instanceId": id, "regionId": "cn-shanghai", "state": "todo", "currentRole": null}
            ]
        })
    );
    assert_eq!(cloud.writes().await, before, "plan never writes");

    // The table says the same, with the exact requests apply would send.
    let r = cloud
        .appsnap(
            "admin",
            &["ram", "plan", "--instance", &format!("cn-shanghai:{id}")],
        )
        .await;
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stdout.starts_with("STEP"), "{}", r.stdout);
    let role_line = r.stdout.lines().nth(1).unwrap();
    assert!(
        role_line.starts_with("role ") && role_line.contains(" todo "),
        "{role_line}"
    );
    assert!(
        r.stdout.contains("Requests apply will send, in order:"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(r#"  attachment: {"action":"AttachPolicyToRole","parameters":{"PolicyName":"AppSnapshotPolicy","PolicyType":"Custom","RoleName":"AppSnapshotRoleName"}}"#),
        "{}",
        r.stdout
    );
    cloud.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_makes_everything_done_and_a_second_apply_sends_no_write() {
    let cloud = Cloud::start().await;
    let a = cloud
        .instance_id("cn-shanghai", "nfs-client-ubuntu2204")
        .await;
    let b = cloud.instance_id("cn-hangzhou", "app-centos79-mysql").await;
    let (ia, ib) = (format!("cn-shanghai:{a}"), format!("cn-hangzhou:{b}"));
    let args = [
        "--output",
        "json",
        "ram",
        "apply",
        "--yes",
        "--instance",
        &ia,
        "--instance",
        &ib,
    ];
    let r = cloud.appsnap("admin", &args).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all_done = pairs(&[
        ("role", "done"),
        ("policy", "done"),
        ("attachment", "done"),
        (&format!("instance:{a}"), "done"),
        (&format!("instance:{b}"), "done"),
    ]);
    assert_eq!(states(&r.json()), all_done);
    // Progress went to stderr, one line per event, stdout stayed one JSON document.
    assert!(
        r.stderr
            .contains("role: done: Created AppSnapshotRoleName."),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("instance:{b}: verifying")),
        "{}",
        r.stderr
    );

    // The sandbox's own state, not only our client's reading of it.
    let role = cloud.role("AppSnapshotRoleName").await.expect("role made");
    assert_eq!(role["trust_policy"].as_str(), Some(ECS_TRUST), "{role}");
    assert_eq!(
        cloud.policy_document("AppSnapshotPolicy").await.as_deref(),
        Some(SEED_POLICY)
    );
    assert_eq!(
        cloud.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    assert_eq!(
        cloud.instance_role(&a).await.as_deref(),
        Some("AppSnapshotRoleName")
    );
    assert_eq!(
        cloud.instance_role(&b).await.as_deref(),
        Some("AppSnapshotRoleName")
    );

    let r = cloud
        .appsnap(
            "admin",
            &[
                "--output",
                "json",
                "ram",
                "plan",
                "--instance",
                &ia,
                "--instance",
                &ib,
            ],
        )
        .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(states(&r.json()), all_done);

    let before = cloud.calls().await;
    let r = cloud.appsnap("admin", &args).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(states(&r.json()), all_done);
    assert!(r.stderr.contains("nothing to apply"), "{}", r.stderr);
    let after = cloud.calls().await;
    for w in WRITES {
        assert_eq!(after.get(w), before.get(w), "{w} sent by the second apply");
    }
    cloud.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_instance_with_another_role_takes_each_on_conflict_choice() {
    let owned = Cloud::start().await;
    let cloud = &owned;
    let id = cloud.instance_id("cn-shanghai", "other-role-alinux3").await;
    let inst = format!("cn-shanghai:{id}");
    let step_id = format!("instance:{id}");
    let apply = |choice: Option<&'static str>| {
        let mut args = vec![
            "--output".to_string(),
            "json".into(),
            "ram".into(),
            "apply".into(),
            "--yes".into(),
            "--instance".into(),
            inst.clone(),
        ];
        if let Some(c) = choice {
            args.extend(["--on-conflict".to_string(), c.to_string()]);
        }
        args
    };
    let run = |args: Vec<String>| async move {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        cloud.appsnap("admin", &refs).await
    };

    // Plan: a conflict with the three choices, exit 3.
    let r = cloud
        .appsnap(
            "admin",
            &["--output", "json", "ram", "plan", "--instance", &inst],
        )
        .await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    let plan = r.json();
    let s = step(&plan, &step_id);
    assert_eq!(s["state"], "conflict");
    let choices: Vec<&str> = s["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["resolution"].as_str().unwrap())
        .collect();
    assert_eq!(choices, ["extend", "replace", "skip"]);
    assert_eq!(plan["instances"][0]["currentRole"], "OpsMonitoringRole");

    // Skip: the rest is made, the instance stays a conflict that says it was skipped: exit 3.
    let r = run(apply(Some("skip"))).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    let plan = r.json();
    let s = step(&plan, &step_id);
    assert_eq!(
        (s["state"].as_str(), s["resolution"].as_str()),
        (Some("conflict"), Some("skip"))
    );
    assert!(
        s["detail"].as_str().unwrap().contains("Chosen: skip"),
        "{s}"
    );
    assert_eq!(step(&plan, "attachment")["state"], "done");
    assert!(
        r.stderr.contains(&format!("{step_id}: skipped")),
        "{}",
        r.stderr
    );
    let calls = cloud.calls().await;
    assert_eq!(
        (
            calls.get("AttachInstanceRamRole"),
            calls.get("DetachInstanceRamRole")
        ),
        (None, None)
    );
    assert_eq!(
        cloud.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(
        cloud.role_policies("OpsMonitoringRole").await,
        ["Custom:OpsMonitoringPolicy"]
    );

    // No choice: left alone, exit 3.
    let r = run(apply(None)).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(step(&r.json(), &step_id)["state"], "conflict");
    assert_eq!(
        cloud.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );

    // Extend: our policy goes onto their role; the instance keeps it.
    cloud.reset().await;
    let r = run(apply(Some("extend"))).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = step(&r.json(), &step_id).clone();
    assert_eq!(s["state"], "done");
    assert!(s["detail"].as_str().unwrap().contains("(extended)"), "{s}");
    assert_eq!(
        cloud.instance_role(&id).await.as_deref(),
        Some("OpsMonitoringRole")
    );
    assert_eq!(
        cloud.role_policies("OpsMonitoringRole").await,
        ["Custom:OpsMonitoringPolicy", "Custom:AppSnapshotPolicy"]
    );
    assert_eq!(cloud.calls().await.get("DetachInstanceRamRole"), None);

    // Replace: theirs detached, ours attached, their role itself untouched.
    cloud.reset().await;
    let r = run(apply(Some("replace"))).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let plan = r.json();
    assert_eq!(step(&plan, &step_id)["state"], "done");
    assert_eq!(plan["instances"][0]["currentRole"], "AppSnapshotRoleName");
    assert_eq!(
        cloud.instance_role(&id).await.as_deref(),
        Some("AppSnapshotRoleName")
    );
    assert_eq!(
        cloud.role_policies("OpsMonitoringRole").await,
        ["Custom:OpsMonitoringPolicy"]
    );
    let calls = cloud.calls().await;
    assert_eq!(
        (
            calls.get("DetachInstanceRamRole"),
            calls.get("AttachInstanceRamRole")
        ),
        (Some(&1), Some(&1))
    );
    owned.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_is_blocked_on_the_permissions_it_lacks() {
    let cloud = Cloud::start().await;
    let id = cloud
        .instance_id("cn-shanghai", "nfs-client-ubuntu2204")
        .await;
    let inst = format!("cn-shanghai:{id}");
    let blockers = |plan: &Value| -> Vec<(String, String, String)> {
        plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["state"] == "blocked")
            .map(|s| {
                (
                    s["id"].as_str().unwrap().to_owned(),
                    s["blocker"]["permission"].as_str().unwrap().to_owned(),
                    s["blocker"]["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let triple = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());

    let r = cloud
        .appsnap(
            "operator",
            &["--output", "json", "ram", "plan", "--instance", &inst],
        )
        .await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    let plan = r.json();
    assert_eq!(
        blockers(&plan),
        [
            triple("role", "ram:GetRole", "NoPermission"),
            triple("policy", "ram:GetPolicy", "NoPermission"),
            triple("attachment", "ram:ListPoliciesForRole", "NoPermission"),
        ]
    );
    // The table names the permission too.
    let r = cloud
        .appsnap("operator", &["ram", "plan", "--instance", &inst])
        .await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("role: blocked: needs permission ram:GetRole (NoPermission"),
        "{}",
        r.stdout
    );

    // Apply tries what may pass (the instance attach) and is refused PassRole: exit 3.
    let r = cloud
        .appsnap(
            "operator",
            &[
                "--output",
                "json",
                "ram",
                "apply",
                "--yes",
                "--instance",
                &inst,
            ],
        )
        .await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(
        blockers(&r.json()).last().cloned(),
        Some(triple(
            &format!("instance:{id}"),
            "ram:PassRole",
            "InvalidUser.PassRoleForbidden"
        ))
    );
    assert!(
        r.stderr.contains("blocked: needs permission ram:PassRole"),
        "{}",
        r.stderr
    );
    assert_eq!(cloud.role("AppSnapshotRoleName").await, None);
    assert_eq!(cloud.instance_role(&id).await, None);
    cloud.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_without_yes_and_without_a_terminal_is_refused_and_writes_nothing() {
    let cloud = Cloud::start().await;
    let id = cloud
        .instance_id("cn-shanghai", "nfs-client-ubuntu2204")
        .await;
    let r = cloud
        .appsnap(
            "admin",
            &[
                "--output",
                "json",
                "ram",
                "apply",
                "--instance",
                &format!("cn-shanghai:{id}"),
            ],
        )
        .await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "", "no plan on stdout for a refused apply");
    assert!(r.stderr.contains("pass --yes"), "{}", r.stderr);
    assert!(r.stderr.contains("no write call sent"), "{}", r.stderr);
    // The refusal shows what would have been sent.
    assert!(
        r.stderr.contains(r#"{"action":"CreateRole""#),
        "{}",
        r.stderr
    );
    assert_eq!(cloud.writes().await, 0);
    assert_eq!(cloud.role("AppSnapshotRoleName").await, None);
    assert_eq!(cloud.instance_role(&id).await, None);
    cloud.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_a_usage_error_before_any_call() {
    let cloud = Cloud::start().await;
    let cases: [(&[&str], &str); 4] = [
        (&["ram", "plan", "--instance", "i-abc"], "needs a region"),
        (
            &["ram", "plan", "--role", "bad name!"],
            "role name 'bad name!'",
        ),
        (
            &[
                "ram",
                "plan",
                "--instance",
                "cn-hangzhou:i-1",
                "--instance",
                "cn-hangzhou:i-1",
            ],
            "listed twice",
        ),
        (
            &["ram", "apply", "--on-conflict", "merge"],
            "invalid value 'merge'",
        ),
    ];
    for (args, words) in cases {
        let r = cloud.appsnap("admin", args).await;
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(words), "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
    assert_eq!(cloud.calls().await, BTreeMap::new(), "nothing was sent");
    cloud.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn help_names_the_flags_and_the_exit_statuses() {
    let cloud = Cloud::start().await;
    let r = cloud.appsnap("admin", &["ram", "plan", "--help"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    for word in [
        "--role",
        "--policy",
        "--instance",
        "--accept-existing-role",
        "--accept-existing-policy",
        "REGION:ID",
        "Exit status:",
        "  4  plan only",
    ] {
        assert!(r.stdout.contains(word), "{word} missing:\n{}", r.stdout);
    }
    let r = cloud.appsnap("admin", &["ram", "apply", "--help"]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    for word in [
        "--yes",
        "--on-conflict",
        "extend",
        "replace",
        "skip",
        "  0  ",
        "  2  ",
        "  3  ",
    ] {
        assert!(r.stdout.contains(word), "{word} missing:\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("  4  "), "{}", r.stdout);
    cloud.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_apply_between_steps_and_plan_resumes_there() {
    use std::io::{BufRead, BufReader, Read};

    let cloud = Cloud::start().await;
    // CreatePolicy takes a while, so Ctrl-C lands while that step is under way.
    let url = format!("{}/_sandbox/faults", cloud.endpoint());
    let fault = json!({"action": "CreatePolicy", "latency_ms": 1500});
    let r = cloud.http.post(url).json(&fault).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());

    let admin = demo_account("admin");
    let endpoint = cloud.endpoint().to_string();
    let home = std::env::temp_dir().join(format!("appsnap-cli-ram-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_appsnap"))
            .args([
                "--endpoint",
                &endpoint,
                "--output",
                "json",
                "ram",
                "apply",
                "--yes",
            ])
            .env("HOME", home)
            .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
            .env_remove("ALIBABA_CLOUD_REGION_ID")
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", admin.access_key_id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", admin.access_key_secret)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            assert!(
                err.read_line(&mut line).unwrap() > 0,
                "ended early:\n{seen}"
            );
            seen.push_str(&line);
            if line.starts_with("policy: started") {
                break;
            }
        }
        let kill = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        err.read_to_string(&mut seen).unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let status = child.wait().unwrap();
        (status.code().unwrap_or(-1), out, seen)
    })
    .await
    .unwrap();
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "", "no plan is printed for a stopped apply");
    assert!(
        stderr.contains("stopping after the current step"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stopped between steps at Ctrl-C"),
        "{stderr}"
    );
    // The step under way finished; the next one never started.
    assert!(stderr.contains("policy: done"), "{stderr}");
    assert!(!stderr.contains("attachment: started"), "{stderr}");
    assert_eq!(cloud.calls().await.get("AttachPolicyToRole"), None);
    assert_eq!(
        cloud.role_policies("AppSnapshotRoleName").await,
        Vec::<String>::new()
    );

    let r = cloud
        .appsnap("admin", &["--output", "json", "ram", "plan"])
        .await;
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        states(&r.json()),
        pairs(&[("role", "done"), ("policy", "done"), ("attachment", "todo")])
    );
    cloud.sandbox.shutdown().await;
}

/// The binary at a terminal: util-linux `script` runs it on a pseudo-terminal and types
/// `answer` into it. Returns the exit status and everything the terminal showed.
async fn at_a_terminal(cloud: &Cloud, args: &str, answer: &'static str) -> (i32, String) {
    use std::io::Write;

    let admin = demo_account("admin");
    let cmd = format!(
        "{} --endpoint {} {args}",
        env!("CARGO_BIN_EXE_appsnap"),
        cloud.endpoint()
    );
    let home = std::env::temp_dir().join(format!("appsnap-cli-ram-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new("script")
            .args(["-q", "-e", "-c", &cmd, "/dev/null"])
            .env("HOME", home)
            .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
            .env_remove("ALIBABA_CLOUD_REGION_ID")
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", admin.access_key_id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", admin.access_key_secret)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux `script` runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn at_a_terminal_apply_asks_and_only_yes_writes() {
    let cloud = Cloud::start().await;

    let (code, screen) = at_a_terminal(&cloud, "ram apply", "n\n").await;
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("Send these 3 write call(s)? [y/N]"),
        "{screen}"
    );
    assert!(
        screen.contains(r#"  role: {"action":"CreateRole""#),
        "{screen}"
    );
    assert!(
        screen.contains("not applied; no write call sent"),
        "{screen}"
    );
    assert_eq!(cloud.writes().await, 0);

    let (code, screen) = at_a_terminal(&cloud, "ram apply", "y\n").await;
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("attachment: done"), "{screen}");
    assert_eq!(
        cloud.role_policies("AppSnapshotRoleName").await,
        ["Custom:AppSnapshotPolicy"]
    );
    cloud.sandbox.shutdown().await;
}
