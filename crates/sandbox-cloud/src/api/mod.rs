//! Routing: product from `Version` (or `x-acs-version`), action from `Action` (or
//! `x-acs-action`); caller authorisation; `ClientToken` idempotency; then the handler.

pub mod ecs_assistant;
pub mod ecs_instances;
pub mod ecs_snapshots;
pub mod paging;
pub mod params;
pub mod ram;
pub mod render;
pub mod routes;
pub mod splice;
pub mod sts;

use serde_json::Value;

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::world::{Principal, World};
pub use params::Params;
pub use routes::{implemented, is_read};
use routes::{route, Access};
pub use splice::Splice;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Ecs,
    Ram,
    Sts,
}

impl Product {
    pub fn from_version(version: &str) -> Option<Self> {
        match version {
            "2014-05-26" => Some(Product::Ecs),
            "2015-05-01" => Some(Product::Ram),
            "2015-04-01" => Some(Product::Sts),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Product::Ecs => "Ecs",
            Product::Ram => "Ram",
            Product::Sts => "Sts",
        }
    }

    pub fn host(self) -> &'static str {
        match self {
            Product::Ecs => "ecs.aliyuncs.com",
            Product::Ram => "ram.aliyuncs.com",
            Product::Sts => "sts.aliyuncs.com",
        }
    }

    fn policy_prefix(self) -> &'static str {
        match self {
            Product::Ecs => "ecs",
            Product::Ram => "ram",
            Product::Sts => "sts",
        }
    }

    fn denied(self) -> ApiError {
        match self {
            Product::Ecs => ApiError::forbidden_ram(),
            _ => ApiError::no_permission(),
        }
    }
}

/// Add paging (or other top-level) fields to an answer body.
/// `{outer: {inner: items}}`, the two-level list wrapper, built in place: `json!` would
/// serialise `items` into a deep copy (a page of 500 disks, every call).
pub(crate) fn list_body(outer: &str, inner: &str, items: Vec<Value>) -> Value {
    let mut list = serde_json::Map::new();
    list.insert(inner.to_owned(), Value::Array(items));
    let mut body = serde_json::Map::new();
    body.insert(outer.to_owned(), Value::Object(list));
    Value::Object(body)
}

/// A list answer from typed views already serialised (`Splice::list`), plus `fields`: the
/// body holds an empty list the server writes the items into (see `splice`).
fn list_views(c: &mut Call, items: Splice, fields: serde_json::Map<String, Value>) -> Value {
    let body = merge(list_body(items.outer, items.inner, Vec::new()), fields);
    c.splice = Some(items);
    body
}

/// The values whose keys `ids` names (every value when `ids` is empty), in key order:
/// looked up, not scanned (a scale region holds thousands; a batch names up to 100).
fn select<'a, T>(map: &'a std::collections::BTreeMap<String, T>, ids: &[String]) -> Vec<&'a T> {
    if ids.is_empty() {
        return map.values().collect();
    }
    let wanted: std::collections::BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    wanted.into_iter().filter_map(|id| map.get(id)).collect()
}

fn merge(mut body: Value, fields: serde_json::Map<String, Value>) -> Value {
    if let Value::Object(m) = &mut body {
        m.extend(fields);
    }
    body
}

/// One authenticated call.
pub struct Call<'w> {
    pub world: &'w mut World,
    pub now: SimTime,
    pub account: String,
    pub principal: Principal,
    pub access_key_id: String,
    pub p: Params,
    /// Set by a handler that answered a list from typed views (`list_views`).
    pub splice: Option<Splice>,
}

/// May this principal call this action? An action the sandbox does not implement is not
/// checked here: dispatching it answers `UnsupportedOperation` to every caller.
pub fn authorize(
    world: &World,
    account: &str,
    principal: &Principal,
    product: Product,
    action: &str,
) -> ApiResult<()> {
    let Some(route) = route(product, action) else {
        return Ok(());
    };
    match (principal, route.access) {
        (_, Access::Anyone) | (Principal::Admin { .. }, _) => Ok(()),
        (Principal::Operator { .. }, _) if product == Product::Ram => {
            Err(ApiError::no_permission())
        }
        (Principal::Operator { .. }, Access::PassRole) => Err(ApiError::pass_role_forbidden()),
        (Principal::Operator { .. }, _) => Ok(()),
        (Principal::ReadOnly { .. }, _) if is_read(product, action) => Ok(()),
        (Principal::ReadOnly { .. }, _) => Err(product.denied()),
        (Principal::RoleSession { role_name, .. }, _) => {
            let ram = &world.account(account)?.ram;
            if ram.role_allows(role_name, &format!("{}:{action}", product.policy_prefix())) {
                Ok(())
            } else {
                Err(product.denied())
            }
        }
    }
}

/// Run one action (authorisation already done). Handles ClientToken idempotency.
pub fn dispatch(
    call: &mut Call,
    product: Product,
    action: &str,
    version: &str,
) -> ApiResult<Value> {
    let route = route(product, action)
        .ok_or_else(|| ApiError::unsupported(product.name(), action, version))?;
    let h = route.handler;
    let token = call.p.get("ClientToken").map(String::from);
    let Some(token) = token.filter(|_| route.idempotent) else {
        return h(call);
    };
    if token.len() > 64 || !token.is_ascii() {
        return Err(ApiError::invalid(
            "ClientToken",
            "at most 64 ASCII characters",
        ));
    }
    let fingerprint = serde_json::to_string(
        &call
            .p
            .0
            .iter()
            .filter(|(k, _)| !params::COMMON.contains(&k.as_str()))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let key = (call.account.clone(), action.to_string(), token);
    if let Some((fp, answer)) = call.world.idempotency.get(&key) {
        if *fp != fingerprint {
            return Err(ApiError::idempotent_mismatch());
        }
        return Ok(answer.clone());
    }
    let mut answer = h(call)?;
    // The cache keeps whole bodies.
    if let Some(splice) = call.splice.take() {
        splice.fold_into(&mut answer);
    }
    call.world
        .idempotency
        .insert(key, (fingerprint, answer.clone()));
    Ok(answer)
}
