//! Commands: CreateCommand, DeleteCommand, DescribeCommands, and what RunCommand and
//! InvokeCommand share with them: content limits and parameter resolution (reference §3.6–3.9).

use base64::Engine as _;
use serde_json::{json, Value};

use super::{plain, valid_type};
use crate::api::paging::{limits, page};
use crate::api::{merge, Call};
use crate::errors::{ApiError, ApiResult};
use crate::world::model::command::{decode_content, Command};
use crate::world::model::tags::Tags;
use crate::world::ram::wildcard_match;

pub(super) fn check_lengths(c: &Call) -> ApiResult<()> {
    if c.p.string("Name").chars().count() > 128 {
        return Err(ApiError::command_name_too_long());
    }
    if c.p.string("Description").chars().count() > 512 {
        return Err(ApiError::command_description_too_long());
    }
    Ok(())
}

/// Command content as plain text, with the Base64 size limit checked.
pub(super) fn content(c: &Call, default_encoding: &str, limit_kb: usize) -> ApiResult<String> {
    let raw = c.p.req("CommandContent")?;
    let enc = c.p.get("ContentEncoding").unwrap_or(default_encoding);
    let text = decode_content(raw, Some(enc))?;
    let b64 = base64::engine::general_purpose::STANDARD
        .encode(text.as_bytes())
        .len();
    if b64 > limit_kb * 1024 {
        return Err(ApiError::command_content_too_long(limit_kb));
    }
    Ok(text)
}

pub(super) fn new_command(
    c: &mut Call,
    region: &str,
    text: String,
    kind: &str,
) -> ApiResult<Command> {
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
    Ok(merge(
        crate::api::list_body("Commands", "Command", items),
        fields,
    ))
}

/// Values for a command's parameters: given ones checked against the command, defaults added.
pub(super) fn resolve_parameters(c: &Call, cmd: &Command) -> ApiResult<Vec<(String, String)>> {
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
