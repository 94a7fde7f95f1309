//! The `demo` scenario: the Sandbox profile's default world. Four regions, 21 instances,
//! each eligible one a different OS and each ineligible one with exactly one reason.
//! The table is also documented in README.md; the instance *names* are stable (ids are
//! seeded), so tests and the UI find cases by name.

use super::{
    add_demo_account, add_instance, AgentKind, InstanceSpec, OsKind, ScriptsKind, DEMO_ACCOUNT_ID,
};
use crate::clock::SimTime;
use crate::world::model::guest::{GuestBehaviour, Mount, ScriptBehaviour};
use crate::world::model::status::InstanceStatus;
use crate::world::ram::{Policy, Role};
use crate::world::World;

/// An instance role that is not the app-consistent one, already attached to one instance.
pub const OTHER_ROLE: &str = "OpsMonitoringRole";

pub fn load(world: &mut World, extra_admin_keys: &[(String, String)], now: SimTime) {
    add_demo_account(world, extra_admin_keys);
    add_other_role(world, now);
    let a = DEMO_ACCOUNT_ID;
    let mut n = 0;
    let mut add = |world: &mut World, spec: InstanceSpec| {
        n += 1;
        add_instance(world, a, spec, now, n);
    };
    use OsKind::*;
    let s = InstanceSpec::new;

    // cn-hangzhou: eligible Linux and Windows, and the OS/disk/agent ineligible ones.
    add(world, s("app-centos79-mysql", "cn-hangzhou", CentOs79));
    add(
        world,
        InstanceSpec {
            disks: vec![("cloud_essd", 40), ("cloud_essd", 200), ("cloud_essd", 200)],
            ..s("app-ubuntu2204-postgres", "cn-hangzhou", Ubuntu2204)
        },
    );
    add(
        world,
        InstanceSpec {
            disks: vec![("cloud_auto", 40), ("cloud_auto", 100)],
            ..s("app-alinux3-redis", "cn-hangzhou", Alinux3)
        },
    );
    add(world, s("win2019-sqlserver", "cn-hangzhou", Win2019));
    add(world, s("win2022-fileserver", "cn-hangzhou", Win2022));
    add(world, s("legacy-centos74", "cn-hangzhou", CentOs74));
    add(world, s("legacy-win2008", "cn-hangzhou", Win2008));
    add(
        world,
        InstanceSpec {
            disks: vec![("cloud_essd", 40), ("cloud_efficiency", 500)],
            ..s("batch-efficiency-disk", "cn-hangzhou", CentOs79)
        },
    );
    add(
        world,
        InstanceSpec {
            agent: AgentKind::Missing,
            ..s("no-agent-ubuntu2204", "cn-hangzhou", Ubuntu2204)
        },
    );
    add(
        world,
        InstanceSpec {
            agent: AgentKind::Offline,
            ..s("agent-offline-alinux3", "cn-hangzhou", Alinux3)
        },
    );

    // cn-shanghai: state, network file system, disk count, role conflict, VSS failure.
    add(
        world,
        InstanceSpec {
            status: InstanceStatus::Stopped,
            ..s("stopped-centos79", "cn-shanghai", CentOs79)
        },
    );
    add(
        world,
        InstanceSpec {
            extra_mounts: vec![Mount {
                mount_point: "/mnt/share".into(),
                fs_type: "nfs4".into(),
                device: "172.16.0.20:/export/share".into(),
            }],
            ..s("nfs-client-ubuntu2204", "cn-shanghai", Ubuntu2204)
        },
    );
    add(
        world,
        InstanceSpec {
            disks: std::iter::once(("cloud_essd", 40))
                .chain(std::iter::repeat_n(("cloud_essd", 20), 16))
                .collect(),
            ..s("many-disks-centos79", "cn-shanghai", CentOs79)
        },
    );
    add(
        world,
        InstanceSpec {
            role: Some(OTHER_ROLE),
            ..s("other-role-alinux3", "cn-shanghai", Alinux3)
        },
    );
    add(
        world,
        InstanceSpec {
            behaviour: GuestBehaviour {
                vss_writer_fails: Some("SqlServerWriter".into()),
                ..Default::default()
            },
            ..s("win2019-sql-vss-broken", "cn-shanghai", Win2019)
        },
    );

    // ap-southeast-1: the user's scripts misbehave.
    add(
        world,
        InstanceSpec {
            scripts: ScriptsKind::Good,
            behaviour: GuestBehaviour {
                prescript: ScriptBehaviour::Fails,
                ..Default::default()
            },
            ..s("freeze-fails-centos79", "ap-southeast-1", CentOs79)
        },
    );
    add(
        world,
        InstanceSpec {
            scripts: ScriptsKind::Good,
            behaviour: GuestBehaviour {
                prescript: ScriptBehaviour::Hangs,
                ..Default::default()
            },
            ..s("freeze-hangs-ubuntu2204", "ap-southeast-1", Ubuntu2204)
        },
    );
    add(
        world,
        InstanceSpec {
            scripts: ScriptsKind::Crlf,
            ..s("crlf-scripts-alinux3", "ap-southeast-1", Alinux3)
        },
    );
    add(
        world,
        InstanceSpec {
            scripts: ScriptsKind::Good,
            ..s("sg-ubuntu2204-web", "ap-southeast-1", Ubuntu2204)
        },
    );
    add(world, s("sg-win2022-iis", "ap-southeast-1", Win2022));

    // cn-beijing: one more eligible Linux instance.
    add(world, s("bj-centos79-api", "cn-beijing", CentOs79));
}

fn add_other_role(world: &mut World, now: SimTime) {
    let account = world
        .accounts
        .get_mut(DEMO_ACCOUNT_ID)
        .expect("demo account");
    let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["cms:*","ecs:DescribeInstances"],"Resource":"*"}]}"#;
    account.ram.policies.insert(
        "opsmonitoringpolicy".into(),
        Policy {
            name: "OpsMonitoringPolicy".into(),
            policy_type: "Custom".into(),
            description: "monitoring agent".into(),
            document: doc.into(),
            created: now - 86_400_000,
            updated: now - 86_400_000,
        },
    );
    account.ram.roles.insert(
        OTHER_ROLE.to_ascii_lowercase(),
        Role {
            id: "300000000000000001".into(),
            name: OTHER_ROLE.into(),
            arn: format!("acs:ram::{DEMO_ACCOUNT_ID}:role/{}", OTHER_ROLE.to_ascii_lowercase()),
            description: "CloudMonitor agent role".into(),
            trust_policy: r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#.into(),
            created: now - 86_400_000,
            updated: now - 86_400_000,
            max_session_duration: 3600,
            policies: vec![("Custom".into(), "OpsMonitoringPolicy".into(), now - 86_400_000)],
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::WorldConfig;

    /// The typed views write their keys in the order a `Value` map does, so the bytes on
    /// the wire did not change when the answers stopped going through `Value`.
    #[test]
    fn the_typed_views_write_keys_as_a_value_would() {
        let mut world = World::new(1, WorldConfig::default());
        load(&mut world, &[], SimTime::default());
        let same = |text: String| {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, serde_json::to_string(&value).unwrap());
        };
        let (mut instances, mut disks) = (0, 0);
        for region in world.accounts.values().flat_map(|a| a.regions.values()) {
            for i in region.instances.values() {
                same(serde_json::to_string(&i.view()).unwrap());
                instances += 1;
            }
            for d in region.disks().values() {
                same(serde_json::to_string(&d.view()).unwrap());
                disks += 1;
            }
        }
        assert_eq!(instances, 21);
        assert!(disks > instances, "{disks} disks");
    }

    /// The agent's typed view answers what the `json!` it replaced did, byte for byte.
    #[test]
    fn the_agent_view_writes_what_the_value_did() {
        use crate::clock::iso;
        let mut world = World::new(1, WorldConfig::default());
        load(&mut world, &[], SimTime::default());
        let mut kinds = std::collections::BTreeSet::new();
        for region in world
            .accounts
            .values_mut()
            .flat_map(|a| a.regions.values_mut())
        {
            let ids: Vec<String> = region.instances.keys().cloned().collect();
            for (n, id) in ids.iter().enumerate() {
                let i = region.instance_mut(id).unwrap();
                if n % 2 == 0 {
                    i.agent.last_invoked = Some(1_700_000_000_000 + n as i64);
                    i.agent.invocation_count = n as u64;
                }
                let i = &*i;
                let running = i.assistant_running();
                let before = serde_json::json!({
                    "InstanceId": i.id,
                    "CloudAssistantStatus": if running { "true" } else { "false" },
                    "CloudAssistantVersion": if i.agent.installed { i.agent.version.as_str() } else { "" },
                    "OSType": i.os.os_type.title(),
                    "LastHeartbeatTime": if running { iso(i.creation_time) } else { String::new() },
                    "LastInvokedTime": i.agent.last_invoked.map(iso).unwrap_or_default(),
                    "InvocationCount": i.agent.invocation_count,
                    "ActiveTaskCount": 0,
                    "SupportSessionManager": i.agent.installed,
                });
                let text = serde_json::to_string(&i.agent_status_view()).unwrap();
                assert_eq!(text, serde_json::to_string(&before).unwrap());
                kinds.insert((running, i.agent.installed, i.agent.last_invoked.is_some()));
            }
        }
        // Online, offline and missing agents, invoked or not, were all compared.
        assert!(kinds.len() >= 4, "{kinds:?}");
    }
}
