//! What the simulated guest can run. It cannot run arbitrary shell: it recognises the
//! documented guest scripts by their version header line (GUEST_SCRIPTS.md) and the
//! app-snapshot-plugin call; anything else exits 127 with an explanation.

use super::guest::{Guest, ScriptBehaviour};
use super::instances::{Instance, OsType};
use super::{cloud_assistant, plugin, World};
use crate::clock::SimTime;

pub const HEADER: &str = "appsnap-guest:";
pub const PROBE: &str = "inventory-probe/1";
pub const SCRIPT_TEST: &str = "script-test/1";

pub const UNSUPPORTED: &str =
    "sandbox-cloud: this simulated guest does not run arbitrary scripts.\n\
It answers only the guest scripts documented in crates/sandbox-cloud/GUEST_SCRIPTS.md\n\
(identified by a line '# appsnap-guest: <name>/<version>') and the\n\
'acs-plugin-manager --exec --plugin app-snapshot-plugin --params \"...\"' call.\n";

/// The header `name/version` of a guest script, if any.
pub fn header(script: &str) -> Option<&str> {
    script.lines().take(5).find_map(|l| {
        let l = l.trim_start_matches(['#', ' ', '\t']).trim();
        l.strip_prefix(HEADER).map(str::trim)
    })
}

/// Run a delivered script on the guest: schedules its completion.
#[allow(clippy::too_many_arguments)]
pub fn execute(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    _command_type: &str,
    script: &str,
    at: SimTime,
) {
    if let Some(params) = plugin::extract_plugin_call(script) {
        plugin::start(world, account, region, invoke_id, instance_id, &params, at);
        return;
    }
    let Some(inst) = world
        .region_mut(account, region)
        .ok()
        .and_then(|r| r.instances.get(instance_id))
    else {
        return;
    };
    let (exit, output, ms) = match header(script) {
        Some(PROBE) => (0, inventory(inst, script), 400),
        Some(SCRIPT_TEST) => script_test(&inst.guest, script),
        Some(other) => (
            127,
            format!("sandbox-cloud: unknown guest script version '{other}'.\n{UNSUPPORTED}"),
            50,
        ),
        None => (127, UNSUPPORTED.to_string(), 50),
    };
    let (a, r, t, i) = (
        account.to_string(),
        region.to_string(),
        invoke_id.to_string(),
        instance_id.to_string(),
    );
    world.schedule(at + ms, move |w, at| {
        cloud_assistant::finish(w, &a, &r, &t, &i, exit, &output, at)
    });
}

/// Values assigned in the script as `NAME=value` or `NAME="value"` lines.
fn assignments<'s>(script: &'s str, name: &str) -> Vec<&'s str> {
    script
        .lines()
        .filter_map(|l| l.trim().strip_prefix(name)?.strip_prefix('='))
        .map(|v| v.trim().trim_matches(['"', '\'']))
        .collect()
}

fn inventory(inst: &Instance, script: &str) -> String {
    let g = &inst.guest;
    let mut out = String::from("APPSNAP-PROBE/1\n");
    out += &format!(
        "os.type={}\nos.id={}\nos.version={}\nos.pretty={}\nkernel={}\n",
        inst.os.os_type.lower(),
        inst.os.distro,
        inst.os.version,
        inst.os.pretty,
        inst.os.kernel
    );
    for m in &g.mounts {
        out += &format!("mount={}|{}|{}\n", m.mount_point, m.fs_type, m.device);
    }
    let mut paths: Vec<String> = match g.os_type {
        OsType::Linux => vec!["/tmp/prescript.sh".into(), "/tmp/postscript.sh".into()],
        OsType::Windows => vec![],
    };
    paths.extend(assignments(script, "STAT").into_iter().map(String::from));
    for p in paths {
        match g.files.get(&p) {
            Some(f) => {
                out += &format!(
                    "file={p}|present|{}|{}|{:04o}|{}|{}\n",
                    f.owner,
                    f.group,
                    f.mode,
                    f.content.len(),
                    if f.has_crlf() { "crlf" } else { "lf" }
                )
            }
            None => out += &format!("file={p}|missing\n"),
        }
    }
    out += &format!("agent=installed|{}\n", inst.agent.version);
    out += &format!(
        "plugin=app-snapshot-plugin|{}\n",
        if g.plugin_installed() {
            super::guest::PLUGIN_VERSION
        } else {
            "absent"
        }
    );
    for w in &g.vss_writers {
        let failed = g.behaviour.vss_writer_fails.as_deref() == Some(w.as_str());
        out += &format!(
            "vss_writer={w}|{}\n",
            if failed { "failed" } else { "stable" }
        );
    }
    if let Some((path, f)) = g.latest_plugin_log() {
        out += &format!("log.path={path}\n");
        let text = String::from_utf8_lossy(&f.content);
        let lines: Vec<&str> = text.lines().collect();
        for l in &lines[lines.len().saturating_sub(50)..] {
            out += &format!("log|{l}\n");
        }
    }
    out += "END\n";
    out
}

/// The simulated result of running one user script as root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptRun {
    pub exit_code: i64,
    pub output: String,
    pub duration_ms: SimTime,
    pub timed_out: bool,
}

/// Run a user script with a time limit (seconds). `which` picks the guest behaviour.
pub fn simulate_script(guest: &Guest, path: &str, pre: bool, timeout_secs: u64) -> ScriptRun {
    let run = |exit_code, output: &str, duration_ms| ScriptRun {
        exit_code,
        output: output.to_string(),
        duration_ms,
        timed_out: false,
    };
    let Some(f) = guest.files.get(path) else {
        return run(127, &format!("{path}: No such file or directory"), 5);
    };
    if f.mode & 0o100 == 0 {
        return run(126, &format!("{path}: Permission denied"), 5);
    }
    if f.has_crlf() {
        return run(
            126,
            &format!("{path}: /bin/bash^M: bad interpreter: No such file or directory"),
            5,
        );
    }
    let behaviour = if pre {
        guest.behaviour.prescript
    } else {
        guest.behaviour.postscript
    };
    match behaviour {
        ScriptBehaviour::Ok => run(0, if pre { "application frozen" } else { "application thawed" }, 300),
        ScriptBehaviour::Fails => run(1, "ERROR 2013 (HY000): Lost connection to MySQL server during query\nFLUSH TABLES WITH READ LOCK failed", 200),
        ScriptBehaviour::Hangs => ScriptRun { exit_code: 124, output: format!("{path} did not finish within {timeout_secs}s and was killed"), duration_ms: timeout_secs as SimTime * 1000, timed_out: true },
    }
}

fn script_test(guest: &Guest, script: &str) -> (i64, String, SimTime) {
    let pick = |name: &str, default: &str| {
        assignments(script, name)
            .first()
            .map(|s| s.to_string())
            .unwrap_or_else(|| default.to_string())
    };
    let pre = pick("PRESCRIPT", "/tmp/prescript.sh");
    let post = pick("POSTSCRIPT", "/tmp/postscript.sh");
    let timeout = pick("TIMEOUT", "30").parse().unwrap_or(30);
    let mut out = String::from("APPSNAP-SCRIPT-TEST/1\n");
    let mut total = 100;
    let mut ok = true;
    for (label, path, is_pre) in [("prescript", &pre, true), ("postscript", &post, false)] {
        let r = simulate_script(guest, path, is_pre, timeout);
        total += r.duration_ms;
        ok &= r.exit_code == 0;
        out += &format!(
            "{label}={path}|exit={}|ms={}|timed_out={}\n",
            r.exit_code, r.duration_ms, r.timed_out
        );
        for l in r.output.lines() {
            out += &format!("{label}.output|{l}\n");
        }
    }
    out += "END\n";
    (if ok { 0 } else { 1 }, out, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_found_after_the_shebang() {
        assert_eq!(
            header("#!/bin/bash\n# appsnap-guest: inventory-probe/1\necho"),
            Some("inventory-probe/1")
        );
        assert_eq!(header("echo hi"), None);
    }

    #[test]
    fn scripts_fail_for_the_reasons_a_shell_would() {
        let mut g = Guest::new(OsType::Linux, vec![]);
        assert_eq!(
            simulate_script(&g, "/tmp/prescript.sh", true, 30).exit_code,
            127
        );
        g.write_file(
            "/tmp/prescript.sh",
            b"#!/bin/bash\nexit 0\n".to_vec(),
            "root",
            "root",
            0o644,
            0,
        );
        assert_eq!(
            simulate_script(&g, "/tmp/prescript.sh", true, 30).exit_code,
            126
        );
        g.write_file(
            "/tmp/prescript.sh",
            b"#!/bin/bash\r\nexit 0\r\n".to_vec(),
            "root",
            "root",
            0o700,
            0,
        );
        assert!(simulate_script(&g, "/tmp/prescript.sh", true, 30)
            .output
            .contains("bad interpreter"));
        g.write_file(
            "/tmp/prescript.sh",
            b"#!/bin/bash\nexit 0\n".to_vec(),
            "root",
            "root",
            0o700,
            0,
        );
        assert_eq!(
            simulate_script(&g, "/tmp/prescript.sh", true, 30).exit_code,
            0
        );
        g.behaviour.prescript = ScriptBehaviour::Hangs;
        let r = simulate_script(&g, "/tmp/prescript.sh", true, 30);
        assert!(r.timed_out && r.duration_ms == 30_000);
    }
}
