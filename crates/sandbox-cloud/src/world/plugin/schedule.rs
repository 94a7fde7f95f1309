//! The run's timeline once the pre-flight passed: prescript, freeze, snapshot group, thaw,
//! postscript, tags, the end. Steps are scheduled in this order (events at the same time
//! run in scheduling order). The thaw is scheduled on every path that froze: a guest is
//! never left frozen.

use crate::clock::SimTime;
use crate::world::model::guest::{Guest, Mount};
use crate::world::model::snapshot::GroupRequest;
use crate::world::model::status::ThawReason;
use crate::world::plugin::consistency::Decision;
use crate::world::plugin::params::{exit, PluginParams};
use crate::world::plugin::run::Run;
use crate::world::snapshot_groups::create_group;
use crate::world::user_script::simulate_script;
use crate::world::World;

/// The tag the snapshots get (`<key>:True`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Consistency {
    App,
    Fs,
}

impl Consistency {
    fn tag_key(self) -> &'static str {
        match self {
            Consistency::App => "APPConsistent",
            Consistency::Fs => "FsConsistent",
        }
    }
}

/// What the end-of-run summary reports.
struct Costs {
    pre_ms: SimTime,
    post_ms: SimTime,
    t_freeze: SimTime,
    t_create: SimTime,
    t_thaw: SimTime,
}

pub fn schedule(
    w: &mut World,
    run: &Run,
    guest: &Guest,
    linux: bool,
    p: &PluginParams,
    d: &Decision,
    at: SimTime,
) {
    let t0 = at + 200;
    let (pre_ms, pre_ok) = if linux && d.app {
        prescript(w, run, guest, p, t0)
    } else {
        (0, false)
    };
    let app = d.app && (pre_ok || !linux);
    if linux && !app && d.freeze && pre_ms > 0 {
        run.then(w, t0 + pre_ms, |w, at, run| {
            run.log(
                w,
                at,
                "WARN",
                "Prescript did not succeed, fall back to FsConsistent snapshots",
            )
        });
    }
    let t_freeze = t0 + pre_ms;
    let timeout_ms = p.timeout_secs as SimTime * 1000;
    if d.freeze {
        freeze(w, run, &guest.mounts, linux, timeout_ms, t_freeze);
        if let Some(m) = guest.mounts.iter().find(|m| m.is_network()).cloned() {
            network_freeze_fails(w, run, m, t_freeze + 50);
            return;
        }
    }

    // A hung guest (control API `stall`): nothing after the freeze ever happens; the end
    // of the invocation thaws it (agent timeout, StopInvocation, instance stop).
    if guest.behaviour.stall {
        return;
    }

    // A stalled creation only returns after the freeze timed out.
    let stalled = guest.behaviour.freeze_stall && d.freeze;
    let t_create = if stalled {
        t_freeze + timeout_ms + 500
    } else {
        t_freeze + 200
    };
    let t_thaw = if stalled {
        t_freeze + timeout_ms
    } else {
        (t_create + 800).min(t_freeze + timeout_ms)
    };
    snapshot_group(w, run, p, t_create);
    if d.freeze {
        thaw(w, run, stalled, t_thaw);
    }
    if stalled {
        run.then(w, t_create + 100, |w, at, run| {
            run.fail(w, at, exit::FREEZE_TIMEOUT, "Snapshots were taken after the freeze timed out; they are crash-consistent and were not tagged");
        });
        return;
    }

    // The thaw script runs after the snapshots exist but before they are tagged: when it
    // fails, the application's state is not vouched for, so the run falls back to
    // FsConsistent like every other script failure (issue 4's rule).
    let (post_ms, post_ok) = if linux && app {
        postscript(w, run, guest, p, t_thaw)
    } else {
        (0, true)
    };
    let t_tag = t_thaw + post_ms + 150;
    let tag = match (d.freeze, app && post_ok) {
        (false, _) => None,
        (true, true) => Some(Consistency::App),
        (true, false) => Some(Consistency::Fs),
    };
    tag_snapshots(w, run, tag, t_tag);
    let costs = Costs {
        pre_ms,
        post_ms,
        t_freeze,
        t_create,
        t_thaw,
    };
    end(w, run, tag, linux, costs, t_tag + 100);
}

/// Schedule the prescript's start and result lines; its duration and success.
fn prescript(
    w: &mut World,
    run: &Run,
    guest: &Guest,
    p: &PluginParams,
    t0: SimTime,
) -> (SimTime, bool) {
    let r = simulate_script(guest, &p.pre_script, true, p.timeout_secs);
    let (path, r2) = (p.pre_script.clone(), r.clone());
    run.then(w, t0, move |w, at, run| {
        run.log(w, at, "INFO", &format!("Run prescript {path}"))
    });
    run.then(w, t0 + r.duration_ms, move |w, at, run| {
        if r2.timed_out {
            run.log(w, at, "WARN", &format!("Prescript timeout: {}", r2.output));
        } else if r2.exit_code != 0 {
            run.log(
                w,
                at,
                "WARN",
                &format!(
                    "Prescript failed, exit code {}: {}",
                    r2.exit_code,
                    r2.output.replace('\n', " | ")
                ),
            );
        } else {
            run.log(w, at, "INFO", &format!("Prescript success: {}", r2.output));
        }
    });
    (r.duration_ms, r.exit_code == 0)
}

/// Freeze every mounted file system, excluded disks included.
fn freeze(
    w: &mut World,
    run: &Run,
    mounts: &[Mount],
    linux: bool,
    timeout_ms: SimTime,
    at: SimTime,
) {
    let points: Vec<String> = mounts.iter().map(|m| m.mount_point.clone()).collect();
    run.then(w, at, move |w, at, run| {
        crate::world::freeze::freeze(w, &run.task, &points, at);
        let what = if linux {
            "Freeze mount points"
        } else {
            "VSS freeze volumes"
        };
        run.log(
            w,
            at,
            "INFO",
            &format!(
                "{what}: {} (fsfreezer 1.0.0.8, timeout {}s)",
                points.join(" "),
                timeout_ms / 1000
            ),
        );
    });
}

/// fsfreeze on a network file system fails; thaw what was frozen and stop.
fn network_freeze_fails(w: &mut World, run: &Run, m: Mount, at: SimTime) {
    run.always(w, at, move |w, at, run| {
        run.thaw(w, at, ThawReason::FreezeFailed);
        if run.running(w) {
            run.log(
                w,
                at,
                "ERROR",
                &format!(
                    "fsfreeze {} ({}) failed: Operation not supported",
                    m.mount_point, m.fs_type
                ),
            );
            run.log(w, at, "INFO", "Thaw all mount points");
            run.fail(
                w,
                at,
                exit::FREEZE_FAILED,
                "FsFreeze failed: network or shared file systems cannot be frozen",
            );
        }
    });
}

fn snapshot_group(w: &mut World, run: &Run, p: &PluginParams, at: SimTime) {
    let req = GroupRequest {
        instance_id: Some(run.task.instance_id.clone()),
        exclude_disk_ids: p.exclude_disk_ids.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        instant_access: p.instant_access,
        instant_access_retention_days: p.instant_access_retention_days,
        retention_days: p.retention_days,
        ..Default::default()
    };
    run.then(w, at, move |w, at, run| {
        match create_group(w, &run.task.account, &run.task.region, &req, at) {
            Ok(gid) => {
                run.set_group_id(&gid);
                run.log(
                    w,
                    at,
                    "INFO",
                    &format!("Create snapshot group success, GroupId={gid}"),
                );
            }
            Err(e) => {
                run.thaw(w, at, ThawReason::SnapshotFailed);
                run.fail(
                    w,
                    at,
                    exit::SNAPSHOT_FAILED,
                    &format!("CreateSnapshotGroup failed: {}: {}", e.code, e.message),
                );
            }
        }
    });
}

/// The thaw always happens: scheduled unconditionally, not only while running.
fn thaw(w: &mut World, run: &Run, stalled: bool, at: SimTime) {
    run.always(w, at, move |w, at, run| {
        let reason = if stalled {
            ThawReason::FreezeTimeout
        } else {
            ThawReason::Completed
        };
        if run.thaw(w, at, reason) && run.running(w) {
            if stalled {
                run.log(
                    w,
                    at,
                    "ERROR",
                    "Timedout to receive Thaw from parent process",
                );
                run.log(
                    w,
                    at,
                    "ERROR",
                    "FsFreeze was interrupted by cancel or timeout context deadline exceeded",
                );
            } else {
                run.log(
                    w,
                    at,
                    "INFO",
                    "Snapshots are available, thaw all mount points",
                );
            }
        }
    });
}

/// Schedule the postscript's result line; its duration and success.
fn postscript(
    w: &mut World,
    run: &Run,
    guest: &Guest,
    p: &PluginParams,
    t_thaw: SimTime,
) -> (SimTime, bool) {
    let r = simulate_script(guest, &p.post_script, false, p.timeout_secs);
    let path = p.post_script.clone();
    let r2 = r.clone();
    run.then(w, t_thaw + r.duration_ms, move |w, at, run| {
        if r2.exit_code == 0 {
            run.log(w, at, "INFO", &format!("Run postscript {path} success"));
        } else {
            run.log(
                w,
                at,
                "WARN",
                &format!(
                    "Run postscript {path} failed, exit code {}: {}; take FsConsistent snapshots",
                    r2.exit_code,
                    r2.output.replace('\n', " | ")
                ),
            );
        }
    });
    (r.duration_ms, r.exit_code == 0)
}

fn tag_snapshots(w: &mut World, run: &Run, tag: Option<Consistency>, at: SimTime) {
    run.then(w, at, move |w, at, run| {
        let Some(gid) = run.group_id() else { return };
        let Ok(reg) = w.region_mut(&run.task.account, &run.task.region) else {
            return;
        };
        let ids = reg
            .snapshot_groups
            .get(&gid)
            .map(|g| g.snapshot_ids.clone())
            .unwrap_or_default();
        if let Some(tag) = tag {
            let key = tag.tag_key();
            for sid in &ids {
                if let Some(s) = reg.snapshots.get_mut(sid) {
                    s.tags.set(key, "True");
                }
            }
            run.log(
                w,
                at,
                "INFO",
                &format!("Tag Resources {key}:True on {}", ids.join(",")),
            );
        }
    });
}

fn end(w: &mut World, run: &Run, tag: Option<Consistency>, linux: bool, c: Costs, at: SimTime) {
    let prepare = c.pre_ms + 200;
    run.then(w, at, move |w, at, run| {
        let Some(gid) = run.group_id() else { return };
        let done = match tag {
            Some(Consistency::App) => "Take APPConsistent snapshots successfully",
            Some(Consistency::Fs) => "Take FsConsistent snapshots successfully",
            None => "Take snapshots successfully (crash-consistent, no freeze)",
        };
        run.log(w, at, "INFO", done);
        run.log(w, at, "INFO", &format!("Prepare Freeze={prepare}ms, Thaw cost={}ms, Snapshot Creation={}ms, Tag Resources=150ms", c.t_thaw - c.t_freeze, c.t_thaw - c.t_create));
        if linux {
            run.log(w, at, "INFO", &format!("Prescript cost={}ms, Postscript cost={}ms", c.pre_ms, c.post_ms));
        }
        run.task.finish(w, 0, &format!("{gid}\n"), at);
    });
}
