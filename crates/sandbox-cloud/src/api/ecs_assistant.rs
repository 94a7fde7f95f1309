//! ECS Cloud Assistant actions: agent status/installation, commands, invocations and their
//! results, file sends (reference §3.4–3.13).

use base64::Engine as _;
use serde_json::{json, Value};

use super::paging::{limits, page};
use super::{merge, Call};
use crate::errors::{ApiError, ApiResult};
use crate::world::cloud_assistant::{
    self as ca, Command, Invocation, InvokeInstance, SendFileInstance, SendFileTask,
};
use crate::world::instances::OsType;
use crate::world::ram::wildcard_match;
use crate::world::tags::Tags;

fn plain(c: &Call, default_plain: bool) -> bool {
    match c.p.get("ContentEncoding") {
        Some(e) => e.eq_ignore_ascii_case("PlainText"),
        None => default_plain,
    }
}

fn instance_ids(c: &Call, max: usize) -> ApiResult<Vec<String>> {
    let ids = c.p.list("InstanceId");
    if ids.is_empty() {
        return Err(ApiError::missing("InstanceId.N"));
    }
    if ids.len() > max {
        return Err(ApiError::instance_ids_exceed(max));
    }
    Ok(ids)
}

pub fn describe_cloud_assistant_status(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.list("InstanceId");
    if ids.len() > 100 {
        return Err(ApiError::instance_ids_exceed(100));
    }
    let os = c.p.get("OSType").map(str::to_ascii_lowercase);
    let reg = c.world.region_mut(&c.account, &region)?;
    reg.check_instances(ids.iter(), ApiError::assistant_instance_not_found)?;
    let items: Vec<_> = reg
        .instances
        .values()
        .filter(|i| ids.is_empty() || ids.contains(&i.id))
        .filter(|i| os.as_ref().is_none_or(|o| o == i.os.os_type.lower()))
        .collect();
    let (items, fields) = page(items, &c.p, limits(10, 100, 50), false)?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|i| i.cloud_assistant_json())
        .collect();
    Ok(merge(
        json!({ "InstanceCloudAssistantStatusSet": { "InstanceCloudAssistantStatus": items } }),
        fields,
    ))
}

pub fn install_cloud_assistant(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = instance_ids(c, 50)?;
    let reg = c.world.region_mut(&c.account, &region)?;
    reg.check_instances(ids.iter(), ApiError::assistant_instance_not_found)?;
    for id in &ids {
        let inst = reg.instances.get_mut(id).expect("checked");
        if !inst.agent.installed {
            // Takes effect after the next restart (reference §3.5).
            inst.agent.pending_install = true;
            inst.agent.online = true;
        }
    }
    Ok(json!({}))
}

fn valid_type(kind: &str) -> ApiResult<OsType> {
    match kind {
        "RunShellScript" => Ok(OsType::Linux),
        "RunPowerShellScript" | "RunBatScript" => Ok(OsType::Windows),
        _ => Err(ApiError::command_type_not_found(kind)),
    }
}

fn check_lengths(c: &Call) -> ApiResult<()> {
    if c.p.string("Name").chars().count() > 128 {
        return Err(ApiError::command_name_too_long());
    }
    if c.p.string("Description").chars().count() > 512 {
        return Err(ApiError::command_description_too_long());
    }
    Ok(())
}

/// Command content as plain text, with the Base64 size limit checked.
fn content(c: &Call, default_encoding: &str, limit_kb: usize) -> ApiResult<String> {
    let raw = c.p.req("CommandContent")?;
    let enc = c.p.get("ContentEncoding").unwrap_or(default_encoding);
    let text = ca::decode_content(raw, Some(enc))?;
    let b64 = base64::engine::general_purpose::STANDARD
        .encode(text.as_bytes())
        .len();
    if b64 > limit_kb * 1024 {
        return Err(ApiError::command_content_too_long(limit_kb));
    }
    Ok(text)
}

fn new_command(c: &mut Call, region: &str, text: String, kind: &str) -> ApiResult<Command> {
    let timeout = c.p.u64("Timeout")?.unwrap_or(60);
    let enable_parameter = c.p.bool("EnableParameter", false)?;
    Ok(Command {
        id: c.world.rng.assistant_id("c", region),
        name: c.p.string("Name"),
        description: c.p.string("Description"),
        kind: kind.to_string(),
        content: text,
        working_dir: c.p.string("WorkingDir"),
        timeout,
        enable_parameter,
        parameter_definitions: Vec::new(),
        provider: None,
        category: String::new(),
        version: 1,
        creation_time: c.now,
        invoke_times: 0,
        launcher: c.p.string("Launcher"),
        tags: Tags(c.p.tags("Tag")),
    })
}

pub fn create_command(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    c.p.req("Name")?;
    let kind = c.p.req("Type")?.to_string();
    valid_type(&kind)?;
    check_lengths(c)?;
    let text = content(c, "Base64", 18)?;
    let cmd = new_command(c, &region, text, &kind)?;
    let id = cmd.id.clone();
    c.world
        .region_mut(&c.account, &region)?
        .commands
        .insert(id.clone(), cmd);
    Ok(json!({ "CommandId": id }))
}

pub fn delete_command(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let id = c.p.req("CommandId")?.to_string();
    c.world
        .region_mut(&c.account, &region)?
        .commands
        .remove(&id)
        .ok_or_else(ApiError::command_not_found)?;
    Ok(json!({}))
}

pub fn describe_commands(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let provider = c.p.get("Provider").map(String::from);
    let id = c.p.get("CommandId").map(String::from);
    let name = c.p.get("Name").map(String::from);
    let kind = c.p.get("Type").map(String::from);
    let plain = plain(c, false);
    let commands: Vec<Command> = match &provider {
        Some(p) => c
            .world
            .public_commands
            .iter()
            .filter(|cmd| p == "AlibabaCloud" || cmd.category.eq_ignore_ascii_case(p))
            .cloned()
            .collect(),
        None => c
            .world
            .region_mut(&c.account, &region)?
            .commands
            .values()
            .cloned()
            .collect(),
    };
    let items: Vec<Value> = commands
        .iter()
        .filter(|cmd| id.as_ref().is_none_or(|i| &cmd.id == i))
        .filter(|cmd| kind.as_ref().is_none_or(|k| &cmd.kind == k))
        .filter(|cmd| match &name {
            None => true,
            // Public commands match fuzzily by default; own commands by exact name or `*`.
            Some(n) if provider.is_some() => {
                let bare = n.trim_matches('*').to_ascii_lowercase();
                wildcard_match(n, &cmd.name) || cmd.name.to_ascii_lowercase().contains(&bare)
            }
            Some(n) => wildcard_match(n, &cmd.name),
        })
        .map(|cmd| cmd.to_json(plain))
        .collect();
    let (items, fields) = page(items, &c.p, limits(10, 50, 50), false)?;
    Ok(merge(json!({ "Commands": { "Command": items } }), fields))
}

/// Values for a command's parameters: given ones checked against the command, defaults added.
fn resolve_parameters(c: &Call, cmd: &Command) -> ApiResult<Vec<(String, String)>> {
    let given: Vec<(String, String)> = match c.p.get("Parameters") {
        None => Vec::new(),
        Some(raw) => {
            let v: Value = serde_json::from_str(raw)
                .map_err(|_| ApiError::invalid("Parameters", "not a JSON object"))?;
            let obj = v
                .as_object()
                .ok_or_else(|| ApiError::invalid("Parameters", "not a JSON object"))?;
            obj.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(String::from)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        }
    };
    if !cmd.enable_parameter {
        if !given.is_empty() {
            return Err(ApiError::parameters_disabled());
        }
        return Ok(Vec::new());
    }
    if given.len() > 10 {
        return Err(ApiError::parameter_count_exceeded());
    }
    let names = cmd.parameter_names();
    let not_matched = |why: String| ApiError::parameters_not_matched(&why);
    for (k, _) in &given {
        if k.len() > 64 {
            return Err(ApiError::parameter_key_too_long());
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case(k)) {
            return Err(not_matched(format!("unknown parameter {k}")));
        }
    }
    let mut values = Vec::new();
    for n in &names {
        let def = cmd
            .parameter_definitions
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(n));
        match given.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)) {
            Some((_, v)) => {
                if let Some(d) = def {
                    if !d.possible_values.is_empty()
                        && !d.possible_values.iter().any(|p| p.eq_ignore_ascii_case(v))
                    {
                        return Err(not_matched(format!(
                            "{n} must be one of {}",
                            d.possible_values.join(", ")
                        )));
                    }
                    if d.required && v.is_empty() {
                        return Err(not_matched(format!("{n} is required")));
                    }
                }
                values.push((n.clone(), v.clone()));
            }
            None => match def {
                Some(d) if d.required => return Err(not_matched(format!("{n} is required"))),
                Some(d) => values.push((n.clone(), d.default.clone())),
                None => return Err(not_matched(format!("no value for {n}"))),
            },
        }
    }
    Ok(values)
}

/// Check the target instances and create the invocation.
fn launch(
    c: &mut Call,
    region: &str,
    cmd: &Command,
    ids: Vec<String>,
    params: Vec<(String, String)>,
    timeout: u64,
) -> ApiResult<String> {
    let os = valid_type(&cmd.kind)?;
    let reg = c.world.region_mut(&c.account, region)?;
    for id in &ids {
        let inst = reg
            .instances
            .get(id)
            .ok_or_else(|| ApiError::assistant_instance_not_found(id))?;
        if inst.os.os_type != os {
            return Err(ApiError::instance_os_mismatch(id, inst.os.os_type.title()));
        }
    }
    let invoke_id = c.world.rng.assistant_id("t", region);
    let inv = Invocation {
        id: invoke_id.clone(),
        command_id: cmd.id.clone(),
        command_name: cmd.name.clone(),
        command_type: cmd.kind.clone(),
        content: cmd.content.clone(),
        description: cmd.description.clone(),
        parameters: params,
        timeout,
        working_dir: c
            .p
            .get("WorkingDir")
            .map(String::from)
            .unwrap_or_else(|| cmd.working_dir.clone()),
        username: c.p.get("Username").map(String::from).unwrap_or_else(|| {
            if os == OsType::Linux {
                "root".into()
            } else {
                "System".into()
            }
        }),
        repeat_mode: "Once".into(),
        creation_time: c.now,
        tags: Tags(c.p.tags("Tag")),
        instances: ids.iter().map(|i| InvokeInstance::new(i, c.now)).collect(),
    };
    c.world
        .region_mut(&c.account, region)?
        .invocations
        .insert(invoke_id.clone(), inv);
    ca::start_invocation(c.world, &c.account, region, &invoke_id, &ids, c.now);
    Ok(invoke_id)
}

fn repeat_mode(c: &Call) -> ApiResult<()> {
    match c.p.get("RepeatMode") {
        None | Some("Once") => Ok(()),
        Some(other) => Err(ApiError::unsupported_repeat_mode(other)),
    }
}

pub fn run_command(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let kind = c.p.req("Type")?.to_string();
    valid_type(&kind)?;
    check_lengths(c)?;
    repeat_mode(c)?;
    let keep = c.p.bool("KeepCommand", false)?;
    let text = content(c, "PlainText", if keep { 18 } else { 24 })?;
    let ids = instance_ids(c, 100)?;
    let cmd = new_command(c, &region, text, &kind)?;
    let params = resolve_parameters(c, &cmd)?;
    let invoke_id = launch(c, &region, &cmd, ids, params, cmd.timeout)?;
    let id = cmd.id.clone();
    if keep {
        c.world
            .region_mut(&c.account, &region)?
            .commands
            .insert(id.clone(), cmd);
    }
    Ok(json!({ "CommandId": id, "InvokeId": invoke_id }))
}

pub fn invoke_command(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let id = c.p.req("CommandId")?.to_string();
    repeat_mode(c)?;
    let ids = instance_ids(c, 100)?;
    // A `c-` id of an own command, or the id or name of a public command.
    let own = c
        .world
        .region_mut(&c.account, &region)?
        .commands
        .get(&id)
        .cloned();
    let cmd = own
        .or_else(|| {
            c.world
                .public_commands
                .iter()
                .find(|p| p.id == id || p.name == id)
                .cloned()
        })
        .ok_or_else(ApiError::command_not_found)?;
    let timeout = match c.p.u64("Timeout")? {
        Some(t) if t < 10 => {
            return Err(ApiError::invalid("Timeout", "must be at least 10 seconds"))
        }
        Some(t) => t,
        None => cmd.timeout,
    };
    let params = resolve_parameters(c, &cmd)?;
    let invoke_id = launch(c, &region, &cmd, ids, params, timeout)?;
    if let Ok(reg) = c.world.region_mut(&c.account, &region) {
        if let Some(own) = reg.commands.get_mut(&cmd.id) {
            own.invoke_times += 1;
        }
    }
    Ok(json!({ "InvokeId": invoke_id }))
}

pub fn describe_invocations(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let f = |k: &str| c.p.get(k).map(String::from);
    let (invoke, command, cname, ctype, instance, status) = (
        f("InvokeId"),
        f("CommandId"),
        f("CommandName"),
        f("CommandType"),
        f("InstanceId"),
        f("InvokeStatus"),
    );
    let include = c.p.bool("IncludeOutput", false)?;
    let plain = plain(c, false);
    let reg = c.world.region_mut(&c.account, &region)?;
    let mut invs: Vec<&Invocation> = reg
        .invocations
        .values()
        .filter(|i| invoke.as_ref().is_none_or(|x| &i.id == x))
        .filter(|i| command.as_ref().is_none_or(|x| &i.command_id == x))
        .filter(|i| cname.as_ref().is_none_or(|x| &i.command_name == x))
        .filter(|i| ctype.as_ref().is_none_or(|x| &i.command_type == x))
        .filter(|i| {
            instance
                .as_ref()
                .is_none_or(|x| i.instances.iter().any(|ii| &ii.instance_id == x))
        })
        .filter(|i| {
            status
                .as_ref()
                .is_none_or(|x| i.legacy_status() == x || i.status() == x)
        })
        .collect();
    invs.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = invs
        .into_iter()
        .map(|i| i.to_json(include, plain))
        .collect();
    let (items, fields) = page(items, &c.p, limits(10, 50, 50), false)?;
    Ok(merge(
        json!({ "Invocations": { "Invocation": items } }),
        fields,
    ))
}

pub fn describe_invocation_results(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let f = |k: &str| c.p.get(k).map(String::from);
    let (invoke, command, instance, status) = (
        f("InvokeId"),
        f("CommandId"),
        f("InstanceId"),
        f("InvokeRecordStatus"),
    );
    let plain = plain(c, false);
    let reg = c.world.region_mut(&c.account, &region)?;
    let mut invs: Vec<&Invocation> = reg
        .invocations
        .values()
        .filter(|i| invoke.as_ref().is_none_or(|x| &i.id == x))
        .filter(|i| command.as_ref().is_none_or(|x| &i.command_id == x))
        .collect();
    invs.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(a.id.cmp(&b.id)));
    let rows: Vec<Value> = invs
        .iter()
        .flat_map(|inv| {
            inv.instances
                .iter()
                .filter(|ii| instance.as_ref().is_none_or(|x| &ii.instance_id == x))
                .filter(|ii| {
                    status
                        .as_ref()
                        .is_none_or(|x| ii.legacy_status() == x || &ii.status == x)
                })
                .map(|ii| inv.result_json(ii, plain))
        })
        .collect();
    let (rows, mut fields) = page(rows, &c.p, limits(10, 50, 50), false)?;
    fields.insert(
        "InvocationResults".into(),
        json!({ "InvocationResult": rows }),
    );
    Ok(json!({ "Invocation": Value::Object(fields) }))
}

pub fn send_file(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = instance_ids(c, 50)?;
    let name = c.p.req("Name")?.to_string();
    let target = c.p.req("TargetDir")?.to_string();
    let raw = c.p.req("Content")?.to_string();
    if name.chars().count() > 255 {
        return Err(ApiError::file_name_too_long());
    }
    if target.chars().count() > 255 {
        return Err(ApiError::file_target_dir_invalid());
    }
    if c.p.string("Description").chars().count() > 512 {
        return Err(ApiError::file_description_too_long());
    }
    let content_type = c.p.get("ContentType").unwrap_or("PlainText").to_string();
    let bytes = if content_type.eq_ignore_ascii_case("Base64") {
        base64::engine::general_purpose::STANDARD
            .decode(raw.trim())
            .map_err(|_| ApiError::file_content_undecodable())?
    } else if content_type.eq_ignore_ascii_case("PlainText") {
        raw.clone().into_bytes()
    } else {
        return Err(ApiError::file_content_type_invalid(&content_type));
    };
    if base64::engine::general_purpose::STANDARD
        .encode(&bytes)
        .len()
        > 32 * 1024
    {
        return Err(ApiError::file_too_large());
    }
    let file_mode = c.p.get("FileMode").unwrap_or("0644").to_string();
    if crate::world::guest::parse_mode(&file_mode).is_none() {
        return Err(ApiError::file_mode_invalid(&file_mode));
    }
    let owner = c.p.get("FileOwner").unwrap_or("root").to_string();
    let group = c.p.get("FileGroup").unwrap_or("root").to_string();
    if owner.len() > 64 || group.len() > 64 {
        return Err(ApiError::invalid(
            "FileOwner",
            "owner and group are at most 64 characters",
        ));
    }
    let overwrite = c.p.bool("Overwrite", false)?;
    // How long delivery may wait for the agent; values under 10 are raised to 10 (§3.13).
    let timeout = c.p.u64("Timeout")?.unwrap_or(60).max(10);
    let reg = c.world.region_mut(&c.account, &region)?;
    reg.check_instances(ids.iter(), ApiError::assistant_instance_not_found)?;
    let id = c.world.rng.assistant_id("f", &region);
    let task = SendFileTask {
        id: id.clone(),
        name,
        description: c.p.string("Description"),
        content: bytes,
        content_type,
        raw_content: raw,
        file_mode,
        owner,
        group,
        overwrite,
        target_dir: target,
        timeout,
        creation_time: c.now,
        tags: Tags(c.p.tags("Tag")),
        instances: ids
            .iter()
            .map(|i| SendFileInstance {
                instance_id: i.clone(),
                status: "Pending".into(),
                error_code: String::new(),
                error_info: String::new(),
                creation_time: c.now,
                start_time: None,
                finish_time: None,
                update_time: c.now,
            })
            .collect(),
    };
    c.world
        .region_mut(&c.account, &region)?
        .send_files
        .insert(id.clone(), task);
    ca::start_send_file(c.world, &c.account, &region, &id, c.now);
    Ok(json!({ "InvokeId": id }))
}

pub fn describe_send_file_results(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let f = |k: &str| c.p.get(k).map(String::from);
    let (invoke, instance, name, status) = (
        f("InvokeId"),
        f("InstanceId"),
        f("Name"),
        f("InvocationStatus"),
    );
    let reg = c.world.region_mut(&c.account, &region)?;
    let mut tasks: Vec<&SendFileTask> = reg
        .send_files
        .values()
        .filter(|t| invoke.as_ref().is_none_or(|x| &t.id == x))
        .filter(|t| name.as_ref().is_none_or(|x| &t.name == x))
        .filter(|t| {
            instance
                .as_ref()
                .is_none_or(|x| t.instances.iter().any(|i| &i.instance_id == x))
        })
        .filter(|t| status.as_ref().is_none_or(|x| t.status() == x))
        .collect();
    tasks.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = tasks.into_iter().map(SendFileTask::to_json).collect();
    let (items, fields) = page(items, &c.p, limits(10, 50, 50), false)?;
    Ok(merge(
        json!({ "Invocations": { "Invocation": items } }),
        fields,
    ))
}
