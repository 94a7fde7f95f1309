//! The control API under `/_sandbox/` (documented in CONTROL_API.md): reset, scenarios,
//! clock, faults, guest/agent changes and state inspection. Unsigned JSON, never an Action.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};

use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::api::{implemented, Product};
use crate::clock::iso;
use crate::faults::FaultSpec;
use crate::flow_control::FlowConfig;
use crate::scenarios::demo_accounts;
use crate::state::{ScenarioSpec, Shared, State as Sandbox};
use crate::world::model::guest::ScriptBehaviour;
use crate::world::model::instance::Instance;
use crate::world::WorldConfig;

type Reply = Result<Json<Value>, Fail>;

/// A control API error: `{"error": "..."}` with a status.
pub struct Fail(StatusCode, String);

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn bad(status: StatusCode, msg: impl Into<String>) -> Fail {
    Fail(status, msg.into())
}

fn parse<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, Fail> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| bad(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))
}

fn with<R>(shared: &Shared, f: impl FnOnce(&mut Sandbox) -> R) -> R {
    let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
    guard.now();
    f(&mut guard)
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sandbox/health", get(health))
        .route("/_sandbox/accounts", get(accounts))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/scenario", post(scenario))
        .route("/_sandbox/config", get(config).post(set_config))
        .route("/_sandbox/clock", get(clock))
        .route("/_sandbox/clock/step", post(step))
        .route("/_sandbox/clock/speed", post(speed))
        .route(
            "/_sandbox/faults",
            get(faults).post(add_fault).delete(clear_faults),
        )
        .route("/_sandbox/faults/{id}", delete(remove_fault))
        .route("/_sandbox/instances/{id}", get(instance))
        .route("/_sandbox/instances/{id}/agent", post(agent))
        .route("/_sandbox/instances/{id}/guest", post(guest))
        .route(
            "/_sandbox/instances/{id}/guest/remove-file",
            post(remove_guest_file),
        )
        .route("/_sandbox/instances/{id}/stall", post(stall))
        .route("/_sandbox/instances/{id}/release-disk", post(release_disk))
        .route(
            "/_sandbox/flow-control",
            get(flow_control).put(set_flow_control),
        )
        .route("/_sandbox/state/calls", get(calls))
        .route("/_sandbox/state/frozen", get(frozen))
        .route("/_sandbox/state/freeze-history", get(freeze_history))
        .route("/_sandbox/state/snapshot-groups", get(snapshot_groups))
        .route("/_sandbox/state/invocations", get(invocations))
        .route("/_sandbox/state/ram", get(ram))
        .route(
            "/_sandbox/{*rest}",
            get(not_found)
                .post(not_found)
                .put(not_found)
                .delete(not_found),
        )
}

async fn not_found() -> Fail {
    bad(
        StatusCode::NOT_FOUND,
        "unknown control route; see crates/sandbox-cloud/CONTROL_API.md",
    )
}

async fn health(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        let now = st.clock.now();
        Json(
            json!({ "ok": true, "scenario": st.scenario.name, "seed": st.scenario.seed, "now": iso(now) }),
        )
    })
}

async fn accounts(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        let mut list: Vec<Value> = demo_accounts()
            .into_iter()
            .map(|a| json!({"name": a.name, "account_id": a.account_id, "access_key_id": a.access_key_id, "access_key_secret": a.access_key_secret, "power": a.power}))
            .collect();
        for (id, secret) in &st.extra_keys {
            list.push(json!({"name": "extra-admin", "account_id": crate::scenarios::DEMO_ACCOUNT_ID, "access_key_id": id, "access_key_secret": secret, "power": "admin"}));
        }
        Json(json!({ "accounts": list }))
    })
}

async fn reset(State(s): State<Shared>) -> Reply {
    with(&s, |st| {
        let spec = st.scenario.clone();
        st.load(spec).map_err(|e| bad(StatusCode::BAD_REQUEST, e))?;
        Ok(Json(json!({ "ok": true })))
    })
}

async fn scenario(State(s): State<Shared>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize, Default)]
    struct Body {
        name: Option<String>,
        seed: Option<u64>,
        instances: Option<usize>,
        regions: Option<usize>,
    }
    let b: Body = parse(&body)?;
    with(&s, |st| {
        let spec = ScenarioSpec {
            name: b.name.unwrap_or_else(|| "demo".into()),
            seed: b.seed.unwrap_or(st.scenario.seed),
            instances: b.instances.unwrap_or(st.scenario.instances),
            regions: b.regions.unwrap_or(st.scenario.regions),
        };
        st.load(spec.clone())
            .map_err(|e| bad(StatusCode::BAD_REQUEST, e))?;
        Ok(Json(json!({ "ok": true, "scenario": spec })))
    })
}

async fn config(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| Json(json!(st.world.config)))
}

async fn set_config(State(s): State<Shared>, body: Bytes) -> Reply {
    let patch: Value = parse(&body)?;
    with(&s, |st| {
        let mut current = json!(st.world.config);
        if let (Value::Object(c), Value::Object(p)) = (&mut current, patch) {
            for (k, v) in p {
                if !c.contains_key(&k) {
                    return Err(bad(
                        StatusCode::BAD_REQUEST,
                        format!("unknown config key '{k}'"),
                    ));
                }
                c.insert(k, v);
            }
        }
        let cfg: WorldConfig = serde_json::from_value(current)
            .map_err(|e| bad(StatusCode::BAD_REQUEST, e.to_string()))?;
        st.world.set_config(cfg);
        Ok(Json(json!(st.world.config)))
    })
}

fn clock_json(st: &mut Sandbox) -> Json<Value> {
    let now = st.now();
    Json(json!({ "now": iso(now), "now_ms": now, "time_scale": st.clock.time_scale() }))
}

async fn clock(State(s): State<Shared>) -> Json<Value> {
    with(&s, clock_json)
}

async fn step(State(s): State<Shared>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize, Default)]
    struct Body {
        seconds: f64,
    }
    let b: Body = parse(&body)?;
    if !(b.seconds >= 0.0 && b.seconds.is_finite()) {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            "seconds must be a non-negative number",
        ));
    }
    Ok(with(&s, |st| {
        st.clock.step((b.seconds * 1000.0) as i64);
        clock_json(st)
    }))
}

async fn speed(State(s): State<Shared>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize, Default)]
    struct Body {
        time_scale: f64,
    }
    let b: Body = parse(&body)?;
    if !(b.time_scale >= 0.0 && b.time_scale.is_finite()) {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            "time_scale must be a non-negative number",
        ));
    }
    Ok(with(&s, |st| {
        st.clock.set_time_scale(b.time_scale);
        clock_json(st)
    }))
}

async fn faults(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| Json(json!({ "faults": st.faults.list })))
}

async fn add_fault(State(s): State<Shared>, body: Bytes) -> Reply {
    let spec: FaultSpec = parse(&body)?;
    spec.validate()
        .map_err(|e| bad(StatusCode::BAD_REQUEST, e))?;
    Ok(with(&s, |st| Json(json!({ "id": st.faults.add(spec) }))))
}

async fn clear_faults(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        st.faults.clear();
        Json(json!({ "ok": true }))
    })
}

async fn remove_fault(State(s): State<Shared>, Path(id): Path<u64>) -> Reply {
    with(&s, |st| {
        if st.faults.remove(id) {
            Ok(Json(json!({ "ok": true })))
        } else {
            Err(bad(StatusCode::NOT_FOUND, format!("no fault {id}")))
        }
    })
}

fn with_instance<R>(s: &Shared, id: &str, f: impl FnOnce(&mut Instance) -> R) -> Result<R, Fail> {
    with(s, |st| {
        let (a, r) = st
            .world
            .find_instance(id)
            .ok_or_else(|| bad(StatusCode::NOT_FOUND, format!("no instance {id}")))?;
        let inst = st
            .world
            .region_mut(&a, &r)
            .ok()
            .and_then(|reg| reg.instance_mut(id))
            .ok_or_else(|| bad(StatusCode::NOT_FOUND, format!("no instance {id}")))?;
        Ok(f(inst))
    })
}

async fn instance(State(s): State<Shared>, Path(id): Path<String>) -> Reply {
    // The attached disks with the snapshot each was last reset from, for rollback tests.
    let disks: Vec<Value> = with(&s, |st| {
        st.world
            .find_instance(&id)
            .and_then(|(a, r)| st.world.region_mut(&a, &r).ok())
            .map(|reg| {
                let mut ds: Vec<_> = reg
                    .disks()
                    .values()
                    .filter(|d| d.instance_id.as_deref() == Some(id.as_str()))
                    .map(|d| json!({ "disk_id": d.id, "kind": d.kind, "reset_from": d.reset_from }))
                    .collect();
                ds.sort_by_key(|d| d["disk_id"].as_str().unwrap_or_default().to_owned());
                ds
            })
            .unwrap_or_default()
    });
    with_instance(&s, &id, |inst| {
        Json(json!({
            "instance": inst.to_json(),
            "ram_role": inst.ram_role,
            "agent": { "installed": inst.agent.installed, "pending_install": inst.agent.pending_install, "online": inst.agent.online, "version": inst.agent.version },
            "guest": inst.guest.to_json(),
            "disks": disks,
        }))
    })
}

async fn agent(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize, Default)]
    struct Body {
        online: bool,
    }
    let b: Body = parse(&body)?;
    with_instance(&s, &id, |inst| {
        inst.agent.online = b.online;
        Json(json!({ "ok": true, "online": b.online }))
    })
}

async fn guest(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Body {
        prescript: Option<ScriptBehaviour>,
        postscript: Option<ScriptBehaviour>,
        freeze_stall: Option<bool>,
        #[serde(default, with = "double_option")]
        vss_writer_fails: Option<Option<String>>,
    }
    let b: Body = parse(&body)?;
    with_instance(&s, &id, |inst| {
        let g = &mut inst.guest.behaviour;
        if let Some(p) = b.prescript {
            g.prescript = p;
        }
        if let Some(p) = b.postscript {
            g.postscript = p;
        }
        if let Some(f) = b.freeze_stall {
            g.freeze_stall = f;
        }
        if let Some(w) = b.vss_writer_fails {
            g.vss_writer_fails = w;
        }
        Json(json!({ "ok": true, "behaviour": g }))
    })
}

/// A guest file removed, as a reboot empties `/tmp` or a user deletes a script.
async fn remove_guest_file(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Body {
        path: String,
    }
    let b: Body = parse(&body)?;
    if b.path.is_empty() {
        return Err(bad(StatusCode::BAD_REQUEST, "path is required"));
    }
    with_instance(&s, &id, |inst| {
        let removed = inst.guest.files.remove(&b.path).is_some();
        Json(json!({ "ok": true, "removed": removed }))
    })
}

/// Distinguish an absent field from an explicit `null`.
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

async fn calls(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        Json(json!({
            "calls": st.calls,
            "total": st.calls.values().sum::<u64>(),
            "throttled": st.throttled,
            "throttled_total": st.throttled.values().sum::<u64>(),
        }))
    })
}

async fn flow_control(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| Json(json!(st.flow.config)))
}

/// Replace the whole flow-control configuration; every bucket starts full.
async fn set_flow_control(State(s): State<Shared>, body: Bytes) -> Reply {
    let cfg: FlowConfig = serde_json::from_slice(&body)
        .map_err(|e| bad(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))?;
    cfg.validate(|a| {
        [Product::Ecs, Product::Ram, Product::Sts]
            .iter()
            .any(|p| implemented(*p).contains(&a))
    })
    .map_err(|e| bad(StatusCode::BAD_REQUEST, e))?;
    with(&s, |st| {
        st.flow.set(cfg);
        Ok(Json(json!(st.flow.config)))
    })
}

/// Make the instance's next plugin runs hang (or not): see CONTROL_API.md.
async fn stall(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        stalled: bool,
    }
    let b: Body = serde_json::from_slice(&body)
        .map_err(|e| bad(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))?;
    with_instance(&s, &id, |inst| {
        inst.guest.behaviour.stall = b.stalled;
        Json(json!({ "ok": true, "stalled": b.stalled }))
    })
}

/// Releases one of the instance's disks, as if deleted in the console: gone from
/// DescribeDisks, its snapshots kept (rollback tests refuse a group whose disk is gone).
async fn release_disk(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Reply {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        disk_id: String,
    }
    let b: Body = serde_json::from_slice(&body)
        .map_err(|e| bad(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))?;
    with(&s, |st| {
        let (a, r) = st
            .world
            .find_instance(&id)
            .ok_or_else(|| bad(StatusCode::NOT_FOUND, format!("no instance {id}")))?;
        let reg = st
            .world
            .region_mut(&a, &r)
            .map_err(|_| bad(StatusCode::NOT_FOUND, format!("no instance {id}")))?;
        match reg.disks().get(&b.disk_id) {
            Some(d) if d.instance_id.as_deref() == Some(id.as_str()) => {
                reg.remove_disk(&b.disk_id);
                Ok(Json(json!({ "ok": true, "released": b.disk_id })))
            }
            _ => Err(bad(
                StatusCode::NOT_FOUND,
                format!("instance {id} has no disk {}", b.disk_id),
            )),
        }
    })
}

async fn frozen(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        let mut list = Vec::new();
        for a in st.world.accounts.values() {
            for r in a.regions.values() {
                for i in r.instances.values() {
                    if let Some(f) = &i.guest.frozen {
                        list.push(json!({"instance_id": i.id, "region_id": r.id, "mount_points": f.mount_points, "since": iso(f.since), "invoke_id": f.invoke_id}));
                    }
                }
            }
        }
        Json(json!({ "frozen": list }))
    })
}

async fn freeze_history(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| Json(json!({ "history": st.world.freeze_history })))
}

async fn snapshot_groups(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        let now = st.clock.now();
        let mut list = Vec::new();
        for a in st.world.accounts.values() {
            for r in a.regions.values() {
                for g in r.snapshot_groups.values() {
                    let snaps: Vec<Value> = g
                        .snapshot_ids
                        .iter()
                        .filter_map(|id| r.snapshots.get(id))
                        .map(|sn| json!({"snapshot_id": sn.id, "source_disk_id": sn.disk_id, "available": sn.available(now), "tags": sn.tags.0.iter().cloned().collect::<std::collections::BTreeMap<_, _>>()}))
                        .collect();
                    list.push(json!({"account_id": a.id, "region_id": r.id, "snapshot_group_id": g.id, "instance_id": g.instance_id, "name": g.name, "status": g.status(&r.snapshots, now), "snapshots": snaps}));
                }
            }
        }
        Json(json!({ "snapshot_groups": list }))
    })
}

async fn invocations(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        let mut list = Vec::new();
        for a in st.world.accounts.values() {
            for r in a.regions.values() {
                for inv in r.invocations.values() {
                    let inst: Vec<Value> = inv.instances.iter().map(|i| json!({"instance_id": i.instance_id, "status": i.status, "exit_code": i.exit_code})).collect();
                    list.push(json!({"account_id": a.id, "region_id": r.id, "invoke_id": inv.id, "command_name": inv.command_name, "status": inv.status(), "instances": inst}));
                }
            }
        }
        Json(json!({ "invocations": list }))
    })
}

async fn ram(State(s): State<Shared>) -> Json<Value> {
    with(&s, |st| {
        let accounts: Vec<Value> = st
            .world
            .accounts
            .values()
            .map(|a| {
                let roles: Vec<Value> = a.ram.roles.values().map(|r| {
                    let policies: Vec<Value> = r.policies.iter().map(|(t, n, _)| json!({"policy_type": t, "policy_name": n})).collect();
                    json!({"role_name": r.name, "trust_policy": r.trust_policy, "policies": policies})
                }).collect();
                let policies: Vec<Value> = a.ram.policies.values().map(|p| json!({"policy_name": p.name, "document": p.document})).collect();
                json!({"account_id": a.id, "roles": roles, "policies": policies})
            })
            .collect();
        Json(json!({ "accounts": accounts }))
    })
}
