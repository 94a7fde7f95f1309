//! The in-guest `app-snapshot-plugin` (version 1.8) as observed on real instances
//! (reference §4.5): checks the instance RAM role and its permissions, the disks, the user's
//! freeze/thaw scripts, freezes every mounted file system (Windows: VSS), creates the
//! snapshot-consistent group, thaws, tags each snapshot `APPConsistent:True` or
//! `FsConsistent:True`, writes its log inside the guest and prints the group id last.
//!
//! In three parts: `preflight` (may the run go on), `consistency` (what it can reach),
//! `schedule` (its timeline); `params` parses its command line, `run` is its handle.

pub mod consistency;
pub mod params;
pub mod preflight;
pub mod run;
pub mod schedule;

#[cfg(test)]
mod tests;

use crate::clock::SimTime;
use crate::world::model::guest::PLUGIN_VERSION;
use crate::world::model::os::OsType;
use crate::world::plugin::params::{exit, parse_params};
use crate::world::plugin::preflight::{check_disks, check_os, check_role};
use crate::world::plugin::run::Run;
use crate::world::task::TaskRef;
use crate::world::World;

/// Start the plugin for one instance of an invocation; `raw` is its `--params` value.
pub fn start(w: &mut World, task: &TaskRef, raw: &str, at: SimTime) {
    let Ok(reg) = w.region_mut(&task.account, &task.region) else {
        return;
    };
    let Some(inst) = reg.instances.get(&task.instance_id).cloned() else {
        return;
    };
    let disks: Vec<_> = reg
        .disks_of(&task.instance_id)
        .into_iter()
        .cloned()
        .collect();
    let Ok(account) = w.account(&task.account) else {
        return;
    };
    let ram = account.ram.clone();
    let limit = w.config.snapshot_group_disk_limit;
    let run = Run::new(task.clone(), inst.guest.plugin_log_path(at));
    let linux = inst.os.os_type == OsType::Linux;
    let info = |w: &mut World, msg: &str| run.log(w, at, "INFO", msg);
    info(w, &format!("app-snapshot-plugin {PLUGIN_VERSION} start"));
    info(w, &format!("Params: {raw}"));
    info(
        w,
        &format!(
            "Get InstanceId={} RegionId={} from meta-server",
            task.instance_id, task.region
        ),
    );
    info(
        w,
        &format!(
            "{}: {}",
            if linux { "lsb_release" } else { "OS" },
            inst.os.pretty
        ),
    );
    let p = match parse_params(raw, inst.os.os_type, at) {
        Ok(p) => p,
        Err(e) => return run.fail(w, at, exit::BAD_PARAMS, &format!("Invalid params: {e}")),
    };
    if let Err(r) = check_os(&inst).and_then(|()| check_role(&inst, &ram, &p)) {
        return run.fail(w, at, r.exit, &r.message);
    }
    for d in &disks {
        info(
            w,
            &format!(
                "Disk {} category {} device {} size {}GiB",
                d.id, d.category, d.device, d.size_gib
            ),
        );
    }
    if let Err(r) = check_disks(&disks, limit, &p) {
        return run.fail(w, at, r.exit, &r.message);
    }
    let mount_list = inst
        .guest
        .mounts
        .iter()
        .map(|m| format!("{}({})", m.mount_point, m.fs_type))
        .collect::<Vec<_>>()
        .join(" ");
    info(w, &format!("Found mounted volumes: {mount_list}"));
    let decision = consistency::decide(&inst.guest, inst.os.os_type, &p);
    for (level, note) in &decision.notes {
        run.log(w, at, level.as_str(), note);
    }
    schedule::schedule(w, &run, &inst.guest, linux, &p, &decision, at);
}
