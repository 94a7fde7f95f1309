//! ECS instances: attributes, the Cloud Assistant agent on them and their guest.

use serde::Serialize;
use serde_json::Value;

use crate::clock::{SimTime, Stamp};
use crate::world::model::guest::Guest;
use crate::world::model::os::Os;
use crate::world::model::status::InstanceStatus;
use crate::world::model::tags::{TagSet, Tags};

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
    pub status: InstanceStatus,
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
        self.agent.installed && self.agent.online && self.status == InstanceStatus::Running
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.view()).unwrap_or_default()
    }

    /// What DescribeInstances answers for this instance, serialised without a `Value` in
    /// between (pages of 100 instances, 10,000 of them in the scale scenario).
    pub fn view(&self) -> InstanceView<'_> {
        let started = crate::clock::Stamp::minutes(self.creation_time);
        InstanceView {
            cpu: self.cpu,
            creation_time: started,
            deletion_protection: false,
            description: "",
            eip_address: EipAddress {
                allocation_id: "",
                internet_charge_type: "",
                ip_address: "",
            },
            expired_time: "2099-12-31T15:59Z",
            host_name: &self.host_name,
            image_id: &self.os.image_id,
            inner_ip_address: IpAddresses { ip_address: &[] },
            instance_charge_type: "PostPaid",
            instance_id: &self.id,
            instance_name: &self.name,
            instance_network_type: "vpc",
            instance_type: &self.instance_type,
            instance_type_family: self
                .instance_type
                .rsplit_once('.')
                .map(|(f, _)| f)
                .unwrap_or(""),
            internet_charge_type: "PayByTraffic",
            io_optimized: true,
            memory: self.memory_mib,
            os_name: &self.os.name,
            os_name_en: &self.os.name_en,
            os_type: self.os.os_type.lower(),
            operation_locks: OperationLocks { lock_reason: &[] },
            public_ip_address: IpAddresses {
                ip_address: self.public_ip.as_slice(),
            },
            region_id: &self.region_id,
            resource_group_id: "",
            security_group_ids: SecurityGroupIds {
                security_group_id: [format!("sg-{}", &self.id[2..])],
            },
            start_time: started,
            status: self.status,
            tags: self.tags.view(),
            vpc_attributes: VpcAttributes {
                nat_ip_address: "",
                private_ip_address: IpAddresses {
                    ip_address: std::slice::from_ref(&self.private_ip),
                },
                vswitch_id: &self.vswitch_id,
                vpc_id: &self.vpc_id,
            },
            zone_id: &self.zone_id,
        }
    }

    /// DescribeCloudAssistantStatus' item, serialised without a `Value` in between.
    pub fn agent_status_view(&self) -> AgentStatusView<'_> {
        let running = self.assistant_running();
        AgentStatusView {
            active_task_count: 0,
            cloud_assistant_status: if running { "true" } else { "false" },
            cloud_assistant_version: if self.agent.installed {
                &self.agent.version
            } else {
                ""
            },
            instance_id: &self.id,
            invocation_count: self.agent.invocation_count,
            last_heartbeat_time: if running {
                Stamp::seconds(self.creation_time)
            } else {
                Stamp::EMPTY
            },
            last_invoked_time: self.agent.last_invoked.map_or(Stamp::EMPTY, Stamp::seconds),
            os_type: self.os.os_type.title(),
            support_session_manager: self.agent.installed,
        }
    }
}

/// DescribeCloudAssistantStatus' item. Fields in key order, as a `Value` map writes them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AgentStatusView<'a> {
    active_task_count: u32,
    cloud_assistant_status: &'static str,
    cloud_assistant_version: &'a str,
    instance_id: &'a str,
    invocation_count: u64,
    last_heartbeat_time: Stamp,
    last_invoked_time: Stamp,
    #[serde(rename = "OSType")]
    os_type: &'static str,
    support_session_manager: bool,
}

/// DescribeInstances' item. Fields in key order, as a `Value` map writes them: the bytes
/// on the wire stay what they were (a test holds it).
#[derive(Serialize)]
pub struct InstanceView<'a> {
    #[serde(rename = "Cpu")]
    cpu: u32,
    #[serde(rename = "CreationTime")]
    creation_time: crate::clock::Stamp,
    #[serde(rename = "DeletionProtection")]
    deletion_protection: bool,
    #[serde(rename = "Description")]
    description: &'a str,
    #[serde(rename = "EipAddress")]
    eip_address: EipAddress<'a>,
    #[serde(rename = "ExpiredTime")]
    expired_time: &'a str,
    #[serde(rename = "HostName")]
    host_name: &'a str,
    #[serde(rename = "ImageId")]
    image_id: &'a str,
    #[serde(rename = "InnerIpAddress")]
    inner_ip_address: IpAddresses<'a>,
    #[serde(rename = "InstanceChargeType")]
    instance_charge_type: &'a str,
    #[serde(rename = "InstanceId")]
    instance_id: &'a str,
    #[serde(rename = "InstanceName")]
    instance_name: &'a str,
    #[serde(rename = "InstanceNetworkType")]
    instance_network_type: &'a str,
    #[serde(rename = "InstanceType")]
    instance_type: &'a str,
    #[serde(rename = "InstanceTypeFamily")]
    instance_type_family: &'a str,
    #[serde(rename = "InternetChargeType")]
    internet_charge_type: &'a str,
    #[serde(rename = "IoOptimized")]
    io_optimized: bool,
    #[serde(rename = "Memory")]
    memory: u32,
    #[serde(rename = "OSName")]
    os_name: &'a str,
    #[serde(rename = "OSNameEn")]
    os_name_en: &'a str,
    #[serde(rename = "OSType")]
    os_type: &'a str,
    #[serde(rename = "OperationLocks")]
    operation_locks: OperationLocks<'a>,
    #[serde(rename = "PublicIpAddress")]
    public_ip_address: IpAddresses<'a>,
    #[serde(rename = "RegionId")]
    region_id: &'a str,
    #[serde(rename = "ResourceGroupId")]
    resource_group_id: &'a str,
    #[serde(rename = "SecurityGroupIds")]
    security_group_ids: SecurityGroupIds,
    #[serde(rename = "StartTime")]
    start_time: crate::clock::Stamp,
    #[serde(rename = "Status")]
    status: InstanceStatus,
    #[serde(rename = "Tags")]
    tags: TagSet<'a>,
    #[serde(rename = "VpcAttributes")]
    vpc_attributes: VpcAttributes<'a>,
    #[serde(rename = "ZoneId")]
    zone_id: &'a str,
}

#[derive(Serialize)]
struct EipAddress<'a> {
    #[serde(rename = "AllocationId")]
    allocation_id: &'a str,
    #[serde(rename = "InternetChargeType")]
    internet_charge_type: &'a str,
    #[serde(rename = "IpAddress")]
    ip_address: &'a str,
}

#[derive(Serialize)]
struct IpAddresses<'a> {
    #[serde(rename = "IpAddress")]
    ip_address: &'a [String],
}

#[derive(Serialize)]
struct OperationLocks<'a> {
    #[serde(rename = "LockReason")]
    lock_reason: &'a [String],
}

#[derive(Serialize)]
struct SecurityGroupIds {
    #[serde(rename = "SecurityGroupId")]
    security_group_id: [String; 1],
}

#[derive(Serialize)]
struct VpcAttributes<'a> {
    #[serde(rename = "NatIpAddress")]
    nat_ip_address: &'a str,
    #[serde(rename = "PrivateIpAddress")]
    private_ip_address: IpAddresses<'a>,
    #[serde(rename = "VSwitchId")]
    vswitch_id: &'a str,
    #[serde(rename = "VpcId")]
    vpc_id: &'a str,
}
