//! SendFile and DescribeSendFileResults (reference §3.13).

use base64::Engine as _;
use serde_json::{json, Value};

use super::instance_ids;
use crate::api::paging::{limits, page};
use crate::api::{merge, Call};
use crate::errors::{ApiError, ApiResult};
use crate::world::model::guest::parse_mode;
use crate::world::model::send_file::{SendFileInstance, SendFileTask};
use crate::world::model::tags::Tags;
use crate::world::send_file::start_send_file;

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
    if parse_mode(&file_mode).is_none() {
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
            .map(|i| SendFileInstance::new(i, c.now))
            .collect(),
    };
    c.world
        .region_mut(&c.account, &region)?
        .send_files
        .insert(id.clone(), task);
    start_send_file(c.world, &c.account, &region, &id, c.now);
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
        .filter(|t| status.as_ref().is_none_or(|x| t.status().as_str() == x))
        .collect();
    tasks.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = tasks.into_iter().map(SendFileTask::to_json).collect();
    let (items, fields) = page(items, &c.p, limits(10, 50, 50), false)?;
    Ok(merge(
        crate::api::list_body("Invocations", "Invocation", items),
        fields,
    ))
}
