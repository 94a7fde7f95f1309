//! What one of the user's freeze/thaw scripts does when run as root on a simulated guest:
//! the sandbox cannot run it, so the file's presence, mode and line endings and the guest's
//! configured behaviour decide.

use crate::clock::SimTime;
use crate::world::model::guest::{Guest, ScriptBehaviour};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::model::os::OsType;

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
