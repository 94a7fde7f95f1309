//! RunCommand, InvokeCommand, DescribeInvocations, DescribeInvocationResults,
//! StopInvocation (reference §3.8–3.12).

use serde_json::{json, Value};

use super::commands::{check_lengths, content, new_command, resolve_parameters};
use super::{instance_ids, plain, valid_type};
use crate::api::paging::{limits, page};
use crate::api::{merge, Call};
use crate::errors::{ApiError, ApiResult};
use crate::world::agent::{start_invocation, stop_invocation as stop};
use crate::world::model::command::Command;
use crate::world::model::invocation::{Invocation, InvokeInstance};
use crate::world::model::os::OsType;
use crate::world::model::tags::Tags;

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
    start_invocation(c.world, &c.account, region, &invoke_id, &ids, c.now);
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
                .is_none_or(|x| i.status().legacy().as_str() == x || i.status().as_str() == x)
        })
        .collect();
    invs.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = invs
        .into_iter()
        .map(|i| i.to_json(include, plain))
        .collect();
    let (items, fields) = page(items, &c.p, limits(10, 50, 50), false)?;
    Ok(merge(
        crate::api::list_body("Invocations", "Invocation", items),
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
                        .is_none_or(|x| ii.status.record().as_str() == x || ii.status.as_str() == x)
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

/// StopInvocation: `InvokeId`, optional `InstanceId.N` (1–50, public API page); answers
/// only the `RequestId`.
pub fn stop_invocation(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let invoke_id = c.p.req("InvokeId")?.to_string();
    let ids = c.p.list("InstanceId");
    if ids.len() > 50 {
        return Err(ApiError::instance_ids_exceed(50));
    }
    stop(c.world, &c.account, &region, &invoke_id, &ids, c.now)?;
    Ok(json!({}))
}
