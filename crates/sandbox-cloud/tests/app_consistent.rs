//! The app-consistent snapshot end to end over HTTP, both trigger paths (discovered public
//! command, in-guest plugin via RunCommand), Linux and Windows, with each fallback and
//! failure case of the demo scenario. The clock is paused and stepped: no sleeps.

mod support;

use base64::Engine as _;
use serde_json::{json, Value};
use support::{control, step, Client, ADMIN, ECS, RAM};

const ROLE: &str = "AppSnapshotRoleName";
const POLICY_DOC: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;
const TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;

struct Env {
    sb: sandbox_cloud::RunningSandbox,
    c: Client,
}

async fn env() -> Env {
    let sb = support::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    Env { sb, c }
}

impl Env {
    async fn instance(&self, region: &str, name: &str) -> String {
        self.c.instance_id(region, name).await
    }

    async fn role(&self, doc: &str) {
        self.c
            .ok(
                "CreateRole",
                RAM,
                &[
                    ("RoleName", ROLE),
                    ("AssumeRolePolicyDocument", TRUST),
                    ("Description", "app-consistent snapshots"),
                ],
            )
            .await;
        self.c
            .ok(
                "CreatePolicy",
                RAM,
                &[("PolicyName", "AppSnapshotPolicy"), ("PolicyDocument", doc)],
            )
            .await;
        self.c
            .ok(
                "AttachPolicyToRole",
                RAM,
                &[
                    ("PolicyType", "Custom"),
                    ("PolicyName", "AppSnapshotPolicy"),
                    ("RoleName", ROLE),
                ],
            )
            .await;
    }

    async fn attach(&self, region: &str, id: &str) -> Value {
        self.c
            .ok(
                "AttachInstanceRamRole",
                ECS,
                &[
                    ("RegionId", region),
                    ("RamRoleName", ROLE),
                    ("InstanceIds", &json!([id]).to_string()),
                ],
            )
            .await
    }

    async fn send(
        &self,
        region: &str,
        id: &str,
        name: &str,
        content: &str,
        mode: &str,
        owner: &str,
    ) -> Value {
        let b64 = base64::engine::general_purpose::STANDARD.encode(content);
        let r = self
            .c
            .ok(
                "SendFile",
                ECS,
                &[
                    ("RegionId", region),
                    ("InstanceId.1", id),
                    ("Name", name),
                    ("TargetDir", "/tmp"),
                    ("Content", &b64),
                    ("ContentType", "Base64"),
                    ("FileMode", mode),
                    ("FileOwner", owner),
                    ("FileGroup", owner),
                    ("Overwrite", "true"),
                ],
            )
            .await;
        step(self.sb.local_addr(), 1.0).await;
        let f = self
            .c
            .ok(
                "DescribeSendFileResults",
                ECS,
                &[
                    ("RegionId", region),
                    ("InvokeId", r["InvokeId"].as_str().unwrap()),
                ],
            )
            .await;
        f["Invocations"]["Invocation"][0].clone()
    }

    async fn scripts(&self, region: &str, id: &str, mode: &str, owner: &str) {
        for n in ["prescript.sh", "postscript.sh"] {
            let r = self
                .send(region, id, n, "#!/bin/bash\nsync\nexit 0\n", mode, owner)
                .await;
            assert_eq!(r["InvocationStatus"], "Success", "{r}");
        }
    }

    /// The public command for this OS, found by discovery, not by a hard-coded name.
    async fn public_command(&self, region: &str, windows: bool) -> Value {
        let b = self
            .c
            .ok(
                "DescribeCommands",
                ECS,
                &[
                    ("RegionId", region),
                    ("Provider", "AlibabaCloud"),
                    ("Name", "*Consistent*"),
                    ("ContentEncoding", "PlainText"),
                ],
            )
            .await;
        let want = if windows {
            "RunPowerShellScript"
        } else {
            "RunShellScript"
        };
        b["Commands"]["Command"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["Type"] == want)
            .cloned()
            .expect("public app-consistent command")
    }

    /// Step the clock until the invocation is final; returns its result row.
    async fn wait(&self, region: &str, invoke: &str) -> Value {
        for _ in 0..120 {
            step(self.sb.local_addr(), 1.0).await;
            let b = self
                .c
                .ok(
                    "DescribeInvocations",
                    ECS,
                    &[("RegionId", region), ("InvokeId", invoke)],
                )
                .await;
            let st = b["Invocations"]["Invocation"][0]["InvocationStatus"]
                .as_str()
                .unwrap()
                .to_string();
            if !["Pending", "Running"].contains(&st.as_str()) {
                let r = self
                    .c
                    .ok(
                        "DescribeInvocationResults",
                        ECS,
                        &[
                            ("RegionId", region),
                            ("InvokeId", invoke),
                            ("ContentEncoding", "PlainText"),
                        ],
                    )
                    .await;
                return r["Invocation"]["InvocationResults"]["InvocationResult"][0].clone();
            }
        }
        panic!("invocation {invoke} never finished");
    }

    async fn invoke(
        &self,
        region: &str,
        id: &str,
        windows: bool,
        params: Value,
        timeout: Option<&str>,
    ) -> String {
        let cmd = self.public_command(region, windows).await;
        let p = params.to_string();
        let mut q = vec![
            ("RegionId", region),
            ("CommandId", cmd["Name"].as_str().unwrap()),
            ("InstanceId.1", id),
            ("Parameters", p.as_str()),
        ];
        if let Some(t) = timeout {
            q.push(("Timeout", t));
        }
        self.c.ok("InvokeCommand", ECS, &q).await["InvokeId"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn run_plugin(&self, region: &str, id: &str, params: &str) -> Value {
        let script = format!("#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"{params}\"\n");
        let r = self
            .c
            .ok(
                "RunCommand",
                ECS,
                &[
                    ("RegionId", region),
                    ("Type", "RunShellScript"),
                    ("CommandContent", &script),
                    ("InstanceId.1", id),
                    ("Timeout", "600"),
                ],
            )
            .await;
        self.wait(region, r["InvokeId"].as_str().unwrap()).await
    }

    /// Consistency tags of every snapshot in the group whose id ends the output.
    async fn outcome(&self, region: &str, result: &Value) -> (String, Vec<String>) {
        let out = result["Output"].as_str().unwrap();
        let gid = out.lines().last().unwrap_or("").to_string();
        assert!(
            gid.starts_with("ssg-"),
            "last line is not a group id: {out}"
        );
        let g = self
            .c
            .ok(
                "DescribeSnapshotGroups",
                ECS,
                &[("RegionId", region), ("SnapshotGroupId.1", &gid)],
            )
            .await;
        let group = &g["SnapshotGroups"]["SnapshotGroup"][0];
        let ids: Vec<String> = group["Snapshots"]["Snapshot"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["SnapshotId"].as_str().unwrap().to_string())
            .collect();
        let snaps = self
            .c
            .ok(
                "DescribeSnapshots",
                ECS,
                &[
                    ("RegionId", region),
                    ("SnapshotIds", &json!(ids).to_string()),
                    ("PageSize", "100"),
                ],
            )
            .await;
        let tags: Vec<String> = snaps["Snapshots"]["Snapshot"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                s["Tags"]["Tag"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| {
                        format!(
                            "{}:{}",
                            t["TagKey"].as_str().unwrap(),
                            t["TagValue"].as_str().unwrap()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        assert_eq!(tags.len(), ids.len());
        (group["Status"].as_str().unwrap().to_string(), tags)
    }

    /// `GET /_sandbox/state/{what}` of the control API.
    async fn state(&self, what: &str) -> Value {
        let (status, body) = control(
            self.sb.local_addr(),
            "GET",
            &format!("/_sandbox/state/{what}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{what}: {body}");
        body
    }

    async fn assert_thawed(&self) {
        let f = self.state("frozen").await;
        assert_eq!(f["frozen"], json!([]), "a guest was left frozen");
    }

    async fn probe(&self, region: &str, id: &str) -> String {
        let script = "#!/bin/bash\n# appsnap-guest: inventory-probe/1\ncat /etc/os-release\n";
        let r = self
            .c
            .ok(
                "RunCommand",
                ECS,
                &[
                    ("RegionId", region),
                    ("Type", "RunShellScript"),
                    ("CommandContent", script),
                    ("InstanceId.1", id),
                ],
            )
            .await;
        let res = self.wait(region, r["InvokeId"].as_str().unwrap()).await;
        assert_eq!(res["ExitCode"], 0);
        res["Output"].as_str().unwrap().to_string()
    }
}

fn all(tags: &[String], want: &str) -> bool {
    !tags.is_empty() && tags.iter().all(|t| t == want)
}

#[tokio::test]
async fn linux_full_flow_is_application_consistent() {
    let e = env().await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    let st =
        e.c.ok(
            "DescribeCloudAssistantStatus",
            ECS,
            &[("RegionId", r), ("InstanceId.1", &id)],
        )
        .await;
    assert_eq!(
        st["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
            ["CloudAssistantStatus"],
        "true"
    );
    e.role(POLICY_DOC).await;
    let a = e.attach(r, &id).await;
    assert_eq!(a["FailCount"], 0);
    let rr =
        e.c.ok(
            "DescribeInstanceRamRole",
            ECS,
            &[("RegionId", r), ("InstanceIds", &json!([&id]).to_string())],
        )
        .await;
    assert_eq!(
        rr["InstanceRamRoleSets"]["InstanceRamRoleSet"][0]["RamRoleName"],
        ROLE
    );
    e.scripts(r, &id, "0700", "root").await;
    let probe = e.probe(r, &id).await;
    assert!(
        probe.contains("file=/tmp/prescript.sh|present|root|root|0700|"),
        "{probe}"
    );
    assert!(probe.contains("plugin=app-snapshot-plugin|absent"));

    let cmd = e.public_command(r, false).await;
    let defs: Vec<&str> = cmd["ParameterDefinitions"]["ParameterDefinition"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ParameterName"].as_str().unwrap())
        .collect();
    for p in [
        "RamRoleName",
        "EnableFsFreeze",
        "TimeoutInSeconds",
        "PreScriptPath",
        "PostScriptPath",
        "ExcludeDiskId",
        "Name",
        "RetentionDays",
        "InstantAccess",
    ] {
        assert!(defs.contains(&p), "{p} missing from {defs:?}");
    }
    let invoke = e
        .invoke(
            r,
            &id,
            false,
            json!({"RamRoleName": ROLE, "Name": "nightly-mysql", "RetentionDays": "7"}),
            None,
        )
        .await;
    // Delivery, prescript, then the freeze: visible in the control API while it lasts.
    step(e.sb.local_addr(), 1.1).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"][0]["instance_id"], id.as_str(), "{frozen}");
    assert_eq!(frozen["frozen"][0]["mount_points"], json!(["/", "/data"]));
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    assert_eq!(res["InvocationStatus"], "Success");
    let out = res["Output"].as_str().unwrap();
    assert!(
        out.contains("Take APPConsistent snapshots successfully"),
        "{out}"
    );
    assert!(out.contains("Prescript cost="));
    let (status, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "APPConsistent:True"), "{tags:?}");
    step(e.sb.local_addr(), 5.0).await;
    let g =
        e.c.ok(
            "DescribeSnapshotGroups",
            ECS,
            &[
                ("RegionId", r),
                ("InstanceId", &id),
                ("Name", "nightly-mysql"),
            ],
        )
        .await;
    let group = &g["SnapshotGroups"]["SnapshotGroup"][0];
    assert_eq!(group["Status"], "accomplished", "was {status}");
    assert_eq!(
        group["Snapshots"]["Snapshot"][0]["Tags"]["Tag"][0]["Key"],
        "APPConsistent"
    );
    assert_eq!(group["Snapshots"]["Snapshot"][0]["Progress"], "100%");
    let snaps =
        e.c.ok(
            "DescribeSnapshots",
            ECS,
            &[
                ("RegionId", r),
                ("InstanceId", &id),
                ("Tag.1.Key", "APPConsistent"),
                ("Tag.1.Value", "True"),
            ],
        )
        .await;
    assert_eq!(snaps["Snapshots"]["Snapshot"].as_array().unwrap().len(), 2);
    assert_eq!(snaps["Snapshots"]["Snapshot"][0]["RetentionDays"], 7);
    e.assert_thawed().await;
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"][0]["thaw_reason"], "completed");
    assert!(hist["history"][0]["frozen_at"].is_string());
    assert!(hist["history"][0]["thawed_at"].is_string());
    // The control API shows the group and the invocation.
    let groups = e.state("snapshot-groups").await;
    let group = groups["snapshot_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "nightly-mysql")
        .unwrap_or_else(|| panic!("no group in {groups}"));
    assert_eq!(
        (group["instance_id"].as_str(), group["status"].as_str()),
        (Some(id.as_str()), Some("accomplished"))
    );
    assert_eq!(group["snapshots"][0]["tags"]["APPConsistent"], "True");
    let invs = e.state("invocations").await;
    let inv = invs["invocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["invoke_id"] == invoke.as_str())
        .unwrap_or_else(|| panic!("no invocation in {invs}"));
    assert_eq!(inv["status"], "Success");
    assert_eq!(inv["instances"][0]["exit_code"], 0);
    // The plugin's own log, read back through the probe.
    let probe = e.probe(r, &id).await;
    assert!(probe.contains("plugin=app-snapshot-plugin|1.8"));
    assert!(probe.contains("log.path=/usr/local/share/aliyun-assist/plugin/app-snapshot-plugin/1.8/log/app_snapshot_plugin.log."), "{probe}");
    assert!(probe.contains("Take APPConsistent snapshots successfully"));
    e.sb.shutdown().await;
}

#[tokio::test]
async fn linux_fallbacks_are_file_system_consistent_with_the_cause_in_the_output() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    // (region, instance, upload scripts as (mode, owner), expected cause in the output)
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>, &'a str);
    let cases: &[Case] = &[
        (
            "cn-hangzhou",
            "app-ubuntu2204-postgres",
            None,
            "File /tmp/prescript.sh not found",
        ),
        (
            "cn-hangzhou",
            "app-alinux3-redis",
            Some(("0755", "root")),
            "Pre/Post-Script have no Expected Permission",
        ),
        (
            "cn-beijing",
            "bj-centos79-api",
            Some(("0700", "admin")),
            "Pre/Post-Script have no Expected Permission",
        ),
        (
            "ap-southeast-1",
            "freeze-fails-centos79",
            None,
            "Prescript failed, exit code 1",
        ),
        (
            "ap-southeast-1",
            "freeze-hangs-ubuntu2204",
            None,
            "Prescript timeout",
        ),
        (
            "ap-southeast-1",
            "crlf-scripts-alinux3",
            None,
            "bad interpreter",
        ),
    ];
    for (region, name, upload, cause) in cases {
        let id = e.instance(region, name).await;
        e.attach(region, &id).await;
        if let Some((mode, owner)) = upload {
            e.scripts(region, &id, mode, owner).await;
        }
        let invoke = e
            .invoke(region, &id, false, json!({"RamRoleName": ROLE}), None)
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], 0, "{name}: {res}");
        let out = res["Output"].as_str().unwrap();
        assert!(out.contains(cause), "{name}: expected '{cause}' in\n{out}");
        assert!(
            out.contains("Take FsConsistent snapshots successfully"),
            "{name}: {out}"
        );
        let (_, tags) = e.outcome(region, &res).await;
        assert!(all(&tags, "FsConsistent:True"), "{name}: {tags:?}");
        e.assert_thawed().await;
    }
    e.sb.shutdown().await;
}

#[tokio::test]
async fn plugin_via_run_command_with_good_scripts_is_application_consistent() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let res = e.run_plugin(r, &id, &format!("--RamRoleName={ROLE} -EnableFsFreeze=true -TimeoutInSeconds=30 -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh -Description=nightly run -InstantAccess=true -InstantAccessRetentionDays=3")).await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let (_, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "APPConsistent:True"), "{tags:?}");
    let gid = res["Output"]
        .as_str()
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let g =
        e.c.ok(
            "DescribeSnapshotGroups",
            ECS,
            &[("RegionId", r), ("SnapshotGroupId.1", &gid)],
        )
        .await;
    let group = &g["SnapshotGroups"]["SnapshotGroup"][0];
    assert_eq!(group["Description"], "nightly run");
    assert!(group["Name"].as_str().unwrap().starts_with("Created_At_"));
    assert_eq!(
        group["Snapshots"]["Snapshot"][0]["InstantAccessRetentionDays"],
        3
    );
    // Without fs freeze the scripts are skipped and nothing is tagged.
    let res = e
        .run_plugin(
            r,
            &id,
            &format!("--RamRoleName={ROLE} -EnableFsFreeze=false"),
        )
        .await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let (_, tags) = e.outcome(r, &res).await;
    assert!(tags.iter().all(String::is_empty), "{tags:?}");
    e.assert_thawed().await;
    e.sb.shutdown().await;
}

/// `InstantAccess=false` changes nothing for the ESSD disks the plugin accepts (sandbox-chosen,
/// GUEST_SCRIPTS.md): the snapshots still report instant access, are usable before they
/// are accomplished, and the guest is thawed at that point rather than at 100 %.
#[tokio::test]
async fn plugin_instant_access_false_still_thaws_once_essd_snapshots_are_usable() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let params = format!("--RamRoleName={ROLE} -EnableFsFreeze=true -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh -InstantAccess=false -InstantAccessRetentionDays=2");
    let script = format!("#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"{params}\"\n");
    let invoke =
        e.c.ok(
            "RunCommand",
            ECS,
            &[
                ("RegionId", r),
                ("Type", "RunShellScript"),
                ("CommandContent", &script),
                ("InstanceId.1", &id),
            ],
        )
        .await["InvokeId"]
            .as_str()
            .unwrap()
            .to_string();
    // Step finely until the freeze ends.
    let mut thawed = None;
    for _ in 0..200 {
        step(e.sb.local_addr(), 0.05).await;
        let hist = e.state("freeze-history").await;
        if let Some(h) = hist["history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["instance_id"] == id.as_str() && !h["thawed_at"].is_null())
        {
            thawed = Some(h.clone());
            break;
        }
    }
    let thawed = thawed.expect("the guest was thawed");
    assert_eq!(thawed["thaw_reason"], "completed", "{thawed}");
    let groups = e.state("snapshot-groups").await;
    let group = groups["snapshot_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["instance_id"] == id.as_str())
        .expect("a group for the instance")
        .clone();
    let ids: Vec<&str> = group["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["snapshot_id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty());
    let snaps =
        e.c.ok(
            "DescribeSnapshots",
            ECS,
            &[("RegionId", r), ("SnapshotIds", &json!(ids).to_string())],
        )
        .await;
    let snaps = snaps["Snapshots"]["Snapshot"].as_array().unwrap();
    assert_eq!(snaps.len(), ids.len());
    for s in snaps {
        assert_eq!(
            (
                &s["Status"],
                &s["Available"],
                &s["InstantAccess"],
                &s["InstantAccessRetentionDays"]
            ),
            (&json!("progressing"), &json!(true), &json!(true), &json!(2)),
            "thawed while {s}"
        );
    }
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let (_, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "APPConsistent:True"), "{tags:?}");
    e.assert_thawed().await;
    e.sb.shutdown().await;
}

#[tokio::test]
async fn a_failing_thaw_script_falls_back_to_file_system_consistent() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/guest"),
        Some(json!({"postscript": "fails"})),
    )
    .await;
    assert_eq!(s, 200);
    let res = e
        .run_plugin(
            r,
            &id,
            &format!("--RamRoleName={ROLE} -EnableFsFreeze=true -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh"),
        )
        .await;
    assert_eq!(res["ExitCode"], 0, "{res}");
    let out = res["Output"].as_str().unwrap();
    assert!(
        out.contains("Run postscript /tmp/postscript.sh failed"),
        "{out}"
    );
    assert!(
        out.contains("Take FsConsistent snapshots successfully"),
        "{out}"
    );
    let (_, tags) = e.outcome(r, &res).await;
    assert!(all(&tags, "FsConsistent:True"), "{tags:?}");
    e.assert_thawed().await;
    e.sb.shutdown().await;
}

/// Plugin failures: non-zero exit, explaining output, no frozen guest.
#[tokio::test]
async fn ineligible_linux_instances_fail_with_an_explanation() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let cases: &[(&str, &str, i64, &str)] = &[
        (
            "cn-shanghai",
            "nfs-client-ubuntu2204",
            6,
            "fsfreeze /mnt/share (nfs4) failed",
        ),
        (
            "cn-shanghai",
            "many-disks-centos79",
            5,
            "a snapshot group holds at most 16",
        ),
        (
            "cn-hangzhou",
            "batch-efficiency-disk",
            5,
            "category cloud_efficiency is not supported",
        ),
        ("cn-hangzhou", "legacy-centos74", 9, "Unsupported OS"),
    ];
    for (region, name, code, cause) in cases {
        let id = e.instance(region, name).await;
        e.attach(region, &id).await;
        let invoke = e
            .invoke(region, &id, false, json!({"RamRoleName": ROLE}), None)
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], *code, "{name}: {res}");
        assert_eq!(res["InvocationStatus"], "Failed");
        assert_eq!(res["ErrorCode"], "ExitCodeNonzero");
        assert!(
            res["Output"].as_str().unwrap().contains(cause),
            "{name}: {}",
            res["Output"]
        );
        e.assert_thawed().await;
    }
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"][0]["thaw_reason"], "freeze failed", "{hist}");
    // Excluding the offending disks makes the same instances work.
    type Exclude<'a> = (&'a str, &'a str, (&'a str, &'a str), Option<usize>);
    let excludes: &[Exclude] = &[
        (
            "cn-hangzhou",
            "batch-efficiency-disk",
            ("Category", "cloud_efficiency"),
            None,
        ),
        (
            "cn-shanghai",
            "many-disks-centos79",
            ("DiskType", "data"),
            Some(16),
        ),
    ];
    for (region, name, filter, snapshots) in excludes {
        let id = e.instance(region, name).await;
        let disks =
            e.c.ok(
                "DescribeDisks",
                ECS,
                &[
                    ("RegionId", region),
                    ("InstanceId", &id),
                    *filter,
                    ("MaxResults", "50"),
                ],
            )
            .await;
        let disk = disks["Disks"]["Disk"][0]["DiskId"]
            .as_str()
            .unwrap()
            .to_string();
        let invoke = e
            .invoke(
                region,
                &id,
                false,
                json!({"RamRoleName": ROLE, "ExcludeDiskId": disk}),
                None,
            )
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], 0, "{name}: {res}");
        if let Some(n) = snapshots {
            let (_, tags) = e.outcome(region, &res).await;
            assert_eq!(tags.len(), *n, "{name}");
        }
    }
    e.sb.shutdown().await;
}

#[tokio::test]
async fn ram_role_problems_fail_before_anything_is_frozen() {
    let e = env().await;
    // Role exists but its policy lacks TagResources.
    e.role(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:DescribeDisks"],"Resource":"*"}]}"#).await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    // No role attached yet.
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), None)
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 3, "{res}");
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("no RAM role is attached"));
    e.attach(r, &id).await;
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), None)
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 4, "{res}");
    assert!(res["Output"].as_str().unwrap().contains("ecs:TagResources"));
    // A different role already attached: the attach fails per instance, the plugin exits 3.
    let other = e.instance("cn-shanghai", "other-role-alinux3").await;
    let a = e.attach("cn-shanghai", &other).await;
    assert_eq!(a["FailCount"], 1);
    assert_eq!(
        a["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"][0]["Success"],
        false
    );
    let invoke = e
        .invoke(
            "cn-shanghai",
            &other,
            false,
            json!({"RamRoleName": ROLE}),
            None,
        )
        .await;
    let res = e.wait("cn-shanghai", &invoke).await;
    assert_eq!(res["ExitCode"], 3);
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("OpsMonitoringRole"));
    // Missing required parameter is refused at the API.
    let cmd = e.public_command(r, false).await;
    e.c.err(
        "InvokeCommand",
        ECS,
        &[
            ("RegionId", r),
            ("CommandId", cmd["Name"].as_str().unwrap()),
            ("InstanceId.1", &id),
            ("Parameters", "{}"),
        ],
        "Parameter.NotMatched",
    )
    .await;
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"], json!([]));
    e.sb.shutdown().await;
}

#[tokio::test]
async fn unreachable_agents_and_stopped_instances_abort() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let cases: &[(&str, &str, &str)] = &[
        ("cn-hangzhou", "agent-offline-alinux3", "ClientNotRunning"),
        ("cn-hangzhou", "no-agent-ubuntu2204", "ClientNotRunning"),
        ("cn-shanghai", "stopped-centos79", "InstanceNotRunning"),
    ];
    for (region, name, code) in cases {
        let id = e.instance(region, name).await;
        let st =
            e.c.ok(
                "DescribeCloudAssistantStatus",
                ECS,
                &[("RegionId", region), ("InstanceId.1", &id)],
            )
            .await;
        assert_eq!(
            st["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
                ["CloudAssistantStatus"],
            "false"
        );
        let invoke = e
            .invoke(region, &id, false, json!({"RamRoleName": ROLE}), None)
            .await;
        let res = e.wait(region, &invoke).await;
        assert_eq!(res["InvocationStatus"], "Aborted", "{name}: {res}");
        assert_eq!(res["ErrorCode"], *code);
    }
    // The agent going offline via the control API has the same effect.
    let id = e.instance("cn-hangzhou", "app-centos79-mysql").await;
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/agent"),
        Some(json!({"online": false})),
    )
    .await;
    assert_eq!(s, 200);
    let invoke = e
        .invoke(
            "cn-hangzhou",
            &id,
            false,
            json!({"RamRoleName": ROLE}),
            None,
        )
        .await;
    assert_eq!(
        e.wait("cn-hangzhou", &invoke).await["ErrorCode"],
        "ClientNotRunning"
    );
    // Installing the agent takes effect after a restart.
    let id = e.instance("cn-hangzhou", "no-agent-ubuntu2204").await;
    e.c.ok(
        "InstallCloudAssistant",
        ECS,
        &[("RegionId", "cn-hangzhou"), ("InstanceId.1", &id)],
    )
    .await;
    e.c.ok(
        "RebootInstance",
        ECS,
        &[("RegionId", "cn-hangzhou"), ("InstanceId", &id)],
    )
    .await;
    step(e.sb.local_addr(), 10.0).await;
    let st =
        e.c.ok(
            "DescribeCloudAssistantStatus",
            ECS,
            &[("RegionId", "cn-hangzhou"), ("InstanceId.1", &id)],
        )
        .await;
    assert_eq!(
        st["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
            ["CloudAssistantStatus"],
        "true"
    );
    e.sb.shutdown().await;
}

#[tokio::test]
async fn timeouts_never_leave_a_guest_frozen() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    // The invocation times out (10 s) while the prescript hangs (30 s freeze timeout).
    let id = e.instance(r, "freeze-hangs-ubuntu2204").await;
    e.attach(r, &id).await;
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), Some("10"))
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["InvocationStatus"], "Timeout", "{res}");
    assert_eq!(res["ErrorCode"], "ExecutionTimeout");
    e.assert_thawed().await;
    // Snapshot creation stalls while frozen: the freeze times out and thaws.
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    let (s, _) = control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/guest"),
        Some(json!({"freeze_stall": true})),
    )
    .await;
    assert_eq!(s, 200);
    let invoke = e
        .invoke(
            r,
            &id,
            false,
            json!({"RamRoleName": ROLE, "TimeoutInSeconds": "20"}),
            None,
        )
        .await;
    step(e.sb.local_addr(), 10.0).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"].as_array().unwrap().len(), 1);
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["ExitCode"], 8, "{res}");
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("Timedout to receive Thaw from parent process"));
    e.assert_thawed().await;
    let hist = e.state("freeze-history").await;
    let last = hist["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["thaw_reason"], "freeze timeout");
    e.sb.shutdown().await;
}

#[tokio::test]
async fn stopping_an_instance_mid_freeze_thaws_it_and_interrupts_the_run() {
    let e = env().await;
    e.role(POLICY_DOC).await;
    let r = "ap-southeast-1";
    let id = e.instance(r, "sg-ubuntu2204-web").await;
    e.attach(r, &id).await;
    control(
        e.sb.local_addr(),
        "POST",
        &format!("/_sandbox/instances/{id}/guest"),
        Some(json!({"freeze_stall": true})),
    )
    .await;
    let invoke = e
        .invoke(r, &id, false, json!({"RamRoleName": ROLE}), None)
        .await;
    step(e.sb.local_addr(), 2.0).await;
    let frozen = e.state("frozen").await;
    assert_eq!(frozen["frozen"][0]["instance_id"], id.as_str(), "{frozen}");
    e.c.ok("StopInstance", ECS, &[("RegionId", r), ("InstanceId", &id)])
        .await;
    let res = e.wait(r, &invoke).await;
    assert_eq!(res["InvocationStatus"], "Failed", "{res}");
    assert_eq!(res["ErrorCode"], "ExecutionInterrupted");
    assert_eq!(
        res["ErrorInfo"],
        "the command execution has been interrupted"
    );
    e.assert_thawed().await;
    let hist = e.state("freeze-history").await;
    assert_eq!(hist["history"][0]["thaw_reason"], "instance stopped");
    // Nothing the interrupted run had scheduled happens later.
    step(e.sb.local_addr(), 60.0).await;
    let groups = e.state("snapshot-groups").await;
    assert_eq!(groups["snapshot_groups"], json!([]), "{groups}");
    e.sb.shutdown().await;
}

#[tokio::test]
async fn invocation_statuses_move_with_the_clock() {
    let e = env().await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    let run = |content: &'static str| {
        let c = e.c.clone();
        let id = id.clone();
        async move {
            c.ok(
                "RunCommand",
                ECS,
                &[
                    ("RegionId", r),
                    ("Type", "RunShellScript"),
                    ("CommandContent", content),
                    ("InstanceId.1", &id),
                ],
            )
            .await["InvokeId"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let describe = |invoke: String| {
        let c = e.c.clone();
        async move {
            let b = c
                .ok(
                    "DescribeInvocations",
                    ECS,
                    &[
                        ("RegionId", r),
                        ("InvokeId", &invoke),
                        ("IncludeOutput", "true"),
                    ],
                )
                .await;
            b["Invocations"]["Invocation"][0].clone()
        }
    };
    let statuses = |inv: &Value| {
        (
            inv["InvocationStatus"].as_str().unwrap().to_string(),
            inv["InvokeStatus"].as_str().unwrap().to_string(),
            inv["InvokeInstances"]["InvokeInstance"][0]["InvocationStatus"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    };
    let probe = run("#!/bin/bash\n# appsnap-guest: inventory-probe/1\n").await;
    let inv = describe(probe.clone()).await;
    assert_eq!(
        statuses(&inv),
        ("Pending".into(), "Running".into(), "Pending".into())
    );
    step(e.sb.local_addr(), 0.5).await;
    let inv = describe(probe.clone()).await;
    assert_eq!(
        statuses(&inv),
        ("Running".into(), "Running".into(), "Running".into())
    );
    assert!(inv["InvokeInstances"]["InvokeInstance"][0]["StartTime"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    step(e.sb.local_addr(), 0.5).await;
    let inv = describe(probe).await;
    assert_eq!(
        statuses(&inv),
        ("Success".into(), "Finished".into(), "Success".into())
    );
    let one = &inv["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(
        (one["ExitCode"].as_i64(), one["ErrorCode"].as_str()),
        (Some(0), Some(""))
    );
    let out = base64::engine::general_purpose::STANDARD
        .decode(one["Output"].as_str().unwrap())
        .unwrap();
    assert!(out.starts_with(b"APPSNAP-PROBE/1\n"));
    // A non-zero exit: Failed, with the documented ErrorCode and ErrorInfo.
    let other = run("echo hello").await;
    step(e.sb.local_addr(), 1.0).await;
    let inv = describe(other).await;
    assert_eq!(
        statuses(&inv),
        ("Failed".into(), "Failed".into(), "Failed".into())
    );
    let one = &inv["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(one["ExitCode"], 127);
    assert_eq!(one["ErrorCode"], "ExitCodeNonzero");
    assert_eq!(
        one["ErrorInfo"],
        "the command execution exit code is not zero"
    );
    e.sb.shutdown().await;
}

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

#[tokio::test]
async fn the_guest_runs_only_documented_scripts() {
    let e = env().await;
    let r = "cn-hangzhou";
    let id = e.instance(r, "app-centos79-mysql").await;
    let run = |content: &'static str| {
        let c = e.c.clone();
        let id = id.clone();
        async move {
            c.ok(
                "RunCommand",
                ECS,
                &[
                    ("RegionId", r),
                    ("Type", "RunShellScript"),
                    ("CommandContent", content),
                    ("InstanceId.1", &id),
                ],
            )
            .await["InvokeId"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let res = e.wait(r, &run("rm -rf / --no-preserve-root").await).await;
    assert_eq!(res["ExitCode"], 127);
    assert!(res["Output"]
        .as_str()
        .unwrap()
        .contains("does not run arbitrary scripts"));
    let res = e
        .wait(
            r,
            &run("#!/bin/bash\n# appsnap-guest: script-test/1\nPRESCRIPT=/tmp/prescript.sh\n")
                .await,
        )
        .await;
    assert_eq!(res["ExitCode"], 1);
    assert!(
        res["Output"]
            .as_str()
            .unwrap()
            .contains("prescript=/tmp/prescript.sh|exit=127"),
        "{res}"
    );
    // Output is Base64 unless PlainText is asked for.
    let b =
        e.c.ok(
            "DescribeInvocationResults",
            ECS,
            &[
                ("RegionId", r),
                ("InvokeId", res["InvokeId"].as_str().unwrap()),
            ],
        )
        .await;
    let b64 = b["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"]
        .as_str()
        .unwrap();
    let plain = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap();
    assert!(plain.starts_with("APPSNAP-SCRIPT-TEST/1"));
    e.sb.shutdown().await;
}
