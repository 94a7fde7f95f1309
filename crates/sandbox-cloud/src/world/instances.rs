//! ECS instances: attributes, the Cloud Assistant agent on them, and the Running/Stopped
//! state machine (Stopping and Starting take simulated time).

use serde_json::{json, Value};

use super::guest::Guest;
use super::tags::Tags;
use super::World;
use crate::clock::{iso, SimTime};
use crate::errors::{ApiError, ApiResult};

/// How long Stopping/Starting last, in simulated milliseconds.
pub const TRANSITION_MS: SimTime = 3_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsType {
    Linux,
    Windows,
}

impl OsType {
    /// Lowercase, as DescribeInstances answers.
    pub fn lower(self) -> &'static str {
        match self {
            OsType::Linux => "linux",
            OsType::Windows => "windows",
        }
    }

    /// Capitalised, as Cloud Assistant answers.
    pub fn title(self) -> &'static str {
        match self {
            OsType::Linux => "Linux",
            OsType::Windows => "Windows",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Os {
    pub os_type: OsType,
    /// `OSName` (often localised, with the real double spaces).
    pub name: String,
    /// `OSNameEn`.
    pub name_en: String,
    pub image_id: String,
    /// What the guest itself reports (`/etc/os-release` PRETTY_NAME or Windows caption).
    pub pretty: String,
    /// Distribution id and version as the inventory probe prints them (`centos`, `7.9`).
    pub distro: String,
    pub version: String,
    pub kernel: String,
}

#[derive(Debug, Clone)]
pub struct Agent {
    pub installed: bool,
    /// Installed by InstallCloudAssistant, active after the next (re)start.
    pub pending_install: bool,
    pub online: bool,
    pub version: String,
    pub invocation_count: u64,
    pub last_invoked: Option<SimTime>,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub name: String,
    pub host_name: String,
    pub region_id: String,
    pub zone_id: String,
    pub status: String,
    pub os: Os,
    pub instance_type: String,
    pub cpu: u32,
    pub memory_mib: u32,
    pub creation_time: SimTime,
    pub vpc_id: String,
    pub vswitch_id: String,
    pub private_ip: String,
    pub public_ip: Option<String>,
    pub tags: Tags,
    pub ram_role: Option<String>,
    pub agent: Agent,
    pub guest: Guest,
}

impl Instance {
    /// `CloudAssistantStatus`: the agent answers heartbeats only on a running instance.
    pub fn assistant_running(&self) -> bool {
        self.agent.installed && self.agent.online && self.status == "Running"
    }

    pub fn to_json(&self) -> Value {
        json!({
            "InstanceId": self.id,
            "InstanceName": self.name,
            "HostName": self.host_name,
            "Description": "",
            "Status": self.status,
            "RegionId": self.region_id,
            "ZoneId": self.zone_id,
            "ImageId": self.os.image_id,
            "OSName": self.os.name,
            "OSNameEn": self.os.name_en,
            "OSType": self.os.os_type.lower(),
            "InstanceType": self.instance_type,
            "InstanceTypeFamily": self.instance_type.rsplit_once('.').map(|(f, _)| f).unwrap_or(""),
            "Cpu": self.cpu,
            "Memory": self.memory_mib,
            "CreationTime": crate::clock::iso_minutes(self.creation_time),
            "StartTime": crate::clock::iso_minutes(self.creation_time),
            "InstanceNetworkType": "vpc",
            "InstanceChargeType": "PostPaid",
            "InternetChargeType": "PayByTraffic",
            "ExpiredTime": "2099-12-31T15:59Z",
            "IoOptimized": true,
            "DeletionProtection": false,
            "ResourceGroupId": "",
            "VpcAttributes": {
                "VpcId": self.vpc_id,
                "VSwitchId": self.vswitch_id,
                "NatIpAddress": "",
                "PrivateIpAddress": { "IpAddress": [self.private_ip] }
            },
            "PublicIpAddress": { "IpAddress": self.public_ip.iter().collect::<Vec<_>>() },
            "InnerIpAddress": { "IpAddress": [] },
            "EipAddress": { "IpAddress": "", "AllocationId": "", "InternetChargeType": "" },
            "SecurityGroupIds": { "SecurityGroupId": [format!("sg-{}", &self.id[2..])] },
            "OperationLocks": { "LockReason": [] },
            "Tags": self.tags.to_json(),
        })
    }

    pub fn cloud_assistant_json(&self) -> Value {
        json!({
            "InstanceId": self.id,
            "CloudAssistantStatus": if self.assistant_running() { "true" } else { "false" },
            "CloudAssistantVersion": if self.agent.installed { self.agent.version.as_str() } else { "" },
            "OSType": self.os.os_type.title(),
            "LastHeartbeatTime": if self.assistant_running() { iso(self.creation_time) } else { String::new() },
            "LastInvokedTime": self.agent.last_invoked.map(iso).unwrap_or_default(),
            "InvocationCount": self.agent.invocation_count,
            "ActiveTaskCount": 0,
            "SupportSessionManager": self.agent.installed,
        })
    }
}

/// StopInstance: Running → Stopping → Stopped.
pub fn stop(
    world: &mut World,
    account: &str,
    region: &str,
    id: &str,
    now: SimTime,
) -> ApiResult<()> {
    let inst = instance_mut(world, account, region, id)?;
    if inst.status != "Running" {
        return Err(ApiError::incorrect_instance_status(403));
    }
    inst.status = "Stopping".into();
    let (a, r, i) = (account.to_string(), region.to_string(), id.to_string());
    world.schedule(now + TRANSITION_MS, move |w, at| {
        super::plugin::thaw_if_frozen(w, &a, &r, &i, at, "instance stopped");
        super::cloud_assistant::interrupt_tasks_on(w, &a, &r, &i, at);
        if let Ok(inst) = instance_mut(w, &a, &r, &i) {
            inst.status = "Stopped".into();
        }
    });
    Ok(())
}

/// StartInstance: Stopped → Starting → Running; a pending agent install takes effect now.
pub fn start(
    world: &mut World,
    account: &str,
    region: &str,
    id: &str,
    now: SimTime,
) -> ApiResult<()> {
    let inst = instance_mut(world, account, region, id)?;
    if inst.status != "Stopped" {
        return Err(ApiError::incorrect_instance_status(403));
    }
    inst.status = "Starting".into();
    let (a, r, i) = (account.to_string(), region.to_string(), id.to_string());
    world.schedule(now + TRANSITION_MS, move |w, _| {
        if let Ok(inst) = instance_mut(w, &a, &r, &i) {
            inst.status = "Running".into();
            if inst.agent.pending_install {
                inst.agent.pending_install = false;
                inst.agent.installed = true;
            }
        }
    });
    Ok(())
}

/// RebootInstance: Running → Stopping → Starting → Running.
pub fn reboot(
    world: &mut World,
    account: &str,
    region: &str,
    id: &str,
    now: SimTime,
) -> ApiResult<()> {
    stop(world, account, region, id, now)?;
    let (a, r, i) = (account.to_string(), region.to_string(), id.to_string());
    world.schedule(now + TRANSITION_MS, move |w, at| {
        let _ = start(w, &a, &r, &i, at);
    });
    Ok(())
}

pub fn instance_mut<'w>(
    world: &'w mut World,
    account: &str,
    region: &str,
    id: &str,
) -> ApiResult<&'w mut Instance> {
    world
        .region_mut(account, region)?
        .instances
        .get_mut(id)
        .ok_or_else(|| ApiError::instance_not_found(id))
}
