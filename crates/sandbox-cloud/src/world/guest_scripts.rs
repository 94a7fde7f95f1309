//! What the simulated guest can run. It cannot run arbitrary shell: it recognises the
//! documented guest scripts by their version header line (GUEST_SCRIPTS.md) and the
//! app-snapshot-plugin call; anything else exits 127 with an explanation.

use sha2::{Digest, Sha256};

use crate::clock::SimTime;
use crate::world::model::guest::{Guest, PLUGIN_VERSION};
use crate::world::model::instance::Instance;
use crate::world::model::os::OsType;
use crate::world::plugin;
use crate::world::task::TaskRef;
use crate::world::user_script::simulate_script;
use crate::world::World;

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

/// Run a delivered script on the task's guest: schedules its completion.
pub fn execute(world: &mut World, task: &TaskRef, script: &str, at: SimTime) {
    if let Some(params) = plugin::params::extract_plugin_call(script) {
        plugin::start(world, task, &params, at);
        return;
    }
    let Some(inst) = world
        .region_mut(&task.account, &task.region)
        .ok()
        .and_then(|r| r.instances.get(&task.instance_id))
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
    task.at(world, at + ms, move |w, at, task| {
        task.finish(w, exit, &output, at)
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
    out += &files_of(g, script);
    out += &format!("agent=installed|{}\n", inst.agent.version);
    out += &format!(
        "plugin=app-snapshot-plugin|{}\n",
        if g.plugin_installed() {
            PLUGIN_VERSION
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

/// The `file=` lines (and `file.sha256=` for each present file): the scripts the plugin
/// runs on Linux, then every `STAT=` path of the script.
fn files_of(g: &Guest, script: &str) -> String {
    let mut out = String::new();
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
                );
                // A key of its own, so parsers that read `file=` lines are unaffected.
                out += &format!(
                    "file.sha256={p}|{}\n",
                    hex::encode(Sha256::digest(&f.content))
                );
            }
            None => out += &format!("file={p}|missing\n"),
        }
    }
    out
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
    fn the_probe_reports_each_present_file_s_sha256_on_a_key_of_its_own() {
        let mut g = Guest::new(OsType::Linux, vec![]);
        g.write_file(
            "/tmp/prescript.sh",
            b"abc".to_vec(),
            "root",
            "root",
            0o700,
            0,
        );
        let out = files_of(&g, "");
        assert_eq!(
            out,
            "file=/tmp/prescript.sh|present|root|root|0700|3|lf\n\
             file.sha256=/tmp/prescript.sh|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n\
             file=/tmp/postscript.sh|missing\n"
        );
    }
}
