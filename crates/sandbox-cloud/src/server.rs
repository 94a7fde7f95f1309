//! The HTTP server: one accept loop, one hyper connection per socket (so a fault can drop
//! the connection), the control API under `/_sandbox/`, the cloud API everywhere else.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::api::{self, render, Call, Params, Product};
use crate::auth::{self, encode::parse_pairs, IncomingRequest, KeyMaterial, ReplayPolicy};
use crate::errors::ApiError;
use crate::flow_control;
use crate::state::Shared;

/// Lets a handler close its own connection (dropped-connection faults).
#[derive(Clone)]
struct ConnKill(Arc<Notify>);

const MAX_BODY: usize = 4 * 1024 * 1024;

pub fn router(shared: Shared) -> Router {
    crate::control::routes()
        .fallback(api_handler)
        .with_state(shared)
}

pub async fn serve(listener: TcpListener, shared: Shared, mut shutdown: watch::Receiver<bool>) {
    let app = router(shared);
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    conns.spawn(serve_connection(stream, app.clone()));
                }
            }
        }
        while conns.try_join_next().is_some() {}
    }
    conns.abort_all();
}

async fn serve_connection(stream: TcpStream, app: Router) {
    let kill = Arc::new(Notify::new());
    let k = kill.clone();
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnKill(k.clone()));
        app.clone().oneshot(req)
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
    }
}

struct Answer {
    status: u16,
    body: Value,
    /// A list's items as JSON text, written into `body` (see `api::splice`).
    splice: Option<api::Splice>,
    xml_root: Option<String>,
    /// The `x-ratelimit-user-api` value of a throttled answer.
    rate_limit: Option<String>,
}

/// The header of a `Throttling.User` a fault injected (no bucket behind it).
const FAULT_RATE_LIMIT: &str = "Limit:100,Remain:0,TimeLeft:1000,Reset:1";

fn respond(mut a: Answer, request_id: &str) -> Response {
    let (ct, text) = match (&a.xml_root, a.splice.take()) {
        (Some(root), splice) => {
            if let Some(splice) = splice {
                splice.fold_into(&mut a.body);
            }
            (
                "text/xml;charset=utf-8",
                render::to_xml(root, &a.body).into_bytes(),
            )
        }
        // to_vec, not Display: the formatter adapter costs a call per token.
        (None, splice) => (
            "application/json;charset=utf-8",
            match splice {
                Some(mut splice) => serde_json::to_vec(&splice.around(&a.body)),
                None => serde_json::to_vec(&a.body),
            }
            .unwrap_or_default(),
        ),
    };
    let mut resp = (
        StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        text,
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert("content-type", HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-acs-request-id", v);
    }
    if let Some(v) = a
        .rate_limit
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        h.insert(flow_control::HEADER, v);
    }
    resp
}

fn error_answer(err: &ApiError, request_id: &str, product: Option<Product>, xml: bool) -> Answer {
    let p = product.unwrap_or(Product::Ecs);
    Answer {
        status: err.status,
        body: render::error_body(err, request_id, p.host(), p.name()),
        splice: None,
        xml_root: xml.then(|| "Error".to_string()),
        rate_limit: err
            .code
            .starts_with("Throttling")
            .then(|| FAULT_RATE_LIMIT.to_string()),
    }
}

async fn api_handler(AxState(shared): AxState<Shared>, req: Request) -> Response {
    let kill = req.extensions().get::<ConnKill>().cloned();
    let (parts, body) = req.into_parts();
    let body = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b.to_vec(),
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let is_form = headers.iter().any(|(k, v)| {
        k == "content-type"
            && v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
    });
    let incoming = IncomingRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parse_pairs(parts.uri.query().unwrap_or("")),
        form: if is_form {
            parse_pairs(&String::from_utf8_lossy(&body))
        } else {
            Vec::new()
        },
        headers,
        body,
    };
    let v3 = incoming
        .header("authorization")
        .is_some_and(|a| a.trim_start().starts_with("ACS3-"));
    let xml = !v3
        && !incoming
            .param("Format")
            .is_some_and(|f| f.eq_ignore_ascii_case("json"));
    let action = incoming
        .param("Action")
        .or_else(|| incoming.header("x-acs-action"))
        .unwrap_or("")
        .to_string();
    let version = incoming
        .param("Version")
        .or_else(|| incoming.header("x-acs-version"))
        .unwrap_or("")
        .to_string();
    let product = Product::from_version(&version);

    // Phase 1 (under the lock): route, authenticate, authorise, decide faults.
    let (request_id, pre) = {
        let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
        let st = &mut *guard;
        let now = st.now();
        let request_id = st.world.rng.request_id();
        *st.calls
            .entry(if action.is_empty() {
                "(none)".into()
            } else {
                action.clone()
            })
            .or_default() += 1;
        let policy = ReplayPolicy {
            check_timestamp: !st.allow_replay,
            check_nonce: !st.allow_replay,
        };
        let keys = &st.world.keys;
        let lookup = |ak: &str| {
            keys.get(ak).map(|k| KeyMaterial {
                secret: k.secret.clone(),
                security_token: k.sts.as_ref().map(|(t, _)| t.clone()),
                expired: k.sts.as_ref().is_some_and(|(_, exp)| now > *exp),
            })
        };
        let result = (|| {
            let plain = |e: ApiError| (e, None);
            if action.is_empty() {
                return Err(plain(ApiError::missing("Action")));
            }
            let product = product
                .ok_or_else(|| ApiError::invalid_version(&version))
                .map_err(plain)?;
            let verified =
                auth::verify(&incoming, lookup, &mut st.guard, policy, chrono::Utc::now())
                    .map_err(plain)?;
            let key = st
                .world
                .keys
                .get(&verified.access_key_id)
                .cloned()
                .ok_or_else(ApiError::internal)
                .map_err(plain)?;
            api::authorize(&st.world, &key.account_id, &key.principal, product, &action)
                .map_err(plain)?;
            if api::routes::route(product, &action).is_some() {
                if let Err(t) = st.flow.take(&key.account_id, &action, now) {
                    let t = t.on_wall_clock(st.clock.time_scale());
                    return Err((ApiError::throttled(), Some(t.header_value())));
                }
            }
            Ok((product, key, st.faults.decide(&action)))
        })();
        let throttled = match &result {
            Err((e, _)) => e.code == ApiError::throttled().code,
            Ok((_, _, d)) => d
                .reject
                .as_ref()
                .is_some_and(|e| e.code == ApiError::throttled().code),
        };
        if throttled {
            *st.throttled.entry(action.clone()).or_default() += 1;
        }
        (request_id, result)
    };
    let (product, key, decision) = match pre {
        Ok(x) => x,
        Err((e, rate_limit)) => {
            let mut a = error_answer(&e, &request_id, product, xml);
            a.rate_limit = rate_limit.or(a.rate_limit);
            return respond(a, &request_id);
        }
    };
    if decision.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.latency_ms)).await;
    }
    if decision.drop {
        return drop_connection(kill).await;
    }
    if let Some(e) = decision.reject {
        return respond(
            error_answer(&e, &request_id, Some(product), xml),
            &request_id,
        );
    }

    // Phase 2: apply the action.
    let answer = {
        let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
        let st = &mut *guard;
        let now = st.now();
        let params = Params::from_pairs(incoming.query.iter().chain(incoming.form.iter()));
        let mut call = Call {
            world: &mut st.world,
            now,
            account: key.account_id.clone(),
            principal: key.principal.clone(),
            access_key_id: key.id.clone(),
            p: params,
            splice: None,
        };
        match api::dispatch(&mut call, product, &action, &version) {
            Ok(mut body) => {
                if let Value::Object(m) = &mut body {
                    m.insert("RequestId".into(), Value::String(request_id.clone()));
                }
                Answer {
                    status: 200,
                    body,
                    splice: call.splice.take(),
                    xml_root: xml.then(|| format!("{action}Response")),
                    rate_limit: None,
                }
            }
            Err(e) => error_answer(&e, &request_id, Some(product), xml),
        }
    };
    if decision.drop_after_apply {
        return drop_connection(kill).await;
    }
    respond(answer, &request_id)
}

async fn drop_connection(kill: Option<ConnKill>) -> Response {
    match kill {
        Some(k) => {
            k.0.notify_one();
            // Never answers: the connection task drops the socket.
            std::future::pending::<Response>().await
        }
        // Without a connection handle (in-process router use) answer an empty 502.
        None => (StatusCode::BAD_GATEWAY, Body::empty()).into_response(),
    }
}
