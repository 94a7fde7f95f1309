//! The simulated cloud: accounts, their RAM store and per-region resources, the AccessKeys
//! that act on them, and a queue of timed events that moves state along the simulated clock.

pub mod cloud_assistant;
pub mod disks;
pub mod events;
pub mod guest;
pub mod guest_scripts;
pub mod instances;
pub mod plugin;
pub mod ram;
pub mod regions;
pub mod snapshots;
pub mod tags;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::ids::Rng;
pub use events::EventQueue;

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
    pub ram: ram::Ram,
    pub regions: BTreeMap<String, regions::Region>,
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
    pub thaw_reason: Option<String>,
}

pub struct World {
    pub config: WorldConfig,
    pub accounts: BTreeMap<String, Account>,
    pub keys: BTreeMap<String, AccessKey>,
    pub public_commands: Vec<cloud_assistant::Command>,
    pub rng: Rng,
    pub events: EventQueue,
    /// (account, action, ClientToken) → (parameter fingerprint, first answer).
    pub idempotency: HashMap<(String, String, String), (String, Value)>,
    pub freeze_history: Vec<FreezeRecord>,
}

impl World {
    pub fn new(seed: u64, config: WorldConfig) -> Self {
        let public_commands = cloud_assistant::public_commands(&config);
        Self {
            config,
            accounts: BTreeMap::new(),
            keys: BTreeMap::new(),
            public_commands,
            rng: Rng::new(seed),
            events: EventQueue::default(),
            idempotency: HashMap::new(),
            freeze_history: Vec::new(),
        }
    }

    /// Re-derive the public commands after a configuration change.
    pub fn set_config(&mut self, config: WorldConfig) {
        self.public_commands = cloud_assistant::public_commands(&config);
        self.config = config;
    }

    /// Apply every event due at or before `now`, in time order.
    pub fn advance(&mut self, now: SimTime) {
        while let Some((at, event)) = self.events.pop_due(now) {
            event(self, at);
        }
    }

    pub fn schedule(
        &mut self,
        at: SimTime,
        event: impl FnOnce(&mut World, SimTime) + Send + 'static,
    ) {
        self.events.schedule(at, Box::new(event));
    }

    pub fn account_mut(&mut self, account_id: &str) -> ApiResult<&mut Account> {
        self.accounts
            .get_mut(account_id)
            .ok_or_else(ApiError::account_not_found)
    }

    pub fn account(&self, account_id: &str) -> ApiResult<&Account> {
        self.accounts
            .get(account_id)
            .ok_or_else(ApiError::account_not_found)
    }

    /// The region state of an account; unknown region ids are an error, known but empty
    /// regions are created on first use.
    pub fn region_mut(
        &mut self,
        account_id: &str,
        region_id: &str,
    ) -> ApiResult<&mut regions::Region> {
        let info = regions::lookup(region_id).ok_or_else(|| regions::unknown_region(region_id))?;
        let account = self.account_mut(account_id)?;
        Ok(account
            .regions
            .entry(region_id.to_string())
            .or_insert_with(|| regions::Region::new(info.id)))
    }

    /// Where an instance lives, for the control API (ids are globally unique).
    pub fn find_instance(&self, instance_id: &str) -> Option<(String, String)> {
        self.accounts.values().find_map(|a| {
            a.regions
                .values()
                .find(|r| r.instances.contains_key(instance_id))
                .map(|r| (a.id.clone(), r.id.clone()))
        })
    }

    pub fn add_key(&mut self, key: AccessKey) {
        self.keys.insert(key.id.clone(), key);
    }
}
