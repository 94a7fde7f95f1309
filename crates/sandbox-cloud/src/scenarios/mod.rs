//! Built-in scenarios and the builders they share: the demo accounts and their keys, and
//! instances with disks, agent and guest.

pub mod demo;
pub mod scale;

use crate::clock::SimTime;
use crate::world::model::disk::Disk;
use crate::world::model::guest::{Guest, GuestBehaviour, Mount};
use crate::world::model::instance::{Agent, Instance};
use crate::world::model::os::{Os, OsType};
use crate::world::model::region as regions;
use crate::world::model::status::{DiskStatus, InstanceStatus};
use crate::world::model::tags::Tags;
use crate::world::ram::Ram;
use crate::world::{AccessKey, Account, Principal, World};

pub const DEMO_ACCOUNT_ID: &str = "1688000000000001";

/// A fixed, documented AccessKey of the demo account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoAccount {
    pub name: &'static str,
    pub account_id: &'static str,
    pub user: &'static str,
    pub access_key_id: &'static str,
    pub access_key_secret: &'static str,
    /// `admin`, `operator` (no RAM permissions) or `read-only`.
    pub power: &'static str,
    pub description: &'static str,
}

pub fn demo_accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount { name: "admin", account_id: DEMO_ACCOUNT_ID, user: "appsnap-admin", access_key_id: "LTAI5tSandboxAdmin000001", access_key_secret: "SandboxAdminSecret0000000000001", power: "admin", description: "Full rights in the demo account (ECS, RAM, STS)." },
        DemoAccount { name: "operator", account_id: DEMO_ACCOUNT_ID, user: "appsnap-operator", access_key_id: "LTAI5tSandboxOperator001", access_key_secret: "SandboxOperatorSecret000000001", power: "operator", description: "ECS and STS, no RAM permissions: RAM calls fail NoPermission, Attach/DetachInstanceRamRole fail InvalidUser.PassRoleForbidden." },
        DemoAccount { name: "read-only", account_id: DEMO_ACCOUNT_ID, user: "appsnap-readonly", access_key_id: "LTAI5tSandboxReadOnly001", access_key_secret: "SandboxReadOnlySecret000000001", power: "read-only", description: "Describe/List/Get only: other ECS calls fail Forbidden.RAM, RAM/STS writes fail NoPermission." },
    ]
}

/// Create the demo account with its keys (and extra admin keys).
pub fn add_demo_account(world: &mut World, extra_admin_keys: &[(String, String)]) {
    world.accounts.insert(
        DEMO_ACCOUNT_ID.into(),
        Account {
            id: DEMO_ACCOUNT_ID.into(),
            name: "appsnap-sandbox".into(),
            ram: Ram::default(),
            regions: Default::default(),
        },
    );
    for a in demo_accounts() {
        let user = a.user.to_string();
        let principal = match a.power {
            "admin" => Principal::Admin { user },
            "operator" => Principal::Operator { user },
            _ => Principal::ReadOnly { user },
        };
        world.add_key(AccessKey {
            id: a.access_key_id.into(),
            secret: a.access_key_secret.into(),
            account_id: DEMO_ACCOUNT_ID.into(),
            principal,
            sts: None,
        });
    }
    for (n, (id, secret)) in extra_admin_keys.iter().enumerate() {
        world.add_key(AccessKey {
            id: id.clone(),
            secret: secret.clone(),
            account_id: DEMO_ACCOUNT_ID.into(),
            principal: Principal::Admin {
                user: format!("extra-admin-{}", n + 1),
            },
            sts: None,
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsKind {
    CentOs79,
    CentOs74,
    Ubuntu2204,
    Alinux3,
    Win2019,
    Win2022,
    Win2008,
}

pub const ALL_OS: &[OsKind] = &[
    OsKind::CentOs79,
    OsKind::CentOs74,
    OsKind::Ubuntu2204,
    OsKind::Alinux3,
    OsKind::Win2019,
    OsKind::Win2022,
    OsKind::Win2008,
];

/// Realistic OS strings, double spaces included (reference §3.2).
pub fn os(kind: OsKind) -> Os {
    let (os_type, name, name_en, image, pretty, distro, version, kernel) = match kind {
        OsKind::CentOs79 => (
            OsType::Linux,
            "CentOS  7.9 64位",
            "CentOS  7.9 64 bit",
            "centos_7_9_x64_20G_alibase_20240628.vhd",
            "CentOS Linux release 7.9.2009 (Core)",
            "centos",
            "7.9",
            "3.10.0-1160.119.1.el7.x86_64",
        ),
        OsKind::CentOs74 => (
            OsType::Linux,
            "CentOS  7.4 64位",
            "CentOS  7.4 64 bit",
            "centos_7_04_64_20G_alibase_201701015.vhd",
            "CentOS Linux release 7.4.1708 (Core)",
            "centos",
            "7.4",
            "3.10.0-693.2.2.el7.x86_64",
        ),
        OsKind::Ubuntu2204 => (
            OsType::Linux,
            "Ubuntu  22.04 64位",
            "Ubuntu  22.04 64 bit",
            "ubuntu_22_04_x64_20G_alibase_20240710.vhd",
            "Ubuntu 22.04.4 LTS",
            "ubuntu",
            "22.04",
            "5.15.0-113-generic",
        ),
        OsKind::Alinux3 => (
            OsType::Linux,
            "Alibaba Cloud Linux  3.2104 LTS 64位",
            "Alibaba Cloud Linux  3.2104 LTS 64 bit",
            "aliyun_3_x64_20G_alibase_20240528.vhd",
            "Alibaba Cloud Linux 3.2104 U10 (OpenAnolis Edition)",
            "alinux",
            "3.2104",
            "5.10.134-16.3.al8.x86_64",
        ),
        OsKind::Win2019 => (
            OsType::Windows,
            "Windows Server  2019 数据中心版 64位中文版",
            "Windows Server  2019 Data Center Edition 64bit Chinese Edition",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20240711.vhd",
            "Microsoft Windows Server 2019 Datacenter",
            "windows",
            "2019",
            "10.0.17763",
        ),
        OsKind::Win2022 => (
            OsType::Windows,
            "Windows Server  2022 数据中心版 64位中文版",
            "Windows Server  2022 Data Center Edition 64bit Chinese Edition",
            "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240711.vhd",
            "Microsoft Windows Server 2022 Datacenter",
            "windows",
            "2022",
            "10.0.20348",
        ),
        OsKind::Win2008 => (
            OsType::Windows,
            "Windows Server  2008 R2 企业版 64位中文版",
            "Windows Server  2008 R2 Enterprise Edition 64bit Chinese Edition",
            "win2008r2_64_ent_sp1_zh-cn_40G_alibase_20200314.vhd",
            "Microsoft Windows Server 2008 R2 Enterprise",
            "windows",
            "2008 R2",
            "6.1.7601",
        ),
    };
    Os {
        os_type,
        name: name.into(),
        name_en: name_en.into(),
        image_id: image.into(),
        pretty: pretty.into(),
        distro: distro.into(),
        version: version.into(),
        kernel: kernel.into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentKind {
    Ok,
    Missing,
    Offline,
}

/// Pre-existing freeze/thaw scripts in the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptsKind {
    None,
    Good,
    Crlf,
}

pub struct InstanceSpec {
    pub name: String,
    pub region: &'static str,
    pub os: OsKind,
    pub status: InstanceStatus,
    /// (category, size GiB)
    pub disks: Vec<(&'static str, u32)>,
    pub agent: AgentKind,
    pub role: Option<&'static str>,
    pub extra_mounts: Vec<Mount>,
    pub behaviour: GuestBehaviour,
    pub scripts: ScriptsKind,
    pub tags: Vec<(String, String)>,
}

impl InstanceSpec {
    pub fn new(name: &str, region: &'static str, os: OsKind) -> Self {
        Self {
            name: name.into(),
            region,
            os,
            status: InstanceStatus::Running,
            disks: vec![("cloud_essd", 40), ("cloud_essd", 100)],
            agent: AgentKind::Ok,
            role: None,
            extra_mounts: Vec::new(),
            behaviour: GuestBehaviour::default(),
            scripts: ScriptsKind::None,
            tags: vec![("env".into(), "demo".into())],
        }
    }
}

pub const PRESCRIPT: &str = "#!/bin/bash\n# Freeze the application before the file systems are frozen.\nmysql -uroot -e 'FLUSH TABLES WITH READ LOCK; SYSTEM sleep 1;' &\nexit 0\n";
pub const POSTSCRIPT: &str = "#!/bin/bash\n# Thaw the application after the snapshot.\npkill -f 'SYSTEM sleep' || true\nexit 0\n";

/// Add an instance with its disks and guest; returns its id.
pub fn add_instance(
    world: &mut World,
    account: &str,
    spec: InstanceSpec,
    now: SimTime,
    n: usize,
) -> String {
    let info = regions::lookup(spec.region).expect("scenario regions are known");
    let zone = info.zones[n % info.zones.len()].to_string();
    let id = world.rng.resource_id("i", spec.region);
    let os = os(spec.os);
    let linux = os.os_type == OsType::Linux;
    let mut mounts = Vec::new();
    let mut disks = Vec::new();
    for (k, (category, size)) in spec.disks.iter().enumerate() {
        let disk_id = world.rng.resource_id("d", spec.region);
        let letter = (b'a' + k as u8) as char;
        let device = if k < 26 {
            format!("/dev/xvd{letter}")
        } else {
            format!("/dev/xvd{k}")
        };
        let (mount_point, fs_type, dev) = if linux {
            let mp = match k {
                0 => "/".to_string(),
                1 => "/data".to_string(),
                _ => format!("/data{k}"),
            };
            (
                mp,
                if k == 0 { "xfs" } else { "ext4" },
                format!(
                    "/dev/vd{}1",
                    if k < 26 {
                        letter.to_string()
                    } else {
                        k.to_string()
                    }
                ),
            )
        } else {
            let drive = (b'C' + k as u8).min(b'Z') as char;
            (
                format!("{drive}:\\"),
                "NTFS",
                format!("\\\\?\\Volume{{{disk_id}}}"),
            )
        };
        mounts.push(Mount {
            mount_point,
            fs_type: fs_type.into(),
            device: dev,
        });
        disks.push(Disk {
            id: disk_id,
            name: if k == 0 {
                format!("{}-system", spec.name)
            } else {
                format!("{}-data{k}", spec.name)
            },
            category: category.to_string(),
            performance_level: if category.starts_with("cloud_essd")
                && *category != "cloud_essd_entry"
            {
                "PL1".into()
            } else {
                String::new()
            },
            size_gib: *size,
            kind: if k == 0 {
                "system".into()
            } else {
                "data".into()
            },
            status: DiskStatus::InUse,
            instance_id: Some(id.clone()),
            device,
            zone_id: zone.clone(),
            region_id: spec.region.into(),
            creation_time: now - 86_400_000 * (30 + n as i64),
            multi_attach: "Disabled".into(),
            tags: Tags::default(),
            reset_from: None,
        });
    }
    mounts.extend(spec.extra_mounts);
    let mut guest = Guest::new(os.os_type, mounts);
    guest.behaviour = spec.behaviour;
    if !linux {
        guest.vss_writers.push("SqlServerWriter".into());
    }
    let script = |s: &str| match spec.scripts {
        ScriptsKind::Crlf => s.replace('\n', "\r\n").into_bytes(),
        _ => s.as_bytes().to_vec(),
    };
    if spec.scripts != ScriptsKind::None {
        guest.write_file(
            "/tmp/prescript.sh",
            script(PRESCRIPT),
            "root",
            "root",
            0o700,
            now - 3_600_000,
        );
        guest.write_file(
            "/tmp/postscript.sh",
            script(POSTSCRIPT),
            "root",
            "root",
            0o700,
            now - 3_600_000,
        );
    }
    let octet = |x: u64| (x % 250 + 2) as u8;
    let r = world.rng.next_u64();
    let inst = Instance {
        id: id.clone(),
        name: spec.name.clone(),
        host_name: if linux {
            spec.name.clone()
        } else {
            format!("iZ{}Z", &id[2..12])
        },
        region_id: spec.region.into(),
        zone_id: zone,
        status: spec.status,
        os,
        instance_type: if linux {
            "ecs.g7.large".into()
        } else {
            "ecs.g7.xlarge".into()
        },
        cpu: if linux { 2 } else { 4 },
        memory_mib: if linux { 8192 } else { 16384 },
        creation_time: now - 86_400_000 * (30 + n as i64),
        vpc_id: format!(
            "vpc-{}{}",
            crate::ids::region_code(spec.region),
            "appsnapdemo0001"
        ),
        vswitch_id: format!(
            "vsw-{}{}",
            crate::ids::region_code(spec.region),
            "appsnapdemo0001"
        ),
        private_ip: format!("172.16.{}.{}", octet(r >> 8), octet(r)),
        public_ip: None,
        tags: Tags(spec.tags),
        ram_role: spec.role.map(String::from),
        agent: Agent {
            installed: spec.agent != AgentKind::Missing,
            pending_install: false,
            online: spec.agent == AgentKind::Ok,
            version: if spec.agent == AgentKind::Missing {
                String::new()
            } else if linux {
                "2.2.3.317".into()
            } else {
                "2.1.3.317".into()
            },
            invocation_count: 0,
            last_invoked: None,
        },
        guest,
    };
    let reg = world
        .region_mut(account, spec.region)
        .expect("demo account exists");
    for d in disks {
        reg.insert_disk(d);
    }
    reg.instances.insert(id.clone(), std::sync::Arc::new(inst));
    id
}
