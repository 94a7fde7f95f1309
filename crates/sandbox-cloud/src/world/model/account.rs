//! Who acts on the world: accounts, their AccessKeys and principals; the world's knobs; the
//! record of each guest freeze.

use std::collections::BTreeMap;

use crate::clock::SimTime;
use crate::world::model::region::Region;
use crate::world::model::status::ThawReason;
use crate::world::ram::Ram;

/// Knobs a test or the control API may change.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WorldConfig {
    /// Disks per snapshot-consistent group (reference §7.2: 10/16/128 by doc era).
    pub snapshot_group_disk_limit: usize,
    /// Public command names; the real ones are unknown (reference §4.2), so these are
    /// sandbox-invented and configurable.
    pub linux_command_name: String,
    pub windows_command_name: String,
}

impl Default for WorldConfig {
    fn default() -> Self {
        Self {
            snapshot_group_disk_limit: 16,
            linux_command_name: "ACS-ECS-CreateAppConsistentSnapshot-for-linux.sh".into(),
            windows_command_name: "ACS-ECS-CreateAppConsistentSnapshot-for-windows.ps1".into(),
        }
    }
}

/// Who holds an AccessKey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Full rights in the account.
    Admin { user: String },
    /// ECS and STS, but no RAM permissions (no `ram:*`, no `ram:PassRole`).
    Operator { user: String },
    /// Describe/List/Get only.
    ReadOnly { user: String },
    /// A role session from STS AssumeRole; rights come from the role's policies.
    RoleSession {
        role_name: String,
        role_id: String,
        session: String,
    },
}

#[derive(Debug, Clone)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    pub account_id: String,
    pub principal: Principal,
    /// STS keys carry a token and an expiry (simulated time).
    pub sts: Option<(String, SimTime)>,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub ram: Ram,
    pub regions: BTreeMap<String, Region>,
}

/// A freeze of guest file systems, kept after the thaw for inspection.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FreezeRecord {
    pub account_id: String,
    pub region_id: String,
    pub instance_id: String,
    pub invoke_id: String,
    pub mount_points: Vec<String>,
    pub frozen_at: String,
    pub thawed_at: Option<String>,
    pub thaw_reason: Option<ThawReason>,
}
