//! The app-consistent snapshot flow as the tests drive it: an admin client on a paused
//! sandbox, the RAM role the flow needs, the guest scripts, both trigger paths (the
//! discovered public command, the plugin via RunCommand) and the outcome they leave.

use base64::Engine as _;
use serde_json::{json, Value};

use super::{control, step, Client, ADMIN, ECS, RAM};

pub const ROLE: &str = "AppSnapshotRoleName";
pub const POLICY_DOC: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;
pub const TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;

pub struct Env {
    pub sb: sandbox_cloud::RunningSandbox,
    pub c: Client,
}

pub async fn env() -> Env {
    let sb = super::sandbox().await;
    let c = Client::new(&sb, ADMIN);
    Env { sb, c }
}

impl Env {
    pub async fn instance(&self, region: &str, name: &str) -> String {
        self.c.instance_id(region, name).await
    }

    pub async fn role(&self, doc: &str) {
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

    pub async fn attach(&self, region: &str, id: &str) -> Value {
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

    pub async fn send(
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

    pub async fn scripts(&self, region: &str, id: &str, mode: &str, owner: &str) {
        for n in ["prescript.sh", "postscript.sh"] {
            let r = self
                .send(region, id, n, "#!/bin/bash\nsync\nexit 0\n", mode, owner)
                .await;
            assert_eq!(r["InvocationStatus"], "Success", "{r}");
        }
    }

    /// The public command for this OS, found by discovery, not by a hard-coded name.
    pub async fn public_command(&self, region: &str, windows: bool) -> Value {
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
    pub async fn wait(&self, region: &str, invoke: &str) -> Value {
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

    pub async fn invoke(
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

    pub async fn run_plugin(&self, region: &str, id: &str, params: &str) -> Value {
        let script = format!("#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"{params}\"\n");
        let invoke = self.run_shell(region, id, &script, Some("600")).await;
        self.wait(region, &invoke).await
    }

    /// `RunCommand` of a shell script on one instance; returns the InvokeId.
    pub async fn run_shell(
        &self,
        region: &str,
        id: &str,
        script: &str,
        timeout: Option<&str>,
    ) -> String {
        let mut q = vec![
            ("RegionId", region),
            ("Type", "RunShellScript"),
            ("CommandContent", script),
            ("InstanceId.1", id),
        ];
        if let Some(t) = timeout {
            q.push(("Timeout", t));
        }
        self.c.ok("RunCommand", ECS, &q).await["InvokeId"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Consistency tags of every snapshot in the group whose id ends the output.
    pub async fn outcome(&self, region: &str, result: &Value) -> (String, Vec<String>) {
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
    pub async fn state(&self, what: &str) -> Value {
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

    pub async fn assert_thawed(&self) {
        let f = self.state("frozen").await;
        assert_eq!(f["frozen"], json!([]), "a guest was left frozen");
    }

    pub async fn probe(&self, region: &str, id: &str) -> String {
        let script = "#!/bin/bash\n# appsnap-guest: inventory-probe/1\ncat /etc/os-release\n";
        let invoke = self.run_shell(region, id, script, None).await;
        let res = self.wait(region, &invoke).await;
        assert_eq!(res["ExitCode"], 0);
        res["Output"].as_str().unwrap().to_string()
    }
}

pub fn all(tags: &[String], want: &str) -> bool {
    !tags.is_empty() && tags.iter().all(|t| t == want)
}
