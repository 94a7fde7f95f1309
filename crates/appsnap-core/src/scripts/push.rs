//! Pushing a freeze/thaw pair: both scripts validated before anything is sent, then per
//! region one SendFile per script for up to 50 instances (§3.13: mode 0700, owner and
//! group root, overwrite, Base64 content), its per-instance results polled with
//! DescribeSendFileResults, and the files read back through the probe (size, mode,
//! owner, SHA-256). Recording the result is the caller's step
//! ([`FleetStore::record_push`](crate::fleet::FleetStore::record_push)).
//!
//! The paths are the seed's `/tmp/prescript.sh` and `/tmp/postscript.sh` (see
//! [`ScriptRole::path`]): `/tmp` may be emptied at boot, so a run pushes them again first.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use acs_openapi::actions::cloud_assistant::{
    DescribeSendFileResultsRequest, SendFileInvocation, SendFileRequest,
};
use acs_openapi::actions::new_client_token;
use acs_openapi::Client;
use base64::Engine as _;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::guest_run::ScriptsTuning;
use super::types::{ScriptProblem, ScriptRole, ScriptsEvent, Severity};
use super::validate::validate_script;
use super::verify::{
    compare_file, found, read_back, sha256_hex, ExpectedFile, Mismatch, SCRIPT_GROUP, SCRIPT_MODE,
    SCRIPT_OWNER,
};
use crate::error::AppError;
use crate::progress::Reporter;
use crate::ram::InstanceRef;

/// SendFile `InstanceId.N`: 1–50 (§3.13).
pub const SEND_FILE_BATCH: usize = 50;
/// Per-instance SendFile states after which nothing changes (§3.13).
const FINAL: [&str; 6] = [
    "Success", "Failed", "Aborted", "Invalid", "Timeout", "Error",
];

/// Checks both scripts as they would be sent (CRLF converted and BOM removed, with
/// warnings); any error refuses the pair as `InvalidInput` naming each problem, before
/// any call.
pub fn prepare(freeze: &[u8], thaw: &[u8]) -> Result<PreparedScripts, AppError> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut texts = Vec::new();
    for (role, bytes) in [(ScriptRole::Freeze, freeze), (ScriptRole::Thaw, thaw)] {
        let checked = validate_script(bytes);
        for p in checked.problems {
            let p = ScriptProblem {
                message: format!("{} script: {}", role_word(role), p.message),
                ..p
            };
            match p.severity {
                Severity::Error => errors.push(format!("{}: {}", p.code.name(), p.message)),
                Severity::Warning => warnings.push(p),
            }
        }
        texts.push(checked.content.unwrap_or_default());
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_input(format!(
            "nothing was sent: {}",
            errors.join("; ")
        )));
    }
    let thaw = texts.pop().unwrap_or_default();
    let freeze = texts.pop().unwrap_or_default();
    Ok(PreparedScripts {
        freeze,
        thaw,
        warnings,
    })
}

fn role_word(role: ScriptRole) -> &'static str {
    match role {
        ScriptRole::Freeze => "freeze",
        ScriptRole::Thaw => "thaw",
    }
}

/// Sends `scripts` to `instances` and reads them back. `source` names the template (or
/// `custom`) for the record. Per-instance failures are in the report, not an error.
pub async fn push(
    client: &Client,
    instances: &[InstanceRef],
    scripts: &PreparedScripts,
    source: &str,
    tuning: &ScriptsTuning,
    reporter: &Reporter<ScriptsEvent>,
) -> Result<PushReport, AppError> {
    if instances.is_empty() {
        return Err(AppError::invalid_input(
            "no instance to push the scripts to",
        ));
    }
    let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for i in instances {
        let ids = by_region.entry(i.region_id.as_str()).or_default();
        if !ids.contains(&i.instance_id) {
            ids.push(i.instance_id.clone());
        }
    }
    // (instance, role) → (invoke id, final status, error code, error info)
    let mut sent: HashMap<(String, ScriptRole), SendOutcome> = HashMap::new();
    for (region, ids) in &by_region {
        for role in ScriptRole::ALL.iter().copied() {
            for chunk in ids.chunks(SEND_FILE_BATCH) {
                reporter.checkpoint()?;
                let text = scripts.text(role);
                let outcomes = send(client, region, chunk, role, text, tuning, reporter).await?;
                for (id, o) in outcomes {
                    sent.insert((id, role), o);
                }
            }
        }
    }
    let written: Vec<InstanceRef> = instances
        .iter()
        .filter(|i| {
            ScriptRole::ALL.iter().all(|r| {
                sent.get(&(i.instance_id.clone(), *r))
                    .is_some_and(|o| o.status == "Success")
            })
        })
        .cloned()
        .collect();
    let mut back = if written.is_empty() {
        BTreeMap::new()
    } else {
        read_back(client, &written, tuning, reporter).await?
    };
    let mut report = PushReport {
        source: source.to_owned(),
        mode: SCRIPT_MODE.to_owned(),
        owner: SCRIPT_OWNER.to_owned(),
        group: SCRIPT_GROUP.to_owned(),
        warnings: scripts.warnings.clone(),
        instances: Vec::new(),
    };
    let mut seen = Vec::new();
    for i in instances {
        if seen.contains(&i.instance_id) {
            continue;
        }
        seen.push(i.instance_id.clone());
        let probed = back.remove(&i.instance_id);
        let mut files = Vec::new();
        for role in ScriptRole::ALL.iter().copied() {
            let o = sent
                .remove(&(i.instance_id.clone(), role))
                .unwrap_or_else(|| SendOutcome::failed("", "not sent"));
            let text = scripts.text(role);
            let expected = ExpectedFile {
                role,
                path: role.path().to_owned(),
                sha256: sha256_hex(text.as_bytes()),
                size: text.len() as u64,
            };
            let (found_stat, mismatches) = match &probed {
                Some(Ok(list)) => {
                    let f = found(list, role.path()).cloned();
                    let m = compare_file(&expected, f.as_ref());
                    (f, m)
                }
                _ => (None, Vec::new()),
            };
            files.push(PushedFile {
                role,
                content: text.to_owned(),
                path: expected.path,
                sha256: expected.sha256,
                size: expected.size,
                invoke_id: o.invoke_id,
                written: o.status == "Success",
                send_status: o.status,
                error_code: o.error_code,
                error_info: o.error_info,
                found: found_stat,
                mismatches,
            });
        }
        let (verified, verify_error) = match &probed {
            Some(Ok(_)) => (files.iter().all(|f| f.mismatches.is_empty()), None),
            Some(Err(why)) => (false, Some(why.clone())),
            None => (false, None),
        };
        if probed.is_some() {
            reporter.emit(ScriptsEvent::Verified {
                instance_id: i.instance_id.clone(),
                verified,
            });
        }
        report.instances.push(InstancePush {
            instance_id: i.instance_id.clone(),
            region_id: i.region_id.clone(),
            files,
            verified,
            verify_error,
        });
    }
    Ok(report)
}

/// One SendFile for `ids`, polled until every instance is final or the wait runs out.
async fn send(
    client: &Client,
    region: &str,
    ids: &[String],
    role: ScriptRole,
    text: &str,
    tuning: &ScriptsTuning,
    reporter: &Reporter<ScriptsEvent>,
) -> Result<Vec<(String, SendOutcome)>, AppError> {
    let path = role.path();
    let (dir, name) = path.rsplit_once('/').unwrap_or(("/tmp", path));
    let request = SendFileRequest {
        instance_ids: ids.to_vec(),
        name: name.to_owned(),
        target_dir: dir.to_owned(),
        content: base64::engine::general_purpose::STANDARD.encode(text.as_bytes()),
        content_type: Some("Base64".to_owned()),
        file_mode: Some(SCRIPT_MODE.to_owned()),
        file_owner: Some(SCRIPT_OWNER.to_owned()),
        file_group: Some(SCRIPT_GROUP.to_owned()),
        overwrite: Some(true),
        timeout: Some(tuning.send_timeout_secs),
        description: Some(format!("AppSnap {} script", role_word(role))),
        // One token for this call: the client's retries resend it, so a retried send
        // after a dropped connection is the same send.
        client_token: Some(new_client_token()),
    };
    let all = |why: String| {
        ids.iter()
            .map(|id| (id.clone(), SendOutcome::failed("", &why)))
            .collect()
    };
    let invoke_id = match client.send_file(region, &request).await {
        Ok(r) => r.invoke_id,
        Err(e) => return Ok(all(format!("SendFile failed: {e}"))),
    };
    reporter.emit(ScriptsEvent::FileSent {
        region_id: region.to_owned(),
        role,
        invoke_id: invoke_id.clone(),
        instances: ids.len() as u32,
    });
    let started = Instant::now();
    let mut done: HashMap<String, SendOutcome> = HashMap::new();
    loop {
        reporter.checkpoint()?;
        let polled: Result<Vec<SendFileInvocation>, _> = client
            .describe_send_file_results_stream(
                region,
                DescribeSendFileResultsRequest {
                    invoke_id: Some(invoke_id.clone()),
                    max_results: Some(50),
                    ..Default::default()
                },
            )
            .try_collect()
            .await;
        if let Ok(list) = &polled {
            for inv in list.iter().filter(|inv| inv.invoke_id == invoke_id) {
                for one in &inv.invoke_instances.invoke_instance {
                    let fresh = ids.contains(&one.instance_id)
                        && FINAL.contains(&one.invocation_status.as_str())
                        && !done.contains_key(&one.instance_id);
                    if fresh {
                        reporter.emit(ScriptsEvent::FileDone {
                            instance_id: one.instance_id.clone(),
                            role,
                            status: one.invocation_status.clone(),
                        });
                        done.insert(
                            one.instance_id.clone(),
                            SendOutcome {
                                invoke_id: invoke_id.clone(),
                                status: one.invocation_status.clone(),
                                error_code: Some(one.error_code.clone()).filter(|s| !s.is_empty()),
                                error_info: Some(one.error_info.clone()).filter(|s| !s.is_empty()),
                            },
                        );
                    }
                }
            }
        }
        if done.len() == ids.len() || started.elapsed() >= tuning.wait {
            let why = match polled {
                Err(e) => format!("polling DescribeSendFileResults failed: {e}"),
                Ok(_) => format!("no result within {} s", tuning.wait.as_secs()),
            };
            return Ok(ids
                .iter()
                .map(|id| {
                    let o = done.remove(id).unwrap_or_else(|| SendOutcome {
                        invoke_id: invoke_id.clone(),
                        ..SendOutcome::failed("Unknown", &why)
                    });
                    (id.clone(), o)
                })
                .collect());
        }
        tokio::time::sleep(tuning.poll_interval).await;
    }
}

impl SendOutcome {
    fn failed(status: &str, why: &str) -> Self {
        Self {
            invoke_id: String::new(),
            status: if status.is_empty() { "NotSent" } else { status }.to_owned(),
            error_code: None,
            error_info: Some(why.to_owned()),
        }
    }
}

impl PreparedScripts {
    pub fn text(&self, role: ScriptRole) -> &str {
        match role {
            ScriptRole::Freeze => &self.freeze,
            ScriptRole::Thaw => &self.thaw,
        }
    }

    /// What validation changed (CRLF converted, BOM removed).
    pub fn warnings(&self) -> &[ScriptProblem] {
        &self.warnings
    }
}

struct SendOutcome {
    invoke_id: String,
    status: String,
    error_code: Option<String>,
    error_info: Option<String>,
}

/// A validated pair, only made by [`prepare`]: the texts exactly as they will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedScripts {
    freeze: String,
    thaw: String,
    warnings: Vec<ScriptProblem>,
}

/// What a push did, per instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PushReport {
    /// The template's name, or `custom`.
    pub source: String,
    pub mode: String,
    pub owner: String,
    pub group: String,
    /// What validation changed before sending (CRLF converted, BOM removed).
    pub warnings: Vec<ScriptProblem>,
    pub instances: Vec<InstancePush>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstancePush {
    pub instance_id: String,
    pub region_id: String,
    /// The freeze script, then the thaw script.
    pub files: Vec<PushedFile>,
    /// Both files were written and read back as sent: root, 0700, LF, same SHA-256.
    pub verified: bool,
    /// Why the read-back gave no answer, when it ran and failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub verify_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PushedFile {
    pub role: ScriptRole,
    pub path: String,
    /// SHA-256 of the bytes sent.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    /// The SendFile invocation (`f-…`); empty when the call itself failed.
    pub invoke_id: String,
    /// SendFile's per-instance status (`Success`, `Failed`, `Aborted`, …), or `NotSent`
    /// when the call failed, `Unknown` when no result came in time.
    pub send_status: String,
    pub written: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error_info: Option<String>,
    /// The file as the read-back found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub found: Option<crate::fleet::FileStat>,
    /// Empty when it matched (or when there was no read-back; see `verified`).
    pub mismatches: Vec<Mismatch>,
    /// The text sent, for the record (scripts/records.rs); never serialised.
    #[serde(skip)]
    #[ts(skip)]
    pub content: String,
}
