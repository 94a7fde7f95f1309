//! The simulated cloud: accounts, their RAM store and per-region resources, the AccessKeys
//! that act on them, and a queue of timed events that moves state along the simulated clock.
//!
//! One direction of dependency, bottom to top; a module imports only modules above it in
//! [`MODULE_ORDER`] (the `layers` test reads every file and checks it):
//!
//! 1. **model** — resources, their statuses and wire renderings, no behaviour
//!    (`model::*`, `ram`), and the generic `events` queue;
//! 2. **world** — this file: the [`World`] and its lookups;
//! 3. **primitives** — `task` (a [`task::TaskRef`] and what any task may do: output,
//!    finish, abort), `freeze` (freeze/thaw a guest), `user_script` (what a user's script
//!    does on a guest), `snapshot_groups` (create a group);
//! 4. **behaviours** — the in-guest `plugin` (pre-flight, consistency decision, schedule),
//!    `guest_scripts` (what a delivered script runs), `agent` (delivers invocations),
//!    `send_file` (delivers files), `lifecycle` (stop/start/reboot an instance).

pub mod agent;
pub mod events;
pub mod freeze;
pub mod guest_scripts;
pub mod lifecycle;
pub mod model;
pub mod plugin;
pub mod ram;
pub mod send_file;
pub mod snapshot_groups;
pub mod task;
pub mod user_script;

#[cfg(test)]
mod layers;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::ids::Rng;
use crate::world::events::EventQueue;
pub use crate::world::model::account::{AccessKey, Account, FreezeRecord, Principal, WorldConfig};
use crate::world::model::command::Command;
use crate::world::model::instance::Instance;
use crate::world::model::public_commands::public_commands;
use crate::world::model::region::{Region, RegionInfo, CLASSIC_REGIONS, REGIONS};

/// Every module of the world, lowest first: each may import only those before it.
pub const MODULE_ORDER: &[&str] = &[
    "model::status",
    "model::tags",
    "model::os",
    "model::guest",
    "model::disk",
    "model::instance",
    "model::command",
    "model::invocation",
    "model::send_file",
    "model::snapshot",
    "model::region_table",
    "model::region",
    "ram",
    "model::account",
    "model::public_commands",
    "model",
    "events",
    "world",
    "task",
    "freeze",
    "user_script",
    "snapshot_groups",
    "plugin::params",
    "plugin::run",
    "plugin::preflight",
    "plugin::consistency",
    "plugin::schedule",
    "plugin",
    "guest_scripts",
    "agent",
    "send_file",
    "lifecycle",
];

pub struct World {
    pub config: WorldConfig,
    pub accounts: BTreeMap<String, Account>,
    pub keys: BTreeMap<String, AccessKey>,
    pub public_commands: Vec<Command>,
    pub rng: Rng,
    pub events: EventQueue<World>,
    /// (account, action, ClientToken) → (parameter fingerprint, first answer).
    pub idempotency: HashMap<(String, String, String), (String, Value)>,
    pub freeze_history: Vec<FreezeRecord>,
    /// The regions this cloud has (`DescribeRegions` lists them; any other id is
    /// `InvalidRegionId.NotFound`): the classic eight unless a scenario opens more.
    pub regions: &'static [RegionInfo],
}

impl World {
    pub fn new(seed: u64, config: WorldConfig) -> Self {
        let public_commands = public_commands(&config);
        Self {
            config,
            accounts: BTreeMap::new(),
            keys: BTreeMap::new(),
            public_commands,
            rng: Rng::new(seed),
            events: EventQueue::default(),
            idempotency: HashMap::new(),
            freeze_history: Vec::new(),
            regions: &REGIONS[..CLASSIC_REGIONS],
        }
    }

    /// Re-derive the public commands after a configuration change.
    pub fn set_config(&mut self, config: WorldConfig) {
        self.public_commands = public_commands(&config);
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
    pub fn region_mut(&mut self, account_id: &str, region_id: &str) -> ApiResult<&mut Region> {
        let info = self
            .regions
            .iter()
            .find(|r| r.id == region_id)
            .ok_or_else(|| ApiError::region_not_found(region_id))?;
        let account = self.account_mut(account_id)?;
        Ok(account
            .regions
            .entry(region_id.to_string())
            .or_insert_with(|| Region::new(info.id)))
    }

    pub fn instance_mut(
        &mut self,
        account_id: &str,
        region_id: &str,
        instance_id: &str,
    ) -> ApiResult<&mut Instance> {
        self.region_mut(account_id, region_id)?
            .instance_mut(instance_id)
            .ok_or_else(|| ApiError::instance_not_found(instance_id))
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
