//! Every typed action and the main error paths against the sandbox cloud over real HTTP
//! (crates/sandbox-cloud: an independent server-side implementation with its own signer).
//! Every client decodes strictly: a reply field renamed on either side fails here.

use std::time::Duration;

use acs_openapi::actions::cloud_assistant::{
    DescribeCommandsRequest, DescribeInvocationResultsRequest, DescribeInvocationsRequest,
    DescribeSendFileResultsRequest, InvokeCommandRequest, RunCommandRequest, SendFileRequest,
};
use acs_openapi::actions::ecs_instances::{
    DescribeDisksRequest, DescribeInstancesRequest, Instance,
};
use acs_openapi::actions::ram::CreateRoleRequest;
use acs_openapi::actions::snapshots::{
    CreateSnapshotGroupRequest, DescribeSnapshotGroupsRequest, DescribeSnapshotsRequest,
};
use acs_openapi::actions::tags::ListTagResourcesRequest;
use acs_openapi::{
    AcsError, Client, ClientBuilder, Credentials, ErrorKind, Jitter, RetryPolicy, SignatureVersion,
};
use base64::Engine as _;
use futures::{StreamExt, TryStreamExt};
use sandbox_cloud::RunningSandbox;
use serde_json::{json, Value};
use test_support::sandbox::demo_account;

const HZ: &str = "cn-hangzhou";
const ECS_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}"#;

struct Sandbox {
    running: RunningSandbox,
    http: reqwest::Client,
}

impl Sandbox {
    /// A fresh sandbox with its clock paused (tests step it).
    async fn start() -> Self {
        Self {
            running: test_support::sandbox::paused().await,
            http: reqwest::Client::new(),
        }
    }

    fn endpoint(&self) -> &str {
        self.running.endpoint()
    }

    fn builder(&self, power: &str) -> ClientBuilder {
        let account = demo_account(power);
        Client::builder()
            .strict_decoding(true)
            .endpoint(self.endpoint())
            .region(HZ)
            .static_credentials(Credentials::access_key(
                account.access_key_id,
                account.access_key_secret,
            ))
            .retry(RetryPolicy {
                jitter: Jitter::from_fn(|_| Duration::from_millis(5)),
                // The sandbox asks for TimeLeft:1000 when it throttles; keep tests quick.
                max_retry_after: Duration::from_millis(20),
                ..RetryPolicy::default()
            })
    }

    fn admin(&self) -> Client {
        self.builder("admin").build().unwrap()
    }

    async fn control(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/_sandbox/{path}", self.endpoint());
        let r = self
            .http
            .request(method, url)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "control {path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn step(&self, seconds: f64) {
        self.control(
            reqwest::Method::POST,
            "clock/step",
            json!({ "seconds": seconds }),
        )
        .await;
    }

    async fn fault(&self, fault: Value) {
        self.control(reqwest::Method::POST, "faults", fault).await;
    }

    async fn calls(&self, action: &str) -> u64 {
        let v = self
            .control(reqwest::Method::GET, "state/calls", Value::Null)
            .await;
        v["calls"][action].as_u64().unwrap_or(0)
    }
}

/// The sandbox's RequestId format: 8-4-4-4-12 uppercase hex, as the cloud's.
fn assert_request_id(id: &str) {
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(
        id.chars().all(|c| c == '-'
            || c.is_ascii_digit()
            || c.is_ascii_uppercase() && c.is_ascii_hexdigit()),
        "{id}"
    );
}

async fn instance(client: &Client, region: &str, name: &str) -> Instance {
    client
        .describe_instances_stream(region, DescribeInstancesRequest::default())
        .try_filter(|i| futures::future::ready(i.instance_name == name))
        .try_next()
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("instance {name}"))
}

#[tokio::test]
async fn sts_identity_and_regions_with_both_signatures() {
    let sb = Sandbox::start().await;
    for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
        let client = sb.builder("admin").signature(sig).build().unwrap();
        let me = client.get_caller_identity().await.unwrap();
        assert_eq!(me.account_id, sandbox_cloud::DEMO_ACCOUNT_ID, "{sig:?}");
        assert_request_id(&me.request_id);
        let regions = client.describe_regions(HZ).await.unwrap().regions.region;
        assert!(regions.iter().any(|r| r.region_id == HZ), "{regions:?}");
    }
}

#[tokio::test]
async fn instances_disks_and_agent_status_stream_across_pages() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let all: Vec<Instance> = client
        .describe_instances_stream(
            HZ,
            DescribeInstancesRequest {
                max_results: Some(3),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(all.len() > 3, "paging must have fetched several pages");
    let mut ids: Vec<&str> = all.iter().map(|i| i.instance_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no duplicates across pages");
    assert!(sb.calls("DescribeInstances").await >= 2);

    let mysql = all
        .iter()
        .find(|i| i.instance_name == "app-centos79-mysql")
        .unwrap();
    assert_eq!(mysql.os_type, "linux");
    let by_id = client
        .describe_instances(
            HZ,
            &DescribeInstancesRequest {
                instance_ids: vec![mysql.instance_id.clone()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_id.instances.instance.len(), 1);

    let disks: Vec<_> = client
        .describe_disks_stream(
            HZ,
            DescribeDisksRequest {
                instance_id: Some(mysql.instance_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(disks.iter().any(|d| d.disk_type == "system"), "{disks:?}");

    let no_agent = all
        .iter()
        .find(|i| i.instance_name == "no-agent-ubuntu2204")
        .unwrap();
    let status: Vec<_> = client
        .describe_cloud_assistant_status_stream(
            HZ,
            vec![mysql.instance_id.clone(), no_agent.instance_id.clone()],
        )
        .try_collect()
        .await
        .unwrap();
    let of = |id: &str| {
        status
            .iter()
            .find(|s| s.instance_id == id)
            .unwrap()
            .cloud_assistant_status
    };
    assert!(of(&mysql.instance_id));
    assert!(!of(&no_agent.instance_id));
    client
        .install_cloud_assistant(HZ, std::slice::from_ref(&no_agent.instance_id))
        .await
        .unwrap();
}

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

#[tokio::test]
async fn commands_invocations_and_file_sends() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let public: Vec<_> = client
        .describe_commands_stream(
            HZ,
            DescribeCommandsRequest {
                provider: Some("AlibabaCloud".into()),
                max_results: Some(2),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    // The sandbox's four public commands, over two pages of two.
    let mut ids: Vec<&str> = public.iter().map(|c| c.command_id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "c-pub0appconsistlnx",
            "c-pub0appconsistwin",
            "c-pub0imagerepairlx",
            "c-pub0resetpwdlinux"
        ]
    );
    assert!(
        public.iter().all(|c| c.provider == "AlibabaCloud"),
        "{public:?}"
    );

    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let ids = vec![mysql.instance_id.clone()];
    let run = client
        .run_command(
            HZ,
            &RunCommandRequest {
                command_type: "RunShellScript".into(),
                command_content: "echo hello".into(),
                instance_ids: ids.clone(),
                keep_command: Some(true),
                name: Some("appsnap-test".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        run.invoke_id.starts_with("t-") && run.command_id.starts_with("c-"),
        "{run:?}"
    );
    sb.step(120.0).await;
    let invs: Vec<_> = client
        .describe_invocations_stream(
            HZ,
            DescribeInvocationsRequest {
                invoke_id: Some(run.invoke_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(invs[0].invoke_id, run.invoke_id);
    // The simulated guest runs only its documented scripts (GUEST_SCRIPTS.md): `echo`
    // finishes with 127, so the invocation fails with ExitCodeNonzero.
    let on_mysql = &invs[0].invoke_instances.invoke_instance[0];
    assert_eq!(invs[0].invocation_status, "Failed", "{:?}", invs[0]);
    assert_eq!(
        (on_mysql.instance_id.as_str(), on_mysql.exit_code),
        (mysql.instance_id.as_str(), Some(127))
    );
    assert_eq!(on_mysql.error_code, "ExitCodeNonzero");
    let results: Vec<_> = client
        .describe_invocation_results_stream(
            HZ,
            DescribeInvocationResultsRequest {
                invoke_id: Some(run.invoke_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(results[0].instance_id, mysql.instance_id);
    assert_eq!(results[0].invocation_status, "Failed", "{:?}", results[0]);
    assert_eq!(results[0].exit_code, Some(127));
    // Base64 by default (alibaba-api.md §3.11).
    let output = base64::engine::general_purpose::STANDARD
        .decode(&results[0].output)
        .expect("Base64 output");
    let output = String::from_utf8(output).unwrap();
    assert!(
        output.starts_with("sandbox-cloud: this simulated guest does not run arbitrary scripts."),
        "{output}"
    );

    let own: Vec<_> = client
        .describe_commands_stream(HZ, DescribeCommandsRequest::default())
        .try_collect()
        .await
        .unwrap();
    assert!(own.iter().any(|c| c.command_id == run.command_id));
    let invoked = client
        .invoke_command(
            HZ,
            &InvokeCommandRequest {
                command_id: run.command_id.clone(),
                instance_ids: ids.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(invoked.invoke_id.starts_with("t-"));

    let sent = client
        .send_file(
            HZ,
            &SendFileRequest {
                instance_ids: ids.clone(),
                name: "prescript.sh".into(),
                target_dir: "/tmp".into(),
                content: "#!/bin/sh\nexit 0\n".into(),
                file_mode: Some("0700".into()),
                overwrite: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(sent.invoke_id.starts_with("f-"), "{sent:?}");
    sb.step(60.0).await;
    let sends: Vec<_> = client
        .describe_send_file_results_stream(
            HZ,
            DescribeSendFileResultsRequest {
                invoke_id: Some(sent.invoke_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sends[0].file_mode, "0700");
}

#[tokio::test]
async fn snapshot_groups_tags_and_rollback() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let group = client
        .create_snapshot_group(
            HZ,
            &CreateSnapshotGroupRequest {
                instance_id: Some(mysql.instance_id.clone()),
                name: Some("appsnap-test".into()),
                tags: vec![("team".into(), "db".into())],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(group.snapshot_group_id.starts_with("ssg-"));
    sb.step(3600.0).await;
    let groups: Vec<_> = client
        .describe_snapshot_groups_stream(
            HZ,
            DescribeSnapshotGroupsRequest {
                snapshot_group_ids: vec![group.snapshot_group_id.clone()],
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    let g = &groups[0];
    assert_eq!(g.status, "accomplished", "{g:?}");
    assert!(
        g.tags
            .tag
            .iter()
            .any(|t| t.key == "team" && t.value == "db"),
        "{g:?}"
    );
    let snapshot_ids: Vec<String> = g
        .snapshots
        .snapshot
        .iter()
        .map(|s| s.snapshot_id.clone())
        .collect();
    let snaps: Vec<_> = client
        .describe_snapshots_stream(
            HZ,
            DescribeSnapshotsRequest {
                snapshot_ids: snapshot_ids.clone(),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(snaps.len(), snapshot_ids.len());

    client
        .tag_resources(
            HZ,
            "snapshot",
            &snapshot_ids[..1],
            &[("checked".into(), "yes".into())],
        )
        .await
        .unwrap();
    let tags: Vec<_> = client
        .list_tag_resources_stream(
            HZ,
            ListTagResourcesRequest {
                resource_type: "snapshot".into(),
                resource_ids: snapshot_ids[..1].to_vec(),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert!(
        tags.iter()
            .any(|t| t.tag_key == "checked" && t.tag_value == "yes"),
        "{tags:?}"
    );

    // Rollback needs a stopped instance.
    let pairs: Vec<(String, String)> = g
        .snapshots
        .snapshot
        .iter()
        .map(|s| (s.source_disk_id.clone(), s.snapshot_id.clone()))
        .collect();
    let running = client.reset_disks(HZ, &pairs, false).await.unwrap_err();
    assert_eq!(running.code(), Some("IncorrectInstanceStatus"));
    client
        .stop_instance(HZ, &mysql.instance_id, false)
        .await
        .unwrap();
    sb.step(120.0).await;
    let r = client.reset_disks(HZ, &pairs, false).await.unwrap();
    let statuses: Vec<&str> = r
        .operation_progress_set
        .operation_progress
        .iter()
        .map(|p| p.operation_status.as_str())
        .collect();
    assert_eq!(statuses, vec!["Success"; pairs.len()], "{r:?}");
    client
        .reset_disk(HZ, &pairs[0].0, &pairs[0].1)
        .await
        .unwrap();
    client.start_instance(HZ, &mysql.instance_id).await.unwrap();
    let del = client
        .delete_snapshot_group(HZ, &group.snapshot_group_id)
        .await
        .unwrap();
    let deleted: Vec<(&str, &str)> = del
        .operation_progress_set
        .operation_progress
        .iter()
        .map(|p| (p.operation_status.as_str(), p.error_code.as_str()))
        .collect();
    assert_eq!(deleted, vec![("Success", ""); pairs.len()], "{del:?}");
}

#[tokio::test]
async fn bad_key_and_bad_signature_are_auth_failures() {
    let sb = Sandbox::start().await;
    let unknown = Client::builder()
        .strict_decoding(true)
        .endpoint(sb.endpoint())
        .static_credentials(Credentials::access_key("LTAI-no-such-key", "x"))
        .build()
        .unwrap();
    let e = unknown.get_caller_identity().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidAccessKeyId.NotFound"), "{e}");
    assert_eq!(e.kind(), ErrorKind::AuthFailed);
    assert_request_id(e.request_id().unwrap());

    let admin = &demo_account("admin");
    for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
        let wrong_secret = Client::builder()
            .strict_decoding(true)
            .endpoint(sb.endpoint())
            .signature(sig)
            .static_credentials(Credentials::access_key(admin.access_key_id, "wrong-secret"))
            .build()
            .unwrap();
        let e = wrong_secret.describe_regions(HZ).await.unwrap_err();
        assert_eq!(e.code(), Some("SignatureDoesNotMatch"), "{sig:?}: {e}");
        assert_eq!(e.kind(), ErrorKind::AuthFailed);
    }
}

#[tokio::test]
async fn read_only_keys_get_permission_denied_for_writes() {
    let sb = Sandbox::start().await;
    let ro = sb.builder("read-only").build().unwrap();
    let mysql = instance(&ro, HZ, "app-centos79-mysql").await;
    let e = ro
        .stop_instance(HZ, &mysql.instance_id, false)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
}

#[tokio::test]
async fn throttling_and_5xx_are_retried_for_reads_only() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    sb.fault(json!({"action": "DescribeRegions", "throttle_next": 2}))
        .await;
    client.describe_regions(HZ).await.unwrap();
    assert_eq!(sb.calls("DescribeRegions").await, 3);

    sb.fault(json!({"action": "DescribeDisks", "error_next": 1, "error_status": 500}))
        .await;
    client
        .describe_disks(HZ, &DescribeDisksRequest::default())
        .await
        .unwrap();
    assert_eq!(sb.calls("DescribeDisks").await, 2);

    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    sb.fault(json!({"action": "StopInstance", "error_next": 1, "error_status": 503}))
        .await;
    let e = client
        .stop_instance(HZ, &mysql.instance_id, false)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ServiceUnavailable"));
    assert_eq!(
        sb.calls("StopInstance").await,
        1,
        "a write without ClientToken is not retried"
    );
}

#[tokio::test]
async fn a_throttled_error_carries_the_sandbox_time_left() {
    let sb = Sandbox::start().await;
    sb.fault(json!({"action": "DescribeRegions", "throttle_next": 10}))
        .await;
    let e = sb.admin().describe_regions(HZ).await.unwrap_err();
    assert_eq!(sb.calls("DescribeRegions").await, 4);
    assert_eq!(e.kind(), ErrorKind::Throttled, "{e}");
    assert_eq!(
        e.service().unwrap().retry_after,
        Some(Duration::from_millis(1000))
    );
}

#[tokio::test]
async fn slow_replies_time_out() {
    let sb = Sandbox::start().await;
    sb.fault(json!({"action": "DescribeRegions", "latency_ms": 1500}))
        .await;
    let client = sb
        .builder("admin")
        .read_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let e = client.describe_regions(HZ).await.unwrap_err();
    assert!(matches!(e, AcsError::TimedOut { .. }), "{e}");
    assert_eq!(e.kind(), ErrorKind::Network);
}

#[tokio::test]
async fn client_token_retry_after_a_lost_reply_creates_one_group() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let before = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await["snapshot_groups"]
        .as_array()
        .map_or(0, Vec::len);
    sb.fault(json!({"action": "CreateSnapshotGroup", "drop_after_apply_next": 1}))
        .await;
    let group = client
        .create_snapshot_group(
            HZ,
            &CreateSnapshotGroupRequest {
                instance_id: Some(mysql.instance_id.clone()),
                name: Some("idempotent".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        sb.calls("CreateSnapshotGroup").await,
        2,
        "applied, dropped, retried"
    );
    let after = sb
        .control(reqwest::Method::GET, "state/snapshot-groups", Value::Null)
        .await["snapshot_groups"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        after.len(),
        before + 1,
        "the retry must not create a second group"
    );
    assert!(after
        .iter()
        .any(|g| g["snapshot_group_id"] == group.snapshot_group_id.as_str()));
}

#[tokio::test]
async fn assume_role_directly_and_through_the_ram_role_arn_provider() {
    use acs_openapi::actions::sts::AssumeRoleRequest;
    use acs_openapi::credentials::{AssumeRoleParams, ProvideCredentials, RamRoleArnProvider};
    use acs_openapi::{Clock, StsAssumeRole};
    use std::sync::Arc;

    let sb = Sandbox::start().await;
    let admin = sb.admin();
    let account = sandbox_cloud::DEMO_ACCOUNT_ID;
    let trust = format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}],"Version":"1"}}"#
    );
    let role = admin
        .create_role(&CreateRoleRequest {
            role_name: "AppSnapOperator".into(),
            assume_role_policy_document: trust,
            ..Default::default()
        })
        .await
        .unwrap()
        .role;
    let assumed = admin
        .assume_role(&AssumeRoleRequest {
            role_arn: role.arn.clone(),
            role_session_name: "appsnap-test".into(),
            duration_seconds: Some(900),
            ..Default::default()
        })
        .await
        .unwrap();
    // 900 s from the sandbox's (paused) clock.
    let sim_now = sb.control(reqwest::Method::GET, "clock", Value::Null).await["now_ms"]
        .as_i64()
        .unwrap();
    let expires = assumed.credentials.expiration.expect("Expiration");
    assert_eq!(expires.timestamp(), sim_now / 1000 + 900, "{expires}");
    let creds = assumed.into_credentials();
    assert!(creds.access_key_id.starts_with("STS."), "{creds:?}");
    assert_eq!(creds.provider, "ram-role-arn");
    for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
        let as_role = Client::builder()
            .strict_decoding(true)
            .endpoint(sb.endpoint())
            .signature(sig)
            .static_credentials(creds.clone())
            .build()
            .unwrap();
        let me = as_role.get_caller_identity().await.unwrap();
        assert!(
            me.arn.to_lowercase().contains("appsnapoperator"),
            "{sig:?}: {me:?}"
        );
    }

    // The provider the aliyun CLI `RamRoleArn` mode uses, over the real STS call.
    let source = sb.builder("admin");
    let admin_keys = &demo_account("admin");
    let provider = Arc::new(RamRoleArnProvider::new(
        Credentials::access_key(admin_keys.access_key_id, admin_keys.access_key_secret),
        AssumeRoleParams {
            role_arn: role.arn,
            role_session_name: "chain".into(),
            duration_seconds: None,
            policy: None,
            external_id: None,
            sts_region: None,
        },
        Arc::new(StsAssumeRole::new(source.clone())),
        Clock::system(),
    ));
    let first = provider.provide().await.unwrap();
    assert_eq!(
        provider.provide().await.unwrap().access_key_id,
        first.access_key_id
    );
    assert_eq!(
        sb.calls("AssumeRole").await,
        2,
        "one direct call, one cached provider call"
    );
    let client = source.credentials(provider).build().unwrap();
    let me = client.get_caller_identity().await.unwrap();
    assert!(
        me.arn.to_lowercase().contains("appsnapoperator/chain"),
        "{me:?}"
    );
    // The role has no policy attached yet, so ECS refuses it.
    let e = client.describe_regions(HZ).await.unwrap_err();
    assert_eq!(e.code(), Some("Forbidden.RAM"));
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn ram_role_arn_credentials_are_refreshed_before_they_expire() {
    use acs_openapi::credentials::{AssumeRoleParams, ProvideCredentials, RamRoleArnProvider};
    use acs_openapi::{Clock, StsAssumeRole};
    use std::sync::Arc;

    let sb = Sandbox::start().await;
    let account = sandbox_cloud::DEMO_ACCOUNT_ID;
    let role = sb
        .admin()
        .create_role(&CreateRoleRequest {
            role_name: "AppSnapRefresh".into(),
            assume_role_policy_document: format!(
                r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}],"Version":"1"}}"#
            ),
            ..Default::default()
        })
        .await
        .unwrap()
        .role;

    // The provider judges expiry on its own clock; keep it on the sandbox's (paused) one.
    let sim_now = sb.control(reqwest::Method::GET, "clock", Value::Null).await["now_ms"]
        .as_i64()
        .unwrap();
    let (clock, hand) = Clock::manual(chrono::DateTime::from_timestamp_millis(sim_now).unwrap());
    // Both clocks move together: the sandbox's decides when keys die on the cloud.
    let minutes = |n: i64| {
        hand.advance(chrono::Duration::minutes(n));
        sb.step(n as f64 * 60.0)
    };
    let admin_keys = &demo_account("admin");
    let provider = Arc::new(RamRoleArnProvider::new(
        Credentials::access_key(admin_keys.access_key_id, admin_keys.access_key_secret),
        AssumeRoleParams {
            role_arn: role.arn,
            role_session_name: "refresh".into(),
            duration_seconds: Some(900),
            policy: None,
            external_id: None,
            sts_region: None,
        },
        Arc::new(StsAssumeRole::new(sb.builder("admin"))),
        clock,
    ));
    let client = sb
        .builder("admin")
        .credentials(provider.clone())
        .build()
        .unwrap();

    let first = provider.provide().await.unwrap();
    client.get_caller_identity().await.unwrap();
    assert_eq!(sb.calls("AssumeRole").await, 1);

    // 9 of 15 minutes gone: still more than the refresh margin left, so reused.
    minutes(9).await;
    client.get_caller_identity().await.unwrap();
    assert_eq!(sb.calls("AssumeRole").await, 1, "fresh keys are cached");

    // 11 minutes: under 5 minutes left, so the next call refreshes first.
    minutes(2).await;
    client.get_caller_identity().await.unwrap();
    assert_eq!(sb.calls("AssumeRole").await, 2, "refreshed before expiry");
    let second = provider.provide().await.unwrap();
    assert_ne!(second.access_key_id, first.access_key_id);

    // 16 minutes: the first keys are dead on the cloud, the refreshed ones still work.
    minutes(5).await;
    let stale = Client::builder()
        .strict_decoding(true)
        .endpoint(sb.endpoint())
        .static_credentials(first)
        .build()
        .unwrap();
    let e = stale.get_caller_identity().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidSecurityToken.Expired"), "{e}");
    let me = client.get_caller_identity().await.unwrap();
    assert!(
        me.arn.to_lowercase().contains("appsnaprefresh/refresh"),
        "{me:?}"
    );
    assert_eq!(sb.calls("AssumeRole").await, 2);
}
