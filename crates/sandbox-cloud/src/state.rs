//! Everything one running sandbox holds behind its lock: the world, the clock, nonce
//! memory, faults, call counters and the scenario it was loaded from.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::auth::ReplayGuard;
use crate::clock::{Clock, SimTime};
use crate::faults::Faults;
use crate::flow_control::{FlowConfig, FlowControl};
use crate::scenarios;
use crate::world::{World, WorldConfig};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScenarioSpec {
    pub name: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default = "default_instances")]
    pub instances: usize,
    #[serde(default = "default_regions")]
    pub regions: usize,
}

fn default_seed() -> u64 {
    1
}
fn default_instances() -> usize {
    1000
}
fn default_regions() -> usize {
    4
}

pub struct State {
    pub world: World,
    pub clock: Clock,
    pub guard: ReplayGuard,
    pub faults: Faults,
    pub calls: BTreeMap<String, u64>,
    /// Of `calls`, those answered `Throttling.User` (flow control or a fault).
    pub throttled: BTreeMap<String, u64>,
    pub flow: FlowControl,
    pub scenario: ScenarioSpec,
    pub allow_replay: bool,
    pub extra_keys: Vec<(String, String)>,
}

pub type Shared = Arc<Mutex<State>>;

impl State {
    pub fn new(
        spec: ScenarioSpec,
        time_scale: f64,
        allow_replay: bool,
        extra_keys: Vec<(String, String)>,
    ) -> Result<Self, String> {
        let mut s = Self {
            world: World::new(spec.seed, WorldConfig::default()),
            clock: Clock::new(time_scale),
            guard: ReplayGuard::default(),
            faults: Faults::new(spec.seed),
            calls: BTreeMap::new(),
            throttled: BTreeMap::new(),
            flow: FlowControl::new(FlowConfig::off()),
            scenario: spec.clone(),
            allow_replay,
            extra_keys,
        };
        s.load(spec)?;
        Ok(s)
    }

    /// Replace the world with a freshly built scenario (configuration is kept; flow control
    /// goes back to the scenario's defaults).
    pub fn load(&mut self, spec: ScenarioSpec) -> Result<(), String> {
        let now = self.clock.now();
        let mut world = World::new(spec.seed, self.world.config.clone());
        match spec.name.as_str() {
            "demo" => scenarios::demo::load(&mut world, &self.extra_keys, now),
            "scale" => scenarios::scale::load(
                &mut world,
                &self.extra_keys,
                spec.instances,
                spec.regions,
                now,
            )?,
            other => return Err(format!("unknown scenario '{other}' (demo, scale)")),
        }
        self.world = world;
        self.faults = Faults::new(spec.seed);
        self.guard.clear();
        self.calls.clear();
        self.throttled.clear();
        self.flow = FlowControl::new(FlowConfig::for_scenario(&spec.name));
        self.scenario = spec;
        Ok(())
    }

    /// The simulated time, after applying every event due.
    pub fn now(&mut self) -> SimTime {
        let now = self.clock.now();
        self.world.advance(now);
        now
    }
}
