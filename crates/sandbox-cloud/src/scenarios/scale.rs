//! The `scale` scenario: a seeded generator of N instances across M regions for benchmarks
//! (10k+). Mostly eligible instances, with the demo's ineligibility reasons sprinkled in.
//! The cloud has every public region (29); instances fill the first M, round robin, in
//! the table's order (the classic eight first, so smaller fleets keep their ids).

use super::{
    add_demo_account, add_instance, AgentKind, InstanceSpec, OsKind, ALL_OS, DEMO_ACCOUNT_ID,
};
use crate::clock::SimTime;
use crate::world::model::region::REGIONS;
use crate::world::model::status::InstanceStatus;
use crate::world::World;

pub fn load(
    world: &mut World,
    extra_admin_keys: &[(String, String)],
    instances: usize,
    regions: usize,
    now: SimTime,
) -> Result<(), String> {
    // Refuse rather than clamp: a benchmark must run on the size it says it ran on.
    if !(1..=REGIONS.len()).contains(&regions) {
        return Err(format!(
            "the scale scenario spreads instances over 1 to {} regions, not {regions}",
            REGIONS.len()
        ));
    }
    world.regions = REGIONS;
    add_demo_account(world, extra_admin_keys);
    for n in 0..instances {
        let region = REGIONS[n % regions].id;
        let roll = world.rng.below(100);
        let os = match roll {
            0..=29 => OsKind::CentOs79,
            30..=54 => OsKind::Ubuntu2204,
            55..=74 => OsKind::Alinux3,
            75..=86 => OsKind::Win2019,
            87..=95 => OsKind::Win2022,
            _ => ALL_OS[world.rng.below(ALL_OS.len() as u64) as usize],
        };
        let data_disks = 1 + world.rng.below(3) as usize;
        let mut spec = InstanceSpec::new(&format!("scale-{n:05}"), region, os);
        spec.disks = std::iter::once(("cloud_essd", 40))
            .chain(std::iter::repeat_n(("cloud_essd", 100), data_disks))
            .collect();
        match world.rng.below(50) {
            0 => spec.status = InstanceStatus::Stopped,
            1 => spec.agent = AgentKind::Offline,
            2 => spec.agent = AgentKind::Missing,
            3 => spec.disks[1].0 = "cloud_efficiency",
            _ => {}
        }
        spec.tags.push(("team".into(), format!("team-{}", n % 7)));
        add_instance(world, DEMO_ACCOUNT_ID, spec, now, n);
    }
    Ok(())
}
