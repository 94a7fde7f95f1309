//! The checks of one instance, from its facts. Facts the inventory could not read make
//! `unknown`, never `pass`; guest checks stay `unknown` until a deep check ran.

use super::os::{judge, OsVerdict};
use super::types::{
    Check, CheckId, CheckStatus, FileFact, FixAction, FleetInstance, GuestFacts, MountFact, Reason,
    ReasonKey, RoleFact, ScriptTestFact, TestVerdict, VssWriterFact,
};

/// Disk categories a snapshot-consistent group takes (§3.3, §3.14, §7.1).
pub const ESSD_FAMILY: [&str; 3] = ["cloud_essd", "cloud_auto", "cloud_essd_entry"];
/// File systems the plugin freezes (§7.1).
const FREEZABLE: [&str; 3] = ["ext3", "ext4", "xfs"];
/// Network and shared file systems: freezing them fails (§7.1).
const NETWORK_FS: [&str; 16] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb3",
    "smbfs",
    "glusterfs",
    "ceph",
    "cephfs",
    "lustre",
    "gpfs",
    "ocfs2",
    "gfs2",
    "9p",
    "davfs",
    "afs",
];
/// Kernel pseudo file systems a probe may list; nothing to freeze there.
const PSEUDO_FS: [&str; 14] = [
    "proc",
    "sysfs",
    "devtmpfs",
    "devpts",
    "tmpfs",
    "cgroup",
    "cgroup2",
    "securityfs",
    "debugfs",
    "tracefs",
    "mqueue",
    "hugetlbfs",
    "autofs",
    "overlay",
];
/// The freeze/thaw scripts the plugin runs (GUEST_SCRIPTS.md; §4.5).
pub const SCRIPT_PATHS: [&str; 2] = ["/tmp/prescript.sh", "/tmp/postscript.sh"];
/// Oldest agent that can receive files (SendFile, §3.13): Linux, Windows.
const AGENT_MINIMUM: (&str, &str) = ("1.0.2.569", "1.0.0.149");

pub fn checks(i: &FleetInstance, group_disk_limit: u32) -> Vec<Check> {
    let windows = i.os_type == "windows";
    let mut out = vec![
        running(i),
        os(i),
        disks_essd(i),
        disk_count(i, group_disk_limit),
    ];
    out.extend(agent(i, windows));
    out.extend(role(i));
    if windows {
        out.push(guest_check(i, CheckId::VssWriters, |g| match g {
            GuestFacts::Probed { vss_writers, .. } => Some(writers(vss_writers)),
            GuestFacts::Failed { .. } => None,
        }));
    } else {
        out.push(guest_check(i, CheckId::FileSystems, |g| match g {
            GuestFacts::Probed { mounts, .. } => Some(file_systems(mounts)),
            GuestFacts::Failed { .. } => None,
        }));
        out.push(guest_check(i, CheckId::FreezeScripts, |g| match g {
            GuestFacts::Probed { files, .. } => Some(scripts(files, i.script_test.as_ref())),
            GuestFacts::Failed { .. } => None,
        }));
    }
    out
}

fn check(id: CheckId, status: CheckStatus, key: ReasonKey, params: &[(&str, String)]) -> Check {
    Check {
        id,
        status,
        reason: Reason::new(key, params),
        fix: None,
    }
}

fn with_fix(mut c: Check, fix: FixAction) -> Check {
    c.fix = Some(fix);
    c
}

fn running(i: &FleetInstance) -> Check {
    use CheckStatus::*;
    if i.status == "Running" {
        return check(CheckId::Running, Pass, ReasonKey::InstanceRunning, &[]);
    }
    let c = check(
        CheckId::Running,
        Fail,
        ReasonKey::InstanceNotRunning,
        &[("status", i.status.clone())],
    );
    if i.status == "Stopped" {
        with_fix(c, FixAction::StartInstance)
    } else {
        c
    }
}

fn os(i: &FleetInstance) -> Check {
    use CheckStatus::*;
    let (short, verdict) = judge(&i.os_type, &i.os_name_en, &i.os_name);
    let os = [("os", short.clone())];
    match verdict {
        OsVerdict::Supported => check(CheckId::OsSupported, Pass, ReasonKey::OsSupported, &os),
        OsVerdict::Newer => check(
            CheckId::OsSupported,
            Warn,
            ReasonKey::OsNewerThanMatrix,
            &os,
        ),
        OsVerdict::NotInMatrix => check(CheckId::OsSupported, Fail, ReasonKey::OsNotInMatrix, &os),
        OsVerdict::TooOld { minimum } => check(
            CheckId::OsSupported,
            Fail,
            ReasonKey::OsTooOld,
            &[("os", short), ("minimum", minimum.to_owned())],
        ),
    }
}

fn disks_essd(i: &FleetInstance) -> Check {
    use CheckStatus::*;
    let id = CheckId::DisksEssd;
    let Some(disks) = &i.disks else {
        return check(id, Unknown, ReasonKey::DisksUnknown, &[]);
    };
    if disks.is_empty() {
        return check(id, Fail, ReasonKey::NoDisks, &[]);
    }
    if let Some(d) = disks
        .iter()
        .find(|d| !ESSD_FAMILY.contains(&d.category.as_str()))
    {
        return check(
            id,
            Fail,
            ReasonKey::DiskNotEssd,
            &[
                ("disk", d.disk_id.clone()),
                ("category", d.category.clone()),
            ],
        );
    }
    if let Some(d) = disks
        .iter()
        .find(|d| d.multi_attach.eq_ignore_ascii_case("Enabled"))
    {
        return check(
            id,
            Fail,
            ReasonKey::DiskMultiAttach,
            &[("disk", d.disk_id.clone())],
        );
    }
    check(
        id,
        Pass,
        ReasonKey::DisksEssd,
        &[("count", disks.len().to_string())],
    )
}

fn disk_count(i: &FleetInstance, limit: u32) -> Check {
    use CheckStatus::*;
    let id = CheckId::DiskCount;
    let Some(disks) = &i.disks else {
        return check(id, Unknown, ReasonKey::DisksUnknown, &[]);
    };
    let params = [
        ("count", disks.len().to_string()),
        ("limit", limit.to_string()),
    ];
    if disks.len() > limit as usize {
        check(id, Fail, ReasonKey::TooManyDisks, &params)
    } else {
        check(id, Pass, ReasonKey::DiskCountOk, &params)
    }
}

fn agent(i: &FleetInstance, windows: bool) -> [Check; 3] {
    use CheckStatus::*;
    let Some(a) = &i.agent else {
        return [
            CheckId::AgentInstalled,
            CheckId::AgentOnline,
            CheckId::AgentVersion,
        ]
        .map(|id| check(id, Unknown, ReasonKey::AgentUnknown, &[]));
    };
    if !a.installed {
        let missing = |id, status| {
            with_fix(
                check(id, status, ReasonKey::AgentMissing, &[]),
                FixAction::InstallAgent,
            )
        };
        // Online and version are about an agent that is not there: not known, not failed.
        return [
            missing(CheckId::AgentInstalled, Fail),
            missing(CheckId::AgentOnline, Unknown),
            missing(CheckId::AgentVersion, Unknown),
        ];
    }
    let version = [("version", a.version.clone())];
    let installed = check(
        CheckId::AgentInstalled,
        Pass,
        ReasonKey::AgentInstalled,
        &version,
    );
    let online = match (a.online, i.status == "Running") {
        (true, _) => check(CheckId::AgentOnline, Pass, ReasonKey::AgentOnline, &[]),
        (false, false) => check(
            CheckId::AgentOnline,
            Unknown,
            ReasonKey::AgentNeedsRunning,
            &[],
        ),
        (false, true) => check(CheckId::AgentOnline, Fail, ReasonKey::AgentOffline, &[]),
    };
    let minimum = if windows {
        AGENT_MINIMUM.1
    } else {
        AGENT_MINIMUM.0
    };
    let current = version_at_least(&a.version, minimum);
    let version = match current {
        Some(true) => check(
            CheckId::AgentVersion,
            Pass,
            ReasonKey::AgentVersionOk,
            &version,
        ),
        _ => check(
            CheckId::AgentVersion,
            Warn,
            ReasonKey::AgentVersionOld,
            &[
                ("version", a.version.clone()),
                ("minimum", minimum.to_owned()),
            ],
        ),
    };
    [installed, online, version]
}

/// Dotted numeric versions compared part by part; `None` when one is not numeric.
fn version_at_least(version: &str, minimum: &str) -> Option<bool> {
    let parse = |v: &str| -> Option<Vec<u64>> { v.split('.').map(|p| p.parse().ok()).collect() };
    Some(parse(version)? >= parse(minimum)?)
}

fn role(i: &FleetInstance) -> [Check; 2] {
    use CheckStatus::*;
    match &i.role {
        RoleFact::Unknown => [CheckId::RamRole, CheckId::RolePolicy]
            .map(|id| check(id, Unknown, ReasonKey::RoleUnknown, &[])),
        RoleFact::None => [
            with_fix(
                check(CheckId::RamRole, Fail, ReasonKey::RoleMissing, &[]),
                FixAction::AttachRole,
            ),
            with_fix(
                check(CheckId::RolePolicy, Unknown, ReasonKey::RoleMissing, &[]),
                FixAction::AttachRole,
            ),
        ],
        RoleFact::Attached {
            role_name,
            evaluation,
        } => {
            let name = [("role", role_name.clone())];
            let attached = check(CheckId::RamRole, Pass, ReasonKey::RoleAttached, &name);
            let policy = match evaluation {
                None => check(
                    CheckId::RolePolicy,
                    Unknown,
                    ReasonKey::RolePolicyUnknown,
                    &name,
                ),
                Some(e) if e.sufficient => {
                    check(CheckId::RolePolicy, Pass, ReasonKey::RoleGrants, &name)
                }
                Some(e) => {
                    let lacking: Vec<&str> = e
                        .findings
                        .iter()
                        .filter(|f| !f.holds)
                        .map(|f| f.subject.as_str())
                        .collect();
                    with_fix(
                        check(
                            CheckId::RolePolicy,
                            Fail,
                            ReasonKey::RoleLacks,
                            &[("role", role_name.clone()), ("actions", lacking.join(", "))],
                        ),
                        FixAction::AttachRole,
                    )
                }
            };
            [attached, policy]
        }
    }
}

/// A guest check: `unknown` until a probe answered; `judge` reads a probe's answer.
fn guest_check(
    i: &FleetInstance,
    id: CheckId,
    judge: impl Fn(&GuestFacts) -> Option<Judged>,
) -> Check {
    let unknown = |key, params: &[(&str, String)]| {
        with_fix(
            check(id, CheckStatus::Unknown, key, params),
            FixAction::DeepCheck,
        )
    };
    match &i.guest {
        None => unknown(ReasonKey::NeedsDeepCheck, &[]),
        Some(GuestFacts::Failed { reason }) => {
            unknown(ReasonKey::ProbeFailed, &[("error", reason.clone())])
        }
        Some(g) => match judge(g) {
            Some((status, key, params)) => {
                let c = check(id, status, key, &params);
                match (id, status) {
                    (CheckId::FreezeScripts, CheckStatus::Fail) => {
                        with_fix(c, FixAction::PushScripts)
                    }
                    _ => c,
                }
            }
            None => unknown(ReasonKey::NeedsDeepCheck, &[]),
        },
    }
}

type Judged = (CheckStatus, ReasonKey, Vec<(&'static str, String)>);

fn file_systems(mounts: &[MountFact]) -> Judged {
    let real: Vec<&MountFact> = mounts
        .iter()
        .filter(|m| !PSEUDO_FS.contains(&m.fs_type.to_ascii_lowercase().as_str()))
        .collect();
    let kind = |m: &MountFact| m.fs_type.to_ascii_lowercase();
    let at = |m: &MountFact| {
        vec![
            ("mount", m.mount_point.clone()),
            ("type", m.fs_type.clone()),
        ]
    };
    if let Some(m) = real.iter().find(|m| {
        let k = kind(m);
        NETWORK_FS.contains(&k.as_str()) || k.starts_with("fuse") || k.starts_with("nfs")
    }) {
        return (CheckStatus::Fail, ReasonKey::NetworkFileSystem, at(m));
    }
    if let Some(m) = real.iter().find(|m| !FREEZABLE.contains(&kind(m).as_str())) {
        return (CheckStatus::Warn, ReasonKey::OtherFileSystem, at(m));
    }
    let mut types: Vec<String> = real.iter().map(|m| kind(m)).collect();
    types.sort();
    types.dedup();
    (
        CheckStatus::Pass,
        ReasonKey::FileSystemsOk,
        vec![("types", types.join(", "))],
    )
}

fn scripts(files: &[FileFact], tested: Option<&ScriptTestFact>) -> Judged {
    for path in SCRIPT_PATHS {
        let p = || ("path", path.to_owned());
        let Some(stat) = files
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| f.stat.as_ref())
        else {
            return (CheckStatus::Fail, ReasonKey::ScriptMissing, vec![p()]);
        };
        if stat.owner != "root" {
            return (
                CheckStatus::Fail,
                ReasonKey::ScriptNotRoot,
                vec![p(), ("owner", stat.owner.clone())],
            );
        }
        if stat.mode.trim_start_matches('0') != "700" {
            return (
                CheckStatus::Fail,
                ReasonKey::ScriptMode,
                vec![p(), ("mode", stat.mode.clone())],
            );
        }
        if stat.crlf {
            return (CheckStatus::Fail, ReasonKey::ScriptCrlf, vec![p()]);
        }
    }
    if let Some(judged) = tested.and_then(test_run) {
        return judged;
    }
    (
        CheckStatus::Pass,
        ReasonKey::ScriptsOk,
        vec![("paths", SCRIPT_PATHS.join(" and "))],
    )
}

/// What the last test run adds to scripts that look right: a failing or hanging freeze
/// script gives file-system consistency only; a failing thaw leaves the application locked.
fn test_run(t: &ScriptTestFact) -> Option<Judged> {
    let exit = |code: Option<i64>| {
        (
            "exit",
            code.map_or_else(|| "?".to_owned(), |c| c.to_string()),
        )
    };
    let timeout = || ("timeout", t.timeout_seconds.to_string());
    Some(match t.verdict {
        TestVerdict::FreezeFailed => (
            CheckStatus::Fail,
            ReasonKey::ScriptTestFreezeFailed,
            vec![exit(t.freeze_exit_code)],
        ),
        TestVerdict::TimedOut => (
            CheckStatus::Fail,
            ReasonKey::ScriptTestTimedOut,
            vec![timeout()],
        ),
        TestVerdict::TooSlow => (
            CheckStatus::Fail,
            ReasonKey::ScriptTestTooSlow,
            vec![
                ("window", t.freeze_window_ms.unwrap_or_default().to_string()),
                timeout(),
            ],
        ),
        TestVerdict::ThawFailed => (
            CheckStatus::Warn,
            ReasonKey::ScriptTestThawFailed,
            vec![exit(t.thaw_exit_code)],
        ),
        TestVerdict::Passed | TestVerdict::NotRun => return None,
    })
}

fn writers(list: &[VssWriterFact]) -> Judged {
    if let Some(w) = list.iter().find(|w| w.failed) {
        return (
            CheckStatus::Fail,
            ReasonKey::WriterFailed,
            vec![("writer", w.name.clone())],
        );
    }
    if list.is_empty() {
        return (CheckStatus::Warn, ReasonKey::NoWriters, Vec::new());
    }
    (
        CheckStatus::Pass,
        ReasonKey::WritersOk,
        vec![("count", list.len().to_string())],
    )
}
