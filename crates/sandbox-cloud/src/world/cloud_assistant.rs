//! Cloud Assistant: commands (own and public), invocations whose per-instance status moves
//! along the simulated clock (Pending → Running → Success/Failed/Timeout/Aborted), and file
//! sends into the guest's virtual file system (reference §3.6–3.13, §8).

use base64::Engine as _;
use serde_json::{json, Value};

use super::guest::parse_mode;
use super::instances::OsType;
use super::tags::Tags;
use super::{guest_scripts, World, WorldConfig};
use crate::clock::{iso, SimTime};
use crate::errors::ApiResult;

/// Delay before the agent picks a task up.
pub const DELIVERY_MS: SimTime = 500;
/// Output kept per instance; the agent keeps the tail (reference §3.11).
pub const OUTPUT_LIMIT: usize = 24 * 1024;

#[derive(Debug, Clone)]
pub struct ParamDef {
    pub name: String,
    pub description: String,
    pub default: String,
    pub required: bool,
    pub possible_values: Vec<String>,
    pub pattern: String,
}

impl ParamDef {
    fn to_json(&self) -> Value {
        json!({
            "ParameterName": self.name,
            "Description": self.description,
            "DefaultValue": self.default,
            "Required": self.required,
            "PatternRegex": self.pattern,
            "PossibleValues": { "PossibleValue": self.possible_values },
        })
    }
}

#[derive(Debug, Clone)]
pub struct Command {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    /// Plain text.
    pub content: String,
    pub working_dir: String,
    pub timeout: u64,
    pub enable_parameter: bool,
    pub parameter_definitions: Vec<ParamDef>,
    pub provider: Option<String>,
    pub category: String,
    pub version: u32,
    pub creation_time: SimTime,
    pub invoke_times: u64,
    pub launcher: String,
    pub tags: Tags,
}

impl Command {
    /// `{{name}}` placeholders, excluding built-in `ACS::` ones, in order of appearance.
    pub fn parameter_names(&self) -> Vec<String> {
        placeholders(&self.content)
            .into_iter()
            .filter(|p| !p.starts_with("ACS::"))
            .collect()
    }

    pub fn to_json(&self, encoding_plain: bool) -> Value {
        json!({
            "CommandId": self.id,
            "Name": self.name,
            "Description": self.description,
            "Type": self.kind,
            "CommandContent": encode_content(self.content.as_bytes(), encoding_plain),
            "WorkingDir": self.working_dir,
            "Timeout": self.timeout,
            "EnableParameter": self.enable_parameter,
            "ParameterNames": { "ParameterName": self.parameter_names() },
            "ParameterDefinitions": { "ParameterDefinition": self.parameter_definitions.iter().map(ParamDef::to_json).collect::<Vec<_>>() },
            "Provider": self.provider.clone().unwrap_or_default(),
            "Category": self.category,
            "Version": self.version,
            "Latest": true,
            "InvokeTimes": self.invoke_times,
            "CreationTime": iso(self.creation_time),
            "Launcher": self.launcher,
            "ResourceGroupId": "",
            "Tags": self.tags.to_json(),
        })
    }
}

pub fn encode_content(bytes: &[u8], plain: bool) -> String {
    if plain {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

/// Placeholder names in `{{…}}`, deduplicated case-insensitively.
pub fn placeholders(content: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_string();
        if !name.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
        rest = &after[end + 2..];
    }
    out
}

/// Replace `{{name}}` with values (case-insensitive names).
pub fn render(content: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match values.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone)]
pub struct InvokeInstance {
    pub instance_id: String,
    pub status: String,
    pub exit_code: Option<i64>,
    pub output: Vec<u8>,
    pub dropped: usize,
    pub error_code: String,
    pub error_info: String,
    pub creation_time: SimTime,
    pub start_time: Option<SimTime>,
    pub finish_time: Option<SimTime>,
    pub update_time: SimTime,
}

impl InvokeInstance {
    pub fn new(instance_id: &str, now: SimTime) -> Self {
        Self {
            instance_id: instance_id.to_string(),
            status: "Pending".into(),
            exit_code: None,
            output: Vec::new(),
            dropped: 0,
            error_code: String::new(),
            error_info: String::new(),
            creation_time: now,
            start_time: None,
            finish_time: None,
            update_time: now,
        }
    }

    pub fn is_final(&self) -> bool {
        !matches!(
            self.status.as_str(),
            "Pending" | "Running" | "Scheduled" | "Stopping"
        )
    }

    /// Append output, keeping the tail within the limit.
    pub fn push_output(&mut self, text: &str) {
        self.output.extend_from_slice(text.as_bytes());
        if self.output.len() > OUTPUT_LIMIT {
            let cut = self.output.len() - OUTPUT_LIMIT;
            self.output.drain(..cut);
            self.dropped += cut;
        }
    }

    /// Legacy per-instance status (`InstanceInvokeStatus` / `InvokeRecordStatus`).
    pub fn legacy_status(&self) -> &'static str {
        match self.status.as_str() {
            "Pending" | "Scheduled" => "Pending",
            "Running" => "Running",
            "Stopping" => "Stopping",
            "Stopped" | "Cancelled" | "Terminated" => "Stopped",
            "Success" => "Finished",
            _ => "Failed",
        }
    }

    pub fn to_json(&self, include_output: bool, plain: bool) -> Value {
        let mut v = json!({
            "InstanceId": self.instance_id,
            "InvocationStatus": self.status,
            "InstanceInvokeStatus": self.legacy_status(),
            "ExitCode": self.exit_code.unwrap_or(0),
            "Dropped": self.dropped,
            "ErrorCode": self.error_code,
            "ErrorInfo": self.error_info,
            "CreationTime": iso(self.creation_time),
            "StartTime": self.start_time.map(iso).unwrap_or_default(),
            "FinishTime": self.finish_time.map(iso).unwrap_or_default(),
            "StopTime": "",
            "UpdateTime": iso(self.update_time),
            "Repeats": u32::from(self.start_time.is_some()),
            "Timed": false,
        });
        if include_output {
            v["Output"] = json!(encode_content(&self.output, plain));
        }
        v
    }
}

#[derive(Debug, Clone)]
pub struct Invocation {
    pub id: String,
    pub command_id: String,
    pub command_name: String,
    pub command_type: String,
    /// The command template (plain text); rendered per instance when delivered.
    pub content: String,
    pub description: String,
    /// Values for the placeholders (custom parameters after defaults).
    pub parameters: Vec<(String, String)>,
    pub timeout: u64,
    pub working_dir: String,
    pub username: String,
    pub repeat_mode: String,
    pub creation_time: SimTime,
    pub tags: Tags,
    pub instances: Vec<InvokeInstance>,
}

impl Invocation {
    /// Overall `InvocationStatus` by the documented aggregation rules (reference §3.10).
    pub fn status(&self) -> &'static str {
        let st: Vec<&str> = self.instances.iter().map(|i| i.status.as_str()).collect();
        let any = |s: &str| st.contains(&s);
        if any("Pending") {
            return "Pending";
        }
        if any("Scheduled") {
            return "Scheduled";
        }
        if any("Running") {
            return "Running";
        }
        if any("Stopping") {
            return "Stopping";
        }
        let success = st.iter().filter(|s| **s == "Success").count();
        let stopped = st
            .iter()
            .filter(|s| matches!(**s, "Stopped" | "Cancelled" | "Terminated"))
            .count();
        if success == st.len() || (success > 0 && success + stopped == st.len()) {
            "Success"
        } else if stopped == st.len() {
            "Stopped"
        } else if success == 0 {
            "Failed"
        } else {
            "PartialFailed"
        }
    }

    /// Legacy overall `InvokeStatus`.
    pub fn legacy_status(&self) -> &'static str {
        match self.status() {
            "Pending" | "Scheduled" | "Running" | "Stopping" => "Running",
            "Success" => "Finished",
            "Stopped" => "Stopped",
            "PartialFailed" => "PartialFailed",
            _ => "Failed",
        }
    }

    pub fn parameters_json(&self) -> String {
        let map: serde_json::Map<String, Value> = self
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        if map.is_empty() {
            String::new()
        } else {
            Value::Object(map).to_string()
        }
    }

    pub fn to_json(&self, include_output: bool, plain: bool) -> Value {
        json!({
            "InvokeId": self.id,
            "CommandId": self.command_id,
            "CommandName": self.command_name,
            "CommandType": self.command_type,
            "CommandContent": encode_content(self.content.as_bytes(), plain),
            "CommandDescription": self.description,
            "Parameters": self.parameters_json(),
            "InvocationStatus": self.status(),
            "InvokeStatus": self.legacy_status(),
            "RepeatMode": self.repeat_mode,
            "Frequency": "",
            "Timed": false,
            "Timeout": self.timeout,
            "Username": self.username,
            "WorkingDir": self.working_dir,
            "CreationTime": iso(self.creation_time),
            "ContainerId": "",
            "ContainerName": "",
            "TerminationMode": "",
            "Launcher": "",
            "Tags": self.tags.to_json(),
            "InvokeInstances": { "InvokeInstance": self.instances.iter().map(|i| i.to_json(include_output, plain)).collect::<Vec<_>>() },
        })
    }

    /// One row of DescribeInvocationResults.
    pub fn result_json(&self, inst: &InvokeInstance, plain: bool) -> Value {
        json!({
            "InvokeId": self.id,
            "InstanceId": inst.instance_id,
            "CommandId": self.command_id,
            "InvocationStatus": inst.status,
            "InvokeRecordStatus": inst.legacy_status(),
            "ExitCode": inst.exit_code.unwrap_or(0),
            "Output": encode_content(&inst.output, plain),
            "Dropped": inst.dropped,
            "ErrorCode": inst.error_code,
            "ErrorInfo": inst.error_info,
            "StartTime": inst.start_time.map(iso).unwrap_or_default(),
            "FinishedTime": inst.finish_time.map(iso).unwrap_or_default(),
            "StopTime": "",
            "Repeats": u32::from(inst.start_time.is_some()),
            "Username": self.username,
            "ContainerId": "",
            "ContainerName": "",
            "TerminationMode": "",
            "Launcher": "",
            "Tags": self.tags.to_json(),
        })
    }
}

/// The documented `ErrorCode` → `ErrorInfo` table (reference §3.11).
pub fn error_info(code: &str) -> &'static str {
    match code {
        "InstanceNotExists" => "the specified instance does not exists",
        "InstanceNotRunning" => "the instance is not running when create task",
        "ClientNotRunning" => "the aliyun service is not running on the instance",
        "ClientNotResponse" => "the aliyun service in the instance does not response",
        "ExecutionTimeout" => "the command execution has been timeout",
        "ExecutionInterrupted" => "the command execution has been interrupted",
        "ExitCodeNonzero" => "the command execution exit code is not zero",
        "DeliveryTimeout" => "the command delivery has been timeout",
        _ => "",
    }
}

/// Schedule delivery of an invocation already stored in the region.
pub fn start_invocation(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_ids: &[String],
    now: SimTime,
) {
    for iid in instance_ids {
        let (a, r, t, i) = (
            account.to_string(),
            region.to_string(),
            invoke_id.to_string(),
            iid.clone(),
        );
        world.schedule(now + DELIVERY_MS, move |w, at| {
            deliver(w, &a, &r, &t, &i, at)
        });
    }
}

fn invoke_instance<'w>(
    world: &'w mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
) -> Option<&'w mut InvokeInstance> {
    world
        .region_mut(account, region)
        .ok()?
        .invocations
        .get_mut(invoke_id)?
        .instances
        .iter_mut()
        .find(|i| i.instance_id == instance_id)
}

/// Is this instance's part of the invocation still running (not timed out or finished)?
pub fn still_running(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
) -> bool {
    invoke_instance(world, account, region, invoke_id, instance_id)
        .is_some_and(|i| i.status == "Running")
}

pub fn append_output(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    text: &str,
    at: SimTime,
) {
    if let Some(ii) = invoke_instance(world, account, region, invoke_id, instance_id) {
        ii.push_output(text);
        ii.update_time = at;
    }
}

fn abort(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    code: &str,
    at: SimTime,
) {
    if let Some(ii) = invoke_instance(world, account, region, invoke_id, instance_id) {
        ii.status = "Aborted".into();
        ii.error_code = code.into();
        ii.error_info = error_info(code).into();
        ii.finish_time = Some(at);
        ii.update_time = at;
    }
}

fn deliver(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    at: SimTime,
) {
    let Ok(reg) = world.region_mut(account, region) else {
        return;
    };
    let Some(inv) = reg.invocations.get(invoke_id).cloned() else {
        return;
    };
    let not_deliverable = match reg.instances.get(instance_id) {
        None => Some("InstanceNotExists"),
        Some(inst) if inst.status != "Running" => Some("InstanceNotRunning"),
        Some(inst) if !inst.assistant_running() => Some("ClientNotRunning"),
        Some(_) => None,
    };
    if let Some(code) = not_deliverable {
        abort(world, account, region, invoke_id, instance_id, code, at);
        return;
    }
    let Some(inst) = reg.instances.get_mut(instance_id) else {
        return;
    };
    inst.agent.invocation_count += 1;
    inst.agent.last_invoked = Some(at);
    let mut values = inv.parameters.clone();
    values.extend([
        ("ACS::InstanceId".to_string(), inst.id.clone()),
        ("ACS::InstanceName".to_string(), inst.name.clone()),
        ("ACS::RegionId".to_string(), region.to_string()),
        ("ACS::AccountId".to_string(), account.to_string()),
        ("ACS::InvokeId".to_string(), invoke_id.to_string()),
        ("ACS::CommandId".to_string(), inv.command_id.clone()),
    ]);
    let script = render(&inv.content, &values);
    if let Some(ii) = invoke_instance(world, account, region, invoke_id, instance_id) {
        ii.status = "Running".into();
        ii.start_time = Some(at);
        ii.update_time = at;
    }
    let timeout_ms = inv.timeout.max(1) as SimTime * 1000;
    let (a, r, t, i) = (
        account.to_string(),
        region.to_string(),
        invoke_id.to_string(),
        instance_id.to_string(),
    );
    world.schedule(at + timeout_ms, move |w, at| {
        time_out(w, &a, &r, &t, &i, at)
    });
    guest_scripts::execute(
        world,
        account,
        region,
        invoke_id,
        instance_id,
        &inv.command_type,
        &script,
        at,
    );
}

/// The agent kills a task that runs past its timeout; the guest is never left frozen.
fn time_out(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    at: SimTime,
) {
    if !still_running(world, account, region, invoke_id, instance_id) {
        return;
    }
    super::plugin::thaw_if_frozen(
        world,
        account,
        region,
        instance_id,
        at,
        "invocation timeout",
    );
    if let Some(ii) = invoke_instance(world, account, region, invoke_id, instance_id) {
        ii.status = "Timeout".into();
        ii.exit_code = Some(-1);
        ii.error_code = "ExecutionTimeout".into();
        ii.error_info = error_info("ExecutionTimeout").into();
        ii.finish_time = Some(at);
        ii.update_time = at;
    }
}

/// The instance stopped: its agent is gone, so every task still running there ends
/// `Failed` with `ExecutionInterrupted` (sandbox-chosen mapping; the code is documented,
/// what the real service reports for a stop is not).
pub fn interrupt_tasks_on(
    world: &mut World,
    account: &str,
    region: &str,
    instance_id: &str,
    at: SimTime,
) {
    let Ok(reg) = world.region_mut(account, region) else {
        return;
    };
    for inv in reg.invocations.values_mut() {
        for ii in inv
            .instances
            .iter_mut()
            .filter(|ii| ii.instance_id == instance_id && ii.status == "Running")
        {
            ii.status = "Failed".into();
            ii.exit_code = Some(-1);
            ii.error_code = "ExecutionInterrupted".into();
            ii.error_info = error_info("ExecutionInterrupted").into();
            ii.finish_time = Some(at);
            ii.update_time = at;
        }
    }
}

/// Finish a running task with an exit code; output is appended first.
#[allow(clippy::too_many_arguments)] // the task's four ids plus outcome and time
pub fn finish(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    exit_code: i64,
    output: &str,
    at: SimTime,
) {
    if !still_running(world, account, region, invoke_id, instance_id) {
        return;
    }
    if let Some(ii) = invoke_instance(world, account, region, invoke_id, instance_id) {
        ii.push_output(output);
        ii.exit_code = Some(exit_code);
        ii.finish_time = Some(at);
        ii.update_time = at;
        if exit_code == 0 {
            ii.status = "Success".into();
        } else {
            ii.status = "Failed".into();
            ii.error_code = "ExitCodeNonzero".into();
            ii.error_info = error_info("ExitCodeNonzero").into();
        }
    }
}

// ---------------------------------------------------------------- SendFile

#[derive(Debug, Clone)]
pub struct SendFileInstance {
    pub instance_id: String,
    pub status: String,
    pub error_code: String,
    pub error_info: String,
    pub creation_time: SimTime,
    pub start_time: Option<SimTime>,
    pub finish_time: Option<SimTime>,
    pub update_time: SimTime,
}

#[derive(Debug, Clone)]
pub struct SendFileTask {
    pub id: String,
    pub name: String,
    pub description: String,
    pub content: Vec<u8>,
    /// As given (`PlainText` or `Base64`); `content` is already decoded.
    pub content_type: String,
    pub raw_content: String,
    pub file_mode: String,
    pub owner: String,
    pub group: String,
    pub overwrite: bool,
    pub target_dir: String,
    /// Seconds the file may wait for delivery (`Timeout`, default 60, at least 10).
    pub timeout: u64,
    pub creation_time: SimTime,
    pub tags: Tags,
    pub instances: Vec<SendFileInstance>,
}

impl SendFileTask {
    pub fn status(&self) -> &'static str {
        let st: Vec<&str> = self.instances.iter().map(|i| i.status.as_str()).collect();
        if st.contains(&"Pending") {
            "Pending"
        } else if st.contains(&"Running") {
            "Running"
        } else if st.iter().all(|s| *s == "Success") {
            "Success"
        } else if st.contains(&"Success") {
            "PartialFailed"
        } else {
            "Failed"
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "InvokeId": self.id,
            "Name": self.name,
            "Description": self.description,
            "Content": self.raw_content,
            "ContentType": self.content_type,
            "FileMode": self.file_mode,
            "FileOwner": self.owner,
            "FileGroup": self.group,
            "Overwrite": self.overwrite.to_string(),
            "TargetDir": self.target_dir,
            "CreationTime": iso(self.creation_time),
            "VmCount": self.instances.len(),
            "InvocationStatus": self.status(),
            "ResourceGroupId": "",
            "Tags": self.tags.to_json(),
            "InvokeInstances": { "InvokeInstance": self.instances.iter().map(|i| json!({
                "InstanceId": i.instance_id,
                "InvocationStatus": i.status,
                "ErrorCode": i.error_code,
                "ErrorInfo": i.error_info,
                "CreationTime": iso(i.creation_time),
                "StartTime": i.start_time.map(iso).unwrap_or_default(),
                "FinishTime": i.finish_time.map(iso).unwrap_or_default(),
                "UpdateTime": iso(i.update_time),
            })).collect::<Vec<_>>() },
        })
    }
}

/// Time the agent takes to write a delivered file (Running → Success/Failed).
pub const FILE_WRITE_MS: SimTime = 200;
/// How often an undelivered file send retries while the agent is unreachable.
pub const FILE_RETRY_MS: SimTime = 1_000;

/// Schedule delivery of a file send already stored in the region: each instance moves
/// Pending → Running (agent picked it up, after [`DELIVERY_MS`]) → Success/Failed (file
/// written, [`FILE_WRITE_MS`] later). While the agent is unreachable the instance stays
/// Pending; if it is still undelivered when the request's `Timeout` runs out it ends
/// `Aborted` with `DeliveryTimeout` (sandbox-chosen, see README).
pub fn start_send_file(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    now: SimTime,
) {
    let Some(task) = world
        .region_mut(account, region)
        .ok()
        .and_then(|reg| reg.send_files.get(invoke_id))
    else {
        return;
    };
    let deadline = now + task.timeout as SimTime * 1000;
    let ids: Vec<String> = task
        .instances
        .iter()
        .map(|i| i.instance_id.clone())
        .collect();
    for iid in ids {
        schedule_file_delivery(
            world,
            account,
            region,
            invoke_id,
            &iid,
            now + DELIVERY_MS,
            deadline,
        );
    }
}

fn schedule_file_delivery(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    at: SimTime,
    deadline: SimTime,
) {
    let (a, r, t, i) = (
        account.to_string(),
        region.to_string(),
        invoke_id.to_string(),
        instance_id.to_string(),
    );
    world.schedule(at.min(deadline), move |w, at| {
        deliver_file(w, &a, &r, &t, &i, at, deadline)
    });
}

fn send_file_instance<'w>(
    world: &'w mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
) -> Option<&'w mut SendFileInstance> {
    world
        .region_mut(account, region)
        .ok()?
        .send_files
        .get_mut(invoke_id)?
        .instances
        .iter_mut()
        .find(|i| i.instance_id == instance_id)
}

/// Why an instance cannot take a file right now.
fn file_target_problem(
    world: &mut World,
    account: &str,
    region: &str,
    instance_id: &str,
) -> Option<FileError> {
    let reg = world.region_mut(account, region).ok()?;
    match reg.instances.get(instance_id) {
        None => Some((
            "Failed",
            "InstanceNotExists",
            error_info("InstanceNotExists"),
        )),
        Some(inst) if inst.status != "Running" => Some((
            "Aborted",
            "InstanceNotRunning",
            error_info("InstanceNotRunning"),
        )),
        Some(inst) if !inst.assistant_running() => Some((
            "Aborted",
            "ClientNotRunning",
            error_info("ClientNotRunning"),
        )),
        Some(_) => None,
    }
}

fn end_file_instance(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    outcome: Result<(), FileError>,
    at: SimTime,
) {
    if let Some(fi) = send_file_instance(world, account, region, invoke_id, instance_id) {
        match outcome {
            Ok(()) => fi.status = "Success".into(),
            Err((status, code, info)) => {
                fi.status = status.into();
                fi.error_code = code.into();
                fi.error_info = info.into();
            }
        }
        fi.finish_time = Some(at);
        fi.update_time = at;
    }
}

fn deliver_file(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    at: SimTime,
    deadline: SimTime,
) {
    if send_file_instance(world, account, region, invoke_id, instance_id)
        .is_none_or(|fi| fi.status != "Pending")
    {
        return;
    }
    match file_target_problem(world, account, region, instance_id) {
        // The agent cannot pick the file up (yet): wait for it until the timeout.
        Some((_, "ClientNotRunning", _)) if at < deadline => {
            schedule_file_delivery(
                world,
                account,
                region,
                invoke_id,
                instance_id,
                at + FILE_RETRY_MS,
                deadline,
            );
        }
        Some((_, "ClientNotRunning", _)) => {
            let timeout = ("Aborted", "DeliveryTimeout", error_info("DeliveryTimeout"));
            end_file_instance(
                world,
                account,
                region,
                invoke_id,
                instance_id,
                Err(timeout),
                at,
            );
        }
        Some(problem) => {
            end_file_instance(
                world,
                account,
                region,
                invoke_id,
                instance_id,
                Err(problem),
                at,
            );
        }
        None => {
            if let Some(fi) = send_file_instance(world, account, region, invoke_id, instance_id) {
                fi.status = "Running".into();
                fi.start_time = Some(at);
                fi.update_time = at;
            }
            let (a, r, t, i) = (
                account.to_string(),
                region.to_string(),
                invoke_id.to_string(),
                instance_id.to_string(),
            );
            world.schedule(at + FILE_WRITE_MS, move |w, at| {
                write_file(w, &a, &r, &t, &i, at)
            });
        }
    }
}

/// The agent writes the delivered file; the file-level checks happen here, as in the agent.
fn write_file(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    at: SimTime,
) {
    if send_file_instance(world, account, region, invoke_id, instance_id)
        .is_none_or(|fi| fi.status != "Running")
    {
        return;
    }
    let outcome = match file_target_problem(world, account, region, instance_id) {
        // The instance stopped (or its agent went away) while the file was being written.
        Some(_) => Err((
            "Failed",
            "FileCreateFail",
            "Unexpected error during creating",
        )),
        None => {
            let Ok(reg) = world.region_mut(account, region) else {
                return;
            };
            let (Some(task), Some(inst)) = (
                reg.send_files.get(invoke_id),
                reg.instances.get_mut(instance_id),
            ) else {
                return;
            };
            write_into_guest(inst, task, at)
        }
    };
    end_file_instance(world, account, region, invoke_id, instance_id, outcome, at);
}

type FileError = (&'static str, &'static str, &'static str);

fn write_into_guest(
    inst: &mut super::instances::Instance,
    task: &SendFileTask,
    at: SimTime,
) -> Result<(), FileError> {
    let guest = &mut inst.guest;
    let linux = guest.os_type == OsType::Linux;
    let dir = task.target_dir.trim_end_matches(['/', '\\']);
    let absolute = if linux {
        task.target_dir.starts_with('/')
    } else {
        task.target_dir.len() >= 3
            && task.target_dir.as_bytes()[1] == b':'
            && matches!(task.target_dir.as_bytes()[2], b'\\' | b'/')
    };
    if !absolute {
        return Err(("Failed", "FilePathInvalid", "File path is invalid"));
    }
    if task.name.is_empty()
        || task.name.contains(['/', '\\'])
        || task.name == "."
        || task.name == ".."
    {
        return Err(("Failed", "FileNameInvalid", "File name is invalid"));
    }
    let path = if linux {
        format!("{dir}/{}", task.name)
    } else {
        format!("{dir}\\{}", task.name)
    };
    let (owner, group, mode) = if linux {
        if !guest.users.contains(&task.owner) {
            return Err(("Failed", "FileAuthorityInvalid", "Owner not exists"));
        }
        if !guest.groups.contains(&task.group) {
            return Err(("Failed", "FileAuthorityInvalid", "Group not exists"));
        }
        let Some(mode) = parse_mode(&task.file_mode) else {
            return Err(("Failed", "FileAuthorityInvalid", "Mode is invalid"));
        };
        (task.owner.clone(), task.group.clone(), mode)
    } else {
        ("System".to_string(), "Administrators".to_string(), 0o644)
    };
    if guest.files.contains_key(&path) && !task.overwrite {
        return Err(("Failed", "FileAlreadyExists", "File already exists"));
    }
    guest.write_file(&path, task.content.clone(), &owner, &group, mode, at);
    Ok(())
}

// ---------------------------------------------------------------- public commands

fn def(
    name: &str,
    description: &str,
    default: &str,
    required: bool,
    possible: &[&str],
) -> ParamDef {
    ParamDef {
        name: name.into(),
        description: description.into(),
        default: default.into(),
        required,
        possible_values: possible.iter().map(|s| s.to_string()).collect(),
        pattern: String::new(),
    }
}

/// Public commands served by DescribeCommands(Provider=AlibabaCloud). The app-consistent
/// snapshot ones are **sandbox-invented** (names configurable): their content runs the
/// in-guest plugin the way §4.5 observed it, so both trigger paths share one simulation.
pub fn public_commands(config: &WorldConfig) -> Vec<Command> {
    let common = |id: &str,
                  name: &str,
                  kind: &str,
                  description: &str,
                  content: String,
                  defs: Vec<ParamDef>,
                  category: &str| Command {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        content,
        working_dir: String::new(),
        timeout: 600,
        enable_parameter: !defs.is_empty(),
        parameter_definitions: defs,
        provider: Some("AlibabaCloud".into()),
        category: category.into(),
        version: 3,
        creation_time: 1_700_000_000_000,
        invoke_times: 0,
        launcher: String::new(),
        tags: Tags::default(),
    };
    let shared = |windows: bool| {
        let mut d = vec![def(
            "RamRoleName",
            "Instance RAM role the plug-in uses to create and tag snapshots.",
            "",
            true,
            &[],
        )];
        if windows {
            d.push(def("EnableWriters", "Include VSS application writers (application-consistent); false gives file-system consistency.", "true", false, &["true", "false"]));
        } else {
            d.push(def(
                "EnableFsFreeze",
                "Freeze file systems during the snapshot.",
                "true",
                false,
                &["true", "false"],
            ));
            d.push(def(
                "PreScriptPath",
                "Application freeze script (root, 0700).",
                "/tmp/prescript.sh",
                false,
                &[],
            ));
            d.push(def(
                "PostScriptPath",
                "Application thaw script (root, 0700).",
                "/tmp/postscript.sh",
                false,
                &[],
            ));
        }
        d.extend([
            def(
                "TimeoutInSeconds",
                "I/O freeze timeout in seconds.",
                "30",
                false,
                &[],
            ),
            def(
                "ExcludeDiskId",
                "Comma-separated disk ids to leave out.",
                "",
                false,
                &[],
            ),
            def(
                "Name",
                "Snapshot-consistent group name; default Created_At_YYYYMMDDHHMM.",
                "",
                false,
                &[],
            ),
            def(
                "Description",
                "Snapshot-consistent group description.",
                "",
                false,
                &[],
            ),
            def(
                "RetentionDays",
                "Days to keep the snapshots; empty keeps them until deleted.",
                "",
                false,
                &[],
            ),
            def(
                "InstantAccess",
                "Enable instant access.",
                "true",
                false,
                &["true", "false"],
            ),
            def(
                "InstantAccessRetentionDays",
                "Days instant access stays on.",
                "1",
                false,
                &[],
            ),
        ]);
        d
    };
    let linux_params = "--RamRoleName={{RamRoleName}} -EnableFsFreeze={{EnableFsFreeze}} -TimeoutInSeconds={{TimeoutInSeconds}} -PreScriptPath={{PreScriptPath}} -PostScriptPath={{PostScriptPath}} -ExcludeDiskId={{ExcludeDiskId}} -Name={{Name}} -Description={{Description}} -RetentionDays={{RetentionDays}} -InstantAccess={{InstantAccess}} -InstantAccessRetentionDays={{InstantAccessRetentionDays}}";
    let windows_params = "--RamRoleName={{RamRoleName}} -EnableWriters={{EnableWriters}} -TimeoutInSeconds={{TimeoutInSeconds}} -ExcludeDiskId={{ExcludeDiskId}} -Name={{Name}} -Description={{Description}} -RetentionDays={{RetentionDays}} -InstantAccess={{InstantAccess}} -InstantAccessRetentionDays={{InstantAccessRetentionDays}}";
    vec![
        common(
            "c-pub0appconsistlnx",
            &config.linux_command_name,
            "RunShellScript",
            "Create an application-consistent snapshot-consistent group (Linux). Sandbox-invented name and content.",
            format!("#!/bin/bash\n# sandbox-cloud: sandbox-invented public command; the real one is not documented.\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"{linux_params}\"\n"),
            shared(false),
            "AlibabaCloud.ECS.Snapshot",
        ),
        common(
            "c-pub0appconsistwin",
            &config.windows_command_name,
            "RunPowerShellScript",
            "Create an application-consistent snapshot-consistent group (Windows). Sandbox-invented name and content.",
            format!("# sandbox-cloud: sandbox-invented public command; the real one is not documented.\n& \"C:\\ProgramData\\aliyun\\assist\\plugin\\acs-plugin-manager.exe\" --exec --plugin app-snapshot-plugin --params \"{windows_params}\"\n"),
            shared(true),
            "AlibabaCloud.ECS.Snapshot",
        ),
        common(
            "c-pub0resetpwdlinux",
            "ACS-ECS-ResetPassword-for-linux.sh",
            "RunShellScript",
            "Reset the password of a user.",
            "#!/bin/bash\necho \"{{username}}:{{password}}\" | chpasswd\n".into(),
            vec![def("username", "User name.", "root", true, &[]), def("password", "New password.", "", true, &[])],
            "AlibabaCloud.ECS.GuestOS",
        ),
        common(
            "c-pub0imagerepairlx",
            "ACS-ECS-ImageRepair-for-linux.sh",
            "RunShellScript",
            "Repair common image problems.",
            "#!/bin/bash\n/usr/local/share/aliyun-assist/image-repair.sh\n".into(),
            vec![],
            "AlibabaCloud.ECS.GuestOSDiagnose",
        ),
    ]
}

/// A request-time content check: `ApiResult` so callers can use `?`.
pub fn decode_content(content: &str, encoding: Option<&str>) -> ApiResult<String> {
    if encoding.is_some_and(|e| e.eq_ignore_ascii_case("Base64")) {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .map_err(|_| {
                crate::errors::ApiError::invalid("CommandContent", "it is not valid Base64")
            })?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    } else {
        Ok(content.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(status: &str) -> InvokeInstance {
        let mut i = InvokeInstance::new("i-1", 0);
        i.status = status.into();
        i
    }

    fn inv(statuses: &[&str]) -> Invocation {
        Invocation {
            id: "t-1".into(),
            command_id: "c-1".into(),
            command_name: String::new(),
            command_type: "RunShellScript".into(),
            content: String::new(),
            description: String::new(),
            parameters: vec![],
            timeout: 60,
            working_dir: String::new(),
            username: "root".into(),
            repeat_mode: "Once".into(),
            creation_time: 0,
            tags: Tags::default(),
            instances: statuses.iter().map(|s| inst(s)).collect(),
        }
    }

    #[test]
    fn overall_status_follows_the_documented_aggregation() {
        assert_eq!(inv(&["Pending", "Running"]).status(), "Pending");
        assert_eq!(inv(&["Success", "Running"]).status(), "Running");
        assert_eq!(inv(&["Success", "Success"]).status(), "Success");
        assert_eq!(inv(&["Success", "Stopped"]).status(), "Success");
        assert_eq!(inv(&["Failed", "Timeout"]).status(), "Failed");
        assert_eq!(inv(&["Success", "Aborted"]).status(), "PartialFailed");
        assert_eq!(inv(&["Stopped"]).status(), "Stopped");
        assert_eq!(inv(&["Success"]).legacy_status(), "Finished");
        assert_eq!(inv(&["Failed", "Success"]).legacy_status(), "PartialFailed");
    }

    #[test]
    fn placeholders_render_case_insensitively() {
        let c = "echo {{Name}} {{ACS::InstanceId}} {{name}} {{missing}}";
        assert_eq!(placeholders(c), vec!["Name", "ACS::InstanceId", "missing"]);
        let out = render(
            c,
            &[
                ("name".into(), "x".into()),
                ("ACS::InstanceId".into(), "i-1".into()),
            ],
        );
        assert_eq!(out, "echo x i-1 x {{missing}}");
    }

    #[test]
    fn output_keeps_the_tail() {
        let mut i = inst("Running");
        i.push_output(&"a".repeat(OUTPUT_LIMIT));
        i.push_output("END");
        assert_eq!(i.dropped, 3);
        assert!(i.output.ends_with(b"END"));
    }
}
