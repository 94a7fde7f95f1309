//! Test-running the pushed pair without a snapshot (`guest/script_test.sh`, format
//! `script-test/1`): the freeze script, then the thaw script, as root, each killed after
//! the freeze timeout; both exit codes and outputs, and the freeze window against the
//! timeout.
//!
//! This is what tells an instance like the sandbox's `freeze-fails-centos79` apart: the
//! read-only probe sees its scripts in place (root, 0700, LF), so the picker predicts
//! application consistency, but the test run ends [`TestVerdict::FreezeFailed`] with the
//! freeze script's exit code and output — a real run would fall back to file-system
//! consistency.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::guest_run::{run_on, GuestAnswer, ScriptsTuning};
use super::types::{ScriptRole, ScriptsEvent};
use crate::error::AppError;
pub use crate::fleet::TestVerdict;
use crate::progress::Reporter;
use crate::ram::InstanceRef;

const SCRIPT_TEST: &str = include_str!("guest/script_test.sh");
const HEADER: &str = "APPSNAP-SCRIPT-TEST/1";
/// What a real run adds between the freeze and the thaw script: the snapshot group
/// becomes usable ~1 s after the freeze (alibaba-api.md §4.5, observed).
pub const SNAPSHOT_ALLOWANCE_MS: u64 = 1_000;

/// The test-run script for a freeze timeout of `timeout_seconds`.
pub fn script_test(timeout_seconds: u32) -> String {
    SCRIPT_TEST.replacen("TIMEOUT=30\n", &format!("TIMEOUT={timeout_seconds}\n"), 1)
}

/// Test-runs the scripts on `instances`, each region's instances in one RunCommand.
pub async fn test_run(
    client: &acs_openapi::Client,
    instances: &[InstanceRef],
    timeout_seconds: u32,
    tuning: &ScriptsTuning,
    reporter: &Reporter<ScriptsEvent>,
) -> Result<Vec<TestRun>, AppError> {
    if instances.is_empty() {
        return Err(AppError::invalid_input(
            "no instance to test the scripts on",
        ));
    }
    if !(1..=3600).contains(&timeout_seconds) {
        return Err(AppError::invalid_input(format!(
            "the freeze timeout must be 1-3600 seconds, not {timeout_seconds}"
        )));
    }
    let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for i in instances {
        let ids = by_region.entry(i.region_id.as_str()).or_default();
        if !ids.contains(&i.instance_id) {
            ids.push(i.instance_id.clone());
        }
    }
    // Both scripts may run the whole timeout, plus the agent's own start-up.
    let tuning = ScriptsTuning {
        command_timeout_secs: tuning.command_timeout_secs.max(timeout_seconds * 2 + 30),
        ..tuning.clone()
    };
    let content = script_test(timeout_seconds);
    let mut answers = BTreeMap::new();
    for (region, ids) in by_region {
        reporter.emit(ScriptsEvent::GuestScriptSent {
            region_id: region.to_owned(),
            instances: ids.len() as u32,
        });
        let got = run_on(
            client,
            region,
            &ids,
            "appsnap-script-test",
            &content,
            &tuning,
            reporter,
        )
        .await?;
        answers.extend(got);
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for i in instances {
        if seen.contains(&i.instance_id) {
            continue;
        }
        seen.push(i.instance_id.clone());
        let parsed = match answers.remove(&i.instance_id) {
            Some(GuestAnswer::Ran { output, .. }) => parse_script_test(&output),
            Some(GuestAnswer::NoAnswer(why)) => Err(why),
            None => Err("not run".to_owned()),
        };
        out.push(judge(i, parsed, timeout_seconds));
    }
    Ok(out)
}

/// Both scripts' runs from a `script-test/1` output.
pub fn parse_script_test(output: &str) -> Result<(ScriptRun, ScriptRun), String> {
    let mut lines = output
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .skip_while(|l| l.trim().is_empty());
    if lines.next().map(str::trim) != Some(HEADER) {
        return Err(format!("the output does not start with {HEADER}"));
    }
    let (mut pre, mut post): (Option<ScriptRun>, Option<ScriptRun>) = (None, None);
    let mut ended = false;
    for line in lines {
        if line.trim() == "END" {
            ended = true;
            break;
        }
        if let Some(text) = line.strip_prefix("prescript.output|") {
            push_line(&mut pre, text);
        } else if let Some(text) = line.strip_prefix("postscript.output|") {
            push_line(&mut post, text);
        } else if let Some(v) = line.strip_prefix("prescript=") {
            pre = Some(run_line(v)?);
        } else if let Some(v) = line.strip_prefix("postscript=") {
            post = Some(run_line(v)?);
        }
    }
    if !ended {
        return Err("the output ends before END (cut off?)".into());
    }
    match (pre, post) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err("the output lacks the prescript or postscript line".into()),
    }
}

fn push_line(run: &mut Option<ScriptRun>, text: &str) {
    if let Some(r) = run {
        if !r.output.is_empty() {
            r.output.push('\n');
        }
        r.output.push_str(text);
    }
}

/// `path|exit=N|ms=N|timed_out=bool`.
fn run_line(v: &str) -> Result<ScriptRun, String> {
    let mut fields = v.split('|');
    let path = fields.next().unwrap_or("").to_owned();
    let mut values = BTreeMap::new();
    for f in fields {
        if let Some((k, x)) = f.split_once('=') {
            values.insert(k, x);
        }
    }
    let num = |k: &str| -> Result<i64, String> {
        values
            .get(k)
            .and_then(|x| x.trim().parse().ok())
            .ok_or_else(|| format!("{path}: `{k}` is missing or not a number"))
    };
    Ok(ScriptRun {
        exit_code: num("exit")?,
        duration_ms: num("ms")?.max(0) as u64,
        timed_out: values.get("timed_out").map(|x| x.trim()) == Some("true"),
        output: String::new(),
        path,
    })
}

fn judge(
    i: &InstanceRef,
    parsed: Result<(ScriptRun, ScriptRun), String>,
    timeout_seconds: u32,
) -> TestRun {
    let base = TestRun {
        instance_id: i.instance_id.clone(),
        region_id: i.region_id.clone(),
        verdict: TestVerdict::NotRun,
        freeze: None,
        thaw: None,
        freeze_window_ms: None,
        timeout_seconds,
        snapshot_allowance_ms: SNAPSHOT_ALLOWANCE_MS,
        within_timeout: None,
        error: None,
    };
    let (freeze, thaw) = match parsed {
        Ok(p) => p,
        Err(why) => {
            return TestRun {
                error: Some(why),
                ..base
            }
        }
    };
    let window = freeze.duration_ms + thaw.duration_ms;
    let within = window + SNAPSHOT_ALLOWANCE_MS <= u64::from(timeout_seconds) * 1000;
    let verdict = if freeze.timed_out || thaw.timed_out {
        TestVerdict::TimedOut
    } else if freeze.exit_code != 0 {
        TestVerdict::FreezeFailed
    } else if thaw.exit_code != 0 {
        TestVerdict::ThawFailed
    } else if !within {
        TestVerdict::TooSlow
    } else {
        TestVerdict::Passed
    };
    TestRun {
        verdict,
        freeze: Some(freeze),
        thaw: Some(thaw),
        freeze_window_ms: Some(window),
        within_timeout: Some(within),
        ..base
    }
}

impl TestVerdict {
    /// The script whose failure decided the verdict, if one did.
    pub fn failed_role(self) -> Option<ScriptRole> {
        match self {
            TestVerdict::FreezeFailed => Some(ScriptRole::Freeze),
            TestVerdict::ThawFailed => Some(ScriptRole::Thaw),
            _ => None,
        }
    }
}

/// One script's test run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptRun {
    pub path: String,
    #[ts(type = "number")]
    pub exit_code: i64,
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub timed_out: bool,
    /// Its stdout and stderr, lines joined with `\n`.
    pub output: String,
}

/// One instance's test run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TestRun {
    pub instance_id: String,
    pub region_id: String,
    pub verdict: TestVerdict,
    pub freeze: Option<ScriptRun>,
    pub thaw: Option<ScriptRun>,
    /// Freeze script start to thaw script end without a snapshot in between: the time the
    /// application is held, less the snapshot's own ~1 s.
    #[ts(type = "number | null")]
    pub freeze_window_ms: Option<u64>,
    pub timeout_seconds: u32,
    /// Added to the window before comparing it with the timeout.
    #[ts(type = "number")]
    pub snapshot_allowance_ms: u64,
    pub within_timeout: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let out = "APPSNAP-SCRIPT-TEST/1\nprescript=/tmp/prescript.sh|exit=0|ms=300|timed_out=false\n\
                   prescript.output|application frozen\n\
                   postscript=/tmp/postscript.sh|exit=126|ms=5|timed_out=false\n\
                   postscript.output|/tmp/postscript.sh: /bin/bash^M: bad interpreter: No such file or directory\nEND\n";
        let (pre, post) = parse_script_test(out).unwrap();
        assert_eq!(
            (pre.exit_code, pre.duration_ms, pre.output.as_str()),
            (0, 300, "application frozen")
        );
        assert_eq!(post.exit_code, 126);
        let r = judge(
            &InstanceRef {
                instance_id: "i-1".into(),
                region_id: "r".into(),
            },
            Ok((pre, post)),
            30,
        );
        assert_eq!(r.verdict, TestVerdict::ThawFailed);
        assert_eq!(r.freeze_window_ms, Some(305));
        assert_eq!(r.within_timeout, Some(true));
        assert!(parse_script_test(
            "APPSNAP-SCRIPT-TEST/1\nprescript=/a|exit=0|ms=1|timed_out=false\n"
        )
        .is_err());
    }

    #[test]
    fn the_timeout_is_written_into_the_script() {
        let s = script_test(45);
        assert!(s.contains("\nTIMEOUT=45\n") && !s.contains("TIMEOUT=30"));
        assert!(s
            .lines()
            .nth(1)
            .unwrap()
            .contains("appsnap-guest: script-test/1"));
    }
}
