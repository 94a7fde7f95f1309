//! The in-guest `app-snapshot-plugin` (version 1.8) as observed on real instances
//! (reference §4.5): checks the instance RAM role and its permissions, the disks, the user's
//! freeze/thaw scripts, freezes every mounted file system (Windows: VSS), creates the
//! snapshot-consistent group, thaws, tags each snapshot `APPConsistent:True` or
//! `FsConsistent:True`, writes its log inside the guest and prints the group id last.
//! The thaw is scheduled on every path: a guest is never left frozen.

use std::sync::{Arc, Mutex};

use super::cloud_assistant::{append_output, finish, still_running};
use super::guest::Mount;
use super::guest_scripts::simulate_script;
use super::instances::{Instance, OsType};
use super::ram::PLUGIN_ACTIONS;
use super::snapshots::{create_group, GroupRequest};
use super::{FreezeRecord, World};
use crate::clock::{iso, log_time, minute_compact, SimTime};

/// Exit codes of the simulated plugin. Sandbox-chosen: the real table is not public.
pub mod exit {
    pub const BAD_PARAMS: i64 = 2;
    pub const RAM_ROLE: i64 = 3;
    pub const RAM_PERMISSION: i64 = 4;
    pub const DISKS: i64 = 5;
    pub const FREEZE_FAILED: i64 = 6;
    pub const SNAPSHOT_FAILED: i64 = 7;
    pub const FREEZE_TIMEOUT: i64 = 8;
    pub const UNSUPPORTED_OS: i64 = 9;
}

/// Parameters as the plugin logs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginParams {
    pub ram_role_name: String,
    pub enable_fs_freeze: bool,
    pub timeout_secs: u64,
    pub pre_script: String,
    pub post_script: String,
    pub exclude_disk_ids: Vec<String>,
    pub name: String,
    pub description: String,
    pub enable_writers: bool,
    pub retention_days: Option<u32>,
    pub instant_access: bool,
    pub instant_access_retention_days: Option<u32>,
}

const KEYS: &[&str] = &[
    "RamRoleName",
    "EnableFsFreeze",
    "TimeoutInSeconds",
    "PreScriptPath",
    "PostScriptPath",
    "ExcludeDiskId",
    "Name",
    "Description",
    "EnableWriters",
    "RetentionDays",
    "InstantAccess",
    "InstantAccessRetentionDays",
];

/// The `--params` argument of an `acs-plugin-manager --exec --plugin app-snapshot-plugin` call.
pub fn extract_plugin_call(script: &str) -> Option<String> {
    let line = script.lines().find(|l| {
        l.contains("acs-plugin-manager")
            && l.contains("app-snapshot-plugin")
            && l.contains("--exec")
    })?;
    let after = line[line.find("--params")? + "--params".len()..].trim_start();
    let after = after.strip_prefix('=').unwrap_or(after).trim_start();
    match after.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let body = &after[1..];
            Some(body[..body.find(q).unwrap_or(body.len())].to_string())
        }
        _ => Some(after.split_whitespace().next().unwrap_or("").to_string()),
    }
}

/// Split `-Key=value` / `--Key=value` arguments; values may contain spaces.
pub fn split_params(raw: &str) -> Vec<(String, String)> {
    let bytes = raw.as_bytes();
    let mut starts = Vec::new();
    for i in 0..bytes.len() {
        if bytes[i] == b'-' && (i == 0 || bytes[i - 1] == b' ') {
            let rest = raw[i..].trim_start_matches('-');
            let key_len = rest.find('=').unwrap_or(0);
            if key_len > 0 && rest[..key_len].chars().all(|c| c.is_ascii_alphanumeric()) {
                starts.push(i);
            }
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let end = starts.get(n + 1).copied().unwrap_or(raw.len());
            let part = raw[s..end].trim().trim_start_matches('-');
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (k.to_string(), v.trim().to_string())
        })
        .collect()
}

fn parse_bool(key: &str, v: &str, default: bool) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!(
            "invalid value '{v}' for {key}: expected true or false"
        )),
    }
}

fn parse_num(key: &str, v: &str) -> Result<Option<u32>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| format!("invalid value '{v}' for {key}: expected a number"))
}

pub fn parse_params(raw: &str, os: OsType, now: SimTime) -> Result<PluginParams, String> {
    let pairs = split_params(raw);
    let get = |key: &str| -> String {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, _)| !KEYS.iter().any(|known| known.eq_ignore_ascii_case(k)))
    {
        return Err(format!("unknown parameter '{k}'"));
    }
    let ram_role_name = get("RamRoleName");
    if ram_role_name.is_empty() {
        return Err("RamRoleName is required".into());
    }
    let linux = os == OsType::Linux;
    let name = get("Name");
    Ok(PluginParams {
        ram_role_name,
        enable_fs_freeze: parse_bool("EnableFsFreeze", &get("EnableFsFreeze"), true)?,
        timeout_secs: match parse_num("TimeoutInSeconds", &get("TimeoutInSeconds"))? {
            Some(0) => {
                return Err("invalid value '0' for TimeoutInSeconds: expected at least 1".into())
            }
            t => u64::from(t.unwrap_or(30)),
        },
        pre_script: if linux {
            get("PreScriptPath")
        } else {
            String::new()
        },
        post_script: if linux {
            get("PostScriptPath")
        } else {
            String::new()
        },
        exclude_disk_ids: get("ExcludeDiskId")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        name: if name.is_empty() {
            format!("Created_At_{}", minute_compact(now))
        } else {
            name
        },
        description: get("Description"),
        enable_writers: parse_bool("EnableWriters", &get("EnableWriters"), true)?,
        retention_days: parse_num("RetentionDays", &get("RetentionDays"))?,
        instant_access: parse_bool("InstantAccess", &get("InstantAccess"), true)?,
        instant_access_retention_days: parse_num(
            "InstantAccessRetentionDays",
            &get("InstantAccessRetentionDays"),
        )?,
    })
}

/// OS versions the feature supports (reference §7.1).
pub fn os_supported(inst: &Instance) -> bool {
    let v: Vec<u32> = inst
        .os
        .version
        .split(['.', ' '])
        .filter_map(|p| p.parse().ok())
        .collect();
    let at_least = |major: u32, minor: u32| {
        v.first().copied().unwrap_or(0) > major
            || (v.first() == Some(&major) && v.get(1).copied().unwrap_or(0) >= minor)
    };
    match inst.os.distro.as_str() {
        "centos" => at_least(7, 6),
        "ubuntu" => at_least(18, 4),
        "alinux" => at_least(2, 0),
        "windows" => ["2012 R2", "2016", "2019", "2022"].contains(&inst.os.version.as_str()),
        _ => false,
    }
}

/// Where one plugin run writes and who it belongs to.
#[derive(Debug, Clone)]
struct Run {
    account: String,
    region: String,
    invoke: String,
    instance: String,
    log_path: String,
    state: Arc<Mutex<RunState>>,
}

#[derive(Debug, Default)]
struct RunState {
    group_id: Option<String>,
}

impl Run {
    fn log(&self, w: &mut World, at: SimTime, level: &str, msg: &str) {
        if let Ok(reg) = w.region_mut(&self.account, &self.region) {
            if let Some(inst) = reg.instances.get_mut(&self.instance) {
                inst.guest.append_line(
                    &self.log_path,
                    &format!("{} [{level}] {msg}", log_time(at)),
                    at,
                );
            }
        }
        append_output(
            w,
            &self.account,
            &self.region,
            &self.invoke,
            &self.instance,
            &format!("[{level}] {msg}\n"),
            at,
        );
    }

    fn fail(&self, w: &mut World, at: SimTime, code: i64, msg: &str) {
        self.log(w, at, "ERROR", msg);
        let tail = match self.group_id() {
            Some(g) => format!("{g}\n"),
            None => String::new(),
        };
        finish(
            w,
            &self.account,
            &self.region,
            &self.invoke,
            &self.instance,
            code,
            &tail,
            at,
        );
    }

    fn running(&self, w: &mut World) -> bool {
        still_running(w, &self.account, &self.region, &self.invoke, &self.instance)
    }

    fn group_id(&self) -> Option<String> {
        self.state
            .lock()
            .map(|s| s.group_id.clone())
            .unwrap_or(None)
    }

    /// Schedule a step that only runs while the task is still running.
    fn then(
        &self,
        w: &mut World,
        at: SimTime,
        step: impl FnOnce(&mut World, SimTime, &Run) + Send + 'static,
    ) {
        let run = self.clone();
        w.schedule(at, move |w, at| {
            if run.running(w) {
                step(w, at, &run);
            }
        });
    }
}

/// Freeze the given mount points of a guest, recording it.
fn freeze(w: &mut World, run: &Run, mounts: &[String], at: SimTime) {
    if let Ok(reg) = w.region_mut(&run.account, &run.region) {
        if let Some(inst) = reg.instances.get_mut(&run.instance) {
            inst.guest.frozen = Some(super::guest::Frozen {
                mount_points: mounts.to_vec(),
                since: at,
                invoke_id: run.invoke.clone(),
            });
        }
    }
    w.freeze_history.push(FreezeRecord {
        account_id: run.account.clone(),
        region_id: run.region.clone(),
        instance_id: run.instance.clone(),
        invoke_id: run.invoke.clone(),
        mount_points: mounts.to_vec(),
        frozen_at: iso(at),
        thawed_at: None,
        thaw_reason: None,
    });
}

/// Thaw a guest if it is frozen (any path: completion, failure, timeout, stop).
pub fn thaw_if_frozen(
    w: &mut World,
    account: &str,
    region: &str,
    instance: &str,
    at: SimTime,
    reason: &str,
) -> bool {
    let Ok(reg) = w.region_mut(account, region) else {
        return false;
    };
    let Some(inst) = reg.instances.get_mut(instance) else {
        return false;
    };
    if inst.guest.frozen.take().is_none() {
        return false;
    }
    if let Some(rec) = w
        .freeze_history
        .iter_mut()
        .rev()
        .find(|r| r.instance_id == instance && r.thawed_at.is_none())
    {
        rec.thawed_at = Some(iso(at));
        rec.thaw_reason = Some(reason.to_string());
    }
    true
}

/// Start the plugin for one instance of an invocation.
pub fn start(
    w: &mut World,
    account: &str,
    region: &str,
    invoke: &str,
    instance: &str,
    raw: &str,
    at: SimTime,
) {
    let Ok(reg) = w.region_mut(account, region) else {
        return;
    };
    let Some(inst) = reg.instances.get(instance).cloned() else {
        return;
    };
    let disks: Vec<_> = reg.disks_of(instance).into_iter().cloned().collect();
    let run = Run {
        account: account.into(),
        region: region.into(),
        invoke: invoke.into(),
        instance: instance.into(),
        log_path: inst.guest.plugin_log_path(at),
        state: Arc::default(),
    };
    let linux = inst.os.os_type == OsType::Linux;
    run.log(
        w,
        at,
        "INFO",
        &format!("app-snapshot-plugin {} start", super::guest::PLUGIN_VERSION),
    );
    run.log(w, at, "INFO", &format!("Params: {raw}"));
    run.log(
        w,
        at,
        "INFO",
        &format!("Get InstanceId={instance} RegionId={region} from meta-server"),
    );
    run.log(
        w,
        at,
        "INFO",
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
    if !os_supported(&inst) {
        return run.fail(
            w,
            at,
            exit::UNSUPPORTED_OS,
            &format!(
                "Unsupported OS for app-consistent snapshot: {}",
                inst.os.pretty
            ),
        );
    }

    // The plugin acts with the instance's RAM role (credentials from the meta-server).
    let attached = inst.ram_role.clone().unwrap_or_default();
    if !attached.eq_ignore_ascii_case(&p.ram_role_name) {
        let why = if attached.is_empty() {
            "no RAM role is attached to this instance".to_string()
        } else {
            format!(
                "the instance has RAM role {attached} attached, not {}",
                p.ram_role_name
            )
        };
        return run.fail(
            w,
            at,
            exit::RAM_ROLE,
            &format!(
                "Get STS credentials of RAM role {} from meta-server failed: {why}",
                p.ram_role_name
            ),
        );
    }
    let ram = match w.account(account) {
        Ok(a) => a.ram.clone(),
        Err(_) => return,
    };
    if ram.role(&p.ram_role_name).is_none() {
        return run.fail(
            w,
            at,
            exit::RAM_ROLE,
            &format!(
                "RAM role {} does not exist (EntityNotExist.Role)",
                p.ram_role_name
            ),
        );
    }
    let missing: Vec<&str> = PLUGIN_ACTIONS
        .iter()
        .copied()
        .filter(|a| !ram.role_allows(&p.ram_role_name, a))
        .collect();
    if !missing.is_empty() {
        return run.fail(w, at, exit::RAM_PERMISSION, &format!("RAM role {} has no permission for {} (Forbidden.RAM: User not authorized to operate on the specified resource). Grant ecs:DescribeSnapshot*, ecs:CreateSnapshot*, ecs:TagResources and ecs:DescribeDisks.", p.ram_role_name, missing.join(", ")));
    }

    // Disks and categories.
    for d in &disks {
        run.log(
            w,
            at,
            "INFO",
            &format!(
                "Disk {} category {} device {} size {}GiB",
                d.id, d.category, d.device, d.size_gib
            ),
        );
    }
    for x in &p.exclude_disk_ids {
        if !disks.iter().any(|d| &d.id == x) {
            return run.fail(
                w,
                at,
                exit::DISKS,
                &format!("ExcludeDiskId {x} is not attached to this instance"),
            );
        }
    }
    let included: Vec<_> = disks
        .iter()
        .filter(|d| !p.exclude_disk_ids.contains(&d.id))
        .collect();
    if included.is_empty() {
        return run.fail(w, at, exit::DISKS, "All attached ESSD Disks were excluded");
    }
    if let Some(bad) = included.iter().find(|d| !d.group_eligible()) {
        return run.fail(w, at, exit::DISKS, &format!("Disk {} category {} is not supported, only cloud_essd, cloud_auto and cloud_essd_entry disks can be in a snapshot group", bad.id, bad.category));
    }
    let limit = w.config.snapshot_group_disk_limit;
    if included.len() > limit {
        return run.fail(w, at, exit::DISKS, &format!("{} disks are attached but a snapshot group holds at most {limit}; exclude some with ExcludeDiskId", included.len()));
    }

    // What will be frozen: every mounted file system, excluded disks included.
    let mounts: Vec<Mount> = inst.guest.mounts.clone();
    let mount_list = mounts
        .iter()
        .map(|m| format!("{}({})", m.mount_point, m.fs_type))
        .collect::<Vec<_>>()
        .join(" ");
    run.log(
        w,
        at,
        "INFO",
        &format!("Found mounted volumes: {mount_list}"),
    );

    // Consistency the run can reach, and why not more.
    let freeze_on = !linux || p.enable_fs_freeze;
    let mut app = false;
    if linux {
        if !p.enable_fs_freeze {
            run.log(w, at, "WARN", "EnableFsFreeze is false: file systems are not frozen and Pre/Post-Script are skipped");
        } else if p.pre_script.is_empty() || p.post_script.is_empty() {
            run.log(
                w,
                at,
                "WARN",
                "PreScriptPath/PostScriptPath not set, take FsConsistent snapshots",
            );
        } else {
            let mut found = true;
            let mut perm = true;
            for path in [&p.pre_script, &p.post_script] {
                match inst.guest.files.get(path.as_str()) {
                    None => {
                        found = false;
                        run.log(w, at, "WARN", &format!("File {path} not found"));
                    }
                    Some(f) if f.owner != "root" || f.mode & 0o7777 != 0o700 => {
                        perm = false;
                        run.log(
                            w,
                            at,
                            "WARN",
                            &format!(
                                "{path}: owner {} mode {:04o}, expected owner root mode 0700",
                                f.owner, f.mode
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            if !found {
                run.log(w, at, "WARN", "Pre/Post-Script files were not found!");
            } else if !perm {
                run.log(w, at, "WARN", "Pre/Post-Script have no Expected Permission");
            }
            app = found && perm;
            if !app {
                run.log(w, at, "WARN", "No such Pre/Post-Script files or have no \"execute\" Permission, take FsConsistent snapshots");
            }
        }
    } else if !p.enable_writers {
        run.log(
            w,
            at,
            "INFO",
            "EnableWriters is false: VSS shadow copy without application writers",
        );
    } else if let Some(wr) = inst.guest.behaviour.vss_writer_fails.clone() {
        run.log(w, at, "WARN", &format!("VSS writer '{wr}' is in state [8] Failed, last error: Non-retryable error; create shadow copy without writers"));
    } else {
        app = true;
        run.log(
            w,
            at,
            "INFO",
            &format!(
                "VSS writers included: {}",
                inst.guest.vss_writers.join(", ")
            ),
        );
    }

    // Timeline.
    let t0 = at + 200;
    let (pre_ms, pre_ok) = if linux && app {
        let r = simulate_script(&inst.guest, &p.pre_script, true, p.timeout_secs);
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
    } else {
        (0, false)
    };
    let app = app && (pre_ok || !linux);
    if linux && !app && freeze_on && pre_ms > 0 {
        let tf = t0 + pre_ms;
        run.then(w, tf, |w, at, run| {
            run.log(
                w,
                at,
                "WARN",
                "Prescript did not succeed, fall back to FsConsistent snapshots",
            )
        });
    }
    let t_freeze = t0 + pre_ms;
    let frozen_points: Vec<String> = mounts.iter().map(|m| m.mount_point.clone()).collect();
    let network = mounts.iter().find(|m| m.is_network()).cloned();
    let timeout_ms = p.timeout_secs as SimTime * 1000;
    let stall = inst.guest.behaviour.freeze_stall;

    if freeze_on {
        let pts = frozen_points.clone();
        run.then(w, t_freeze, move |w, at, run| {
            freeze(w, run, &pts, at);
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
                    pts.join(" "),
                    timeout_ms / 1000
                ),
            );
        });
        if let Some(m) = network {
            // fsfreeze on a network file system fails; thaw what was frozen and stop.
            let tf = t_freeze + 50;
            let run2 = run.clone();
            w.schedule(tf, move |w, at| {
                thaw_if_frozen(
                    w,
                    &run2.account,
                    &run2.region,
                    &run2.instance,
                    at,
                    "freeze failed",
                );
                if run2.running(w) {
                    run2.log(
                        w,
                        at,
                        "ERROR",
                        &format!(
                            "fsfreeze {} ({}) failed: Operation not supported",
                            m.mount_point, m.fs_type
                        ),
                    );
                    run2.log(w, at, "INFO", "Thaw all mount points");
                    run2.fail(
                        w,
                        at,
                        exit::FREEZE_FAILED,
                        "FsFreeze failed: network or shared file systems cannot be frozen",
                    );
                }
            });
            return;
        }
    }

    // Snapshot group (a stalled creation only returns after the freeze timed out).
    let t_create = if stall && freeze_on {
        t_freeze + timeout_ms + 500
    } else {
        t_freeze + 200
    };
    let t_thaw = if stall && freeze_on {
        t_freeze + timeout_ms
    } else {
        (t_create + 800).min(t_freeze + timeout_ms)
    };
    let group_req = GroupRequest {
        instance_id: Some(instance.to_string()),
        exclude_disk_ids: p.exclude_disk_ids.clone(),
        name: p.name.clone(),
        description: p.description.clone(),
        instant_access: p.instant_access,
        instant_access_retention_days: p.instant_access_retention_days,
        retention_days: p.retention_days,
        ..Default::default()
    };
    run.then(w, t_create, move |w, at, run| {
        match create_group(w, &run.account, &run.region, &group_req, at) {
            Ok(gid) => {
                if let Ok(mut s) = run.state.lock() {
                    s.group_id = Some(gid.clone());
                }
                run.log(
                    w,
                    at,
                    "INFO",
                    &format!("Create snapshot group success, GroupId={gid}"),
                );
            }
            Err(e) => {
                thaw_if_frozen(
                    w,
                    &run.account,
                    &run.region,
                    &run.instance,
                    at,
                    "snapshot failed",
                );
                run.fail(
                    w,
                    at,
                    exit::SNAPSHOT_FAILED,
                    &format!("CreateSnapshotGroup failed: {}: {}", e.code, e.message),
                );
            }
        }
    });

    // The thaw always happens: scheduled unconditionally, not only while running.
    if freeze_on {
        let run2 = run.clone();
        w.schedule(t_thaw, move |w, at| {
            let reason = if stall { "freeze timeout" } else { "completed" };
            if thaw_if_frozen(w, &run2.account, &run2.region, &run2.instance, at, reason)
                && run2.running(w)
            {
                if stall {
                    run2.log(
                        w,
                        at,
                        "ERROR",
                        "Timedout to receive Thaw from parent process",
                    );
                    run2.log(
                        w,
                        at,
                        "ERROR",
                        "FsFreeze was interrupted by cancel or timeout context deadline exceeded",
                    );
                } else {
                    run2.log(
                        w,
                        at,
                        "INFO",
                        "Snapshots are available, thaw all mount points",
                    );
                }
            }
        });
    }
    if stall && freeze_on {
        run.then(w, t_create + 100, |w, at, run| {
            run.fail(w, at, exit::FREEZE_TIMEOUT, "Snapshots were taken after the freeze timed out; they are crash-consistent and were not tagged");
        });
        return;
    }

    // The thaw script runs after the snapshots exist but before they are tagged: when it
    // fails, the application's state is not vouched for, so the run falls back to
    // FsConsistent like every other script failure (issue 4's rule).
    let (post_ms, post_ok) = if linux && app {
        let r = simulate_script(&inst.guest, &p.post_script, false, p.timeout_secs);
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
    } else {
        (0, true)
    };
    let t_tag = t_thaw + post_ms + 150;
    let tag = if !freeze_on {
        None
    } else if app && post_ok {
        Some("APPConsistent")
    } else {
        Some("FsConsistent")
    };
    run.then(w, t_tag, move |w, at, run| {
        let Some(gid) = run.group_id() else { return };
        let Ok(reg) = w.region_mut(&run.account, &run.region) else {
            return;
        };
        let ids = reg
            .snapshot_groups
            .get(&gid)
            .map(|g| g.snapshot_ids.clone())
            .unwrap_or_default();
        if let Some(key) = tag {
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
    let t_end = t_tag + 100;
    let prepare = pre_ms + 200;
    run.then(w, t_end, move |w, at, run| {
        let Some(gid) = run.group_id() else { return };
        let done = match tag {
            Some("APPConsistent") => "Take APPConsistent snapshots successfully",
            Some(_) => "Take FsConsistent snapshots successfully",
            None => "Take snapshots successfully (crash-consistent, no freeze)",
        };
        run.log(w, at, "INFO", done);
        run.log(w, at, "INFO", &format!("Prepare Freeze={prepare}ms, Thaw cost={}ms, Snapshot Creation={}ms, Tag Resources=150ms", t_thaw - t_freeze, t_thaw - t_create));
        if linux {
            run.log(w, at, "INFO", &format!("Prescript cost={pre_ms}ms, Postscript cost={post_ms}ms"));
        }
        finish(w, &run.account, &run.region, &run.invoke, &run.instance, 0, &format!("{gid}\n"), at);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_params_of_a_plugin_call() {
        let s = "#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"--RamRoleName=R -Name=x\"\n";
        assert_eq!(
            extract_plugin_call(s).as_deref(),
            Some("--RamRoleName=R -Name=x")
        );
        let s = "& \"C:\\x\\acs-plugin-manager.exe\" --exec --plugin app-snapshot-plugin --params '-RamRoleName=R'";
        assert_eq!(extract_plugin_call(s).as_deref(), Some("-RamRoleName=R"));
        assert_eq!(extract_plugin_call("echo acs-plugin-manager"), None);
    }

    #[test]
    fn values_may_contain_spaces_and_defaults_apply() {
        let p = parse_params("--RamRoleName=AppSnapshotRoleName -Description=nightly db run -ExcludeDiskId=d-1,d-2 -TimeoutInSeconds=", OsType::Linux, 0).unwrap();
        assert_eq!(p.description, "nightly db run");
        assert_eq!(p.exclude_disk_ids, vec!["d-1", "d-2"]);
        assert_eq!(p.timeout_secs, 30);
        assert!(p.enable_fs_freeze && p.instant_access);
        assert_eq!(p.name, "Created_At_197001010000");
        assert!(parse_params("-EnableFsFreeze=true", OsType::Linux, 0)
            .unwrap_err()
            .contains("RamRoleName"));
        assert!(parse_params("-RamRoleName=R -Bogus=1", OsType::Linux, 0).is_err());
        assert!(parse_params("-RamRoleName=R -EnableFsFreeze=yes", OsType::Linux, 0).is_err());
        assert!(
            parse_params("-RamRoleName=R -TimeoutInSeconds=0", OsType::Linux, 0)
                .unwrap_err()
                .contains("TimeoutInSeconds")
        );
    }
}
