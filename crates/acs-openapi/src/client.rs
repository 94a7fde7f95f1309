//! The request pipeline: resolve endpoint → credentials → sign → send → classify →
//! maybe retry. One `Client` is cheap to clone and shares connections and limits.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::clock::Clock;
use crate::credentials::{
    AssumeRoleCaller, AssumeRoleParams, Credentials, ProvideCredentials, StaticProvider,
};
use crate::endpoint::{host_header, EndpointResolver, Network, Product};
use crate::error::AcsError;
use crate::limiter::{EndpointLimiter, LimitSettings};
use crate::pacer::ThrottlePacer;
use crate::params::Params;
use crate::reply::{check_reply, reply_object, reply_typed, request_id_in};
use crate::retry::{is_retry_safe, is_transient, RetryPolicy};
use crate::signing::{
    self, acs3, redact, rpc_v1, sign_acs3, sign_rpc_v1, Acs3Headers, Acs3Request, RpcV1Common,
    SignatureVersion,
};

/// One API call before signing.
#[derive(Debug, Clone)]
pub struct Request {
    pub product: Product,
    pub action: &'static str,
    pub params: Params,
    /// Endpoint region; the client's region when `None`.
    pub region: Option<String>,
}

impl Request {
    pub fn new(product: Product, action: &'static str, params: Params) -> Self {
        Self {
            product,
            action,
            params,
            region: None,
        }
    }

    pub fn in_region(mut self, region: Option<&str>) -> Self {
        self.region = region.map(str::to_string);
        self
    }
}

#[derive(Clone)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    network: Network,
    signature: SignatureVersion,
    connect_timeout: Duration,
    read_timeout: Duration,
    retry: RetryPolicy,
    limits: LimitSettings,
    clock: Clock,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    strict_decoding: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            region: None,
            endpoint: None,
            network: Network::Public,
            signature: SignatureVersion::Acs3,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            limits: LimitSettings::default(),
            clock: Clock::system(),
            credentials: None,
            strict_decoding: false,
        }
    }
}

impl ClientBuilder {
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// One base URL for every product (e.g. the sandbox); see [`EndpointResolver::with_custom`].
    pub fn endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = Some(base_url.into());
        self
    }
    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }
    pub fn signature(mut self, signature: SignatureVersion) -> Self {
        self.signature = signature;
        self
    }
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = d;
        self
    }
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    pub fn limits(mut self, limits: LimitSettings) -> Self {
        self.limits = limits;
        self
    }
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
    pub fn credentials(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }
    pub fn static_credentials(self, credentials: Credentials) -> Self {
        self.credentials(Arc::new(StaticProvider(credentials)))
    }
    /// Require every field a typed reply expects to be in the JSON (see [`crate::strict`]);
    /// off by default, because the real cloud may omit fields it does not document as
    /// always present. The tests against the sandbox turn it on.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    pub fn build(self) -> Result<Client, AcsError> {
        let credentials = self.credentials.clone().ok_or_else(|| {
            AcsError::InvalidRequest("the client has no credentials provider".into())
        })?;
        let mut resolver = EndpointResolver::new(self.network);
        if let Some(e) = &self.endpoint {
            resolver = resolver.with_custom(e)?;
        }
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!(
                "AppSnap/",
                env!("CARGO_PKG_VERSION"),
                " acs-openapi"
            ));
        if resolver.custom().is_some_and(|u| u.scheme() == "http") {
            // A loopback sandbox must never go through HTTPS_PROXY/HTTP_PROXY.
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|e| AcsError::InvalidRequest(format!("HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                resolver,
                region: self.region,
                signature: self.signature,
                read_timeout: self.read_timeout,
                retry: self.retry,
                limits: self.limits,
                limiters: Mutex::new(HashMap::new()),
                pacer: ThrottlePacer::default(),
                clock: self.clock,
                credentials,
                strict_decoding: self.strict_decoding,
            }),
        })
    }
}

#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    resolver: EndpointResolver,
    region: Option<String>,
    signature: SignatureVersion,
    read_timeout: Duration,
    retry: RetryPolicy,
    limits: LimitSettings,
    limiters: Mutex<HashMap<String, Arc<EndpointLimiter>>>,
    pacer: ThrottlePacer,
    clock: Clock,
    credentials: Arc<dyn ProvideCredentials>,
    strict_decoding: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.region)
            .field("signature", &self.inner.signature)
            .field("strict_decoding", &self.inner.strict_decoding)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    pub fn signature(&self) -> SignatureVersion {
        self.inner.signature
    }

    /// How this client paces actions the gateway throttled.
    pub fn pacer(&self) -> &ThrottlePacer {
        &self.inner.pacer
    }

    /// The credentials the next call will use (for `whoami` displays).
    pub async fn credentials(&self) -> Result<Credentials, AcsError> {
        Ok(self.inner.credentials.provide().await?)
    }

    /// Call and decode the reply into `T`, straight from the reply's bytes.
    pub async fn call<T: DeserializeOwned>(&self, request: &Request) -> Result<T, AcsError> {
        let body = self.call_bytes(request).await?;
        if self.inner.strict_decoding {
            let value = reply_object(request.action, &body)?;
            return crate::strict::from_value(&value).map_err(|e| AcsError::Unparseable {
                action: request.action.to_string(),
                http_status: 200,
                request_id: request_id_in(&body),
                message: format!("reply does not match the expected shape: (strict decoding) {e}"),
            });
        }
        reply_typed(request.action, &body)
    }

    /// Call with retries (only when safe) and return the reply's JSON object.
    pub async fn call_json(&self, request: &Request) -> Result<Value, AcsError> {
        let body = self.call_bytes(request).await?;
        reply_object(request.action, &body)
    }

    /// Call with retries (only when safe); the 2xx body, not yet decoded.
    async fn call_bytes(&self, request: &Request) -> Result<bytes::Bytes, AcsError> {
        let region = request.region.as_deref().or(self.region());
        let base = self.inner.resolver.resolve(request.product, region)?;
        let safe = is_retry_safe(request.action, request.params.get("ClientToken").is_some());
        let limiter = self.limiter_for(self.inner.resolver.politeness_key(request.product, region));
        let mut attempt = 1;
        let pacer = &self.inner.pacer;
        let mut turn_taken = false;
        loop {
            let slot = limiter.acquire().await;
            // The turn is taken once a slot is free, so calls that queued for a slot while
            // the first throttled replies came back are paced too; its wait holds no slot.
            if !turn_taken {
                turn_taken = true;
                let turn = pacer.take_turn(request.product, request.action);
                if !turn.is_zero() {
                    drop(slot);
                    tokio::time::sleep(turn).await;
                    continue;
                }
            }
            let result = self.attempt(request, &base).await;
            drop(slot);
            turn_taken = false;
            let time_left = result
                .as_ref()
                .err()
                .and_then(|e| self.inner.retry.throttle_wait(e));
            if let Some(wait) = time_left {
                pacer.throttled(request.product, request.action, wait);
            }
            match result {
                Err(e) if safe && attempt < self.inner.retry.max_attempts && is_transient(&e) => {
                    // A throttle that named its wait is waited out by the pacer's next turn.
                    let delay = match time_left {
                        Some(_) => Duration::ZERO,
                        None => self.inner.retry.delay_after(attempt, &e),
                    };
                    tracing::debug!(action = request.action, attempt, ?delay, error = %e, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn limiter_for(&self, key: String) -> Arc<EndpointLimiter> {
        let mut map = self.inner.limiters.lock().expect("limiter map lock");
        map.entry(key)
            .or_insert_with(|| Arc::new(EndpointLimiter::new(self.inner.limits)))
            .clone()
    }

    async fn attempt(&self, request: &Request, base: &Url) -> Result<bytes::Bytes, AcsError> {
        let creds = self.inner.credentials.provide().await?;
        let timestamp = signing::format_timestamp(self.inner.clock.now());
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let token = creds.security_token.as_ref().map(|t| t.expose().as_str());
        let secret = creds.access_key_secret.expose();
        let version = request.product.version();
        let host = host_header(base);
        let query = request.params.as_map();
        let redact_token = |s: &str| token.map_or_else(|| s.to_string(), |t| redact(s, t));

        let builder = match self.inner.signature {
            SignatureVersion::Acs3 => {
                let headers = Acs3Headers {
                    host: &host,
                    action: request.action,
                    version,
                    date: &timestamp,
                    nonce: &nonce,
                    hashed_payload: acs3::EMPTY_PAYLOAD_SHA256,
                    access_key_id: &creds.access_key_id,
                    security_token: token,
                    content_type: None,
                }
                .to_headers();
                let signed = sign_acs3(
                    &Acs3Request {
                        method: "POST",
                        path: "/",
                        query,
                        headers: &headers,
                        hashed_payload: acs3::EMPTY_PAYLOAD_SHA256,
                    },
                    &creds.access_key_id,
                    secret,
                );
                tracing::trace!(
                    action = request.action,
                    canonical_request = %redact_token(&signed.canonical_request),
                    string_to_sign = %signed.string_to_sign,
                    "signed request (ACS3)"
                );
                let mut url = base.to_string();
                let q = acs3::canonical_query(query);
                if !q.is_empty() {
                    url.push('?');
                    url.push_str(&q);
                }
                let mut b = self.inner.http.post(url);
                // reqwest derives `host` from the URL, the same value we signed.
                for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
                    b = b.header(name, value);
                }
                b.header("authorization", signed.authorization)
            }
            SignatureVersion::V1 => {
                let common = RpcV1Common {
                    action: request.action,
                    version,
                    access_key_id: &creds.access_key_id,
                    security_token: token,
                    timestamp: &timestamp,
                    nonce: &nonce,
                };
                let params = rpc_v1::rpc_v1_params(&common, query);
                let signed = sign_rpc_v1("POST", &params, secret);
                tracing::trace!(
                    action = request.action,
                    canonical_query = %redact_token(&signed.canonical_query),
                    string_to_sign = %redact_token(&signed.string_to_sign),
                    "signed request (v1)"
                );
                let url = format!("{base}?{}", rpc_v1::signed_query_string(&signed));
                self.inner
                    .http
                    .post(url)
                    .header("x-acs-action", request.action)
                    .header("x-acs-version", version)
            }
        };

        let started = std::time::Instant::now();
        let response = builder
            .header("accept", "application/json")
            .timeout(self.inner.read_timeout)
            .send()
            .await
            .map_err(|e| self.send_error(request.action, &host, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.send_error(request.action, &host, e))?;
        let secrets: Vec<&str> = token.into_iter().chain([secret.as_str()]).collect();
        let result = check_reply(request.action, status, &headers, &body)
            .map(|()| body)
            .map_err(|e| e.redact_secrets(&secrets));
        let request_id = match &result {
            Ok(body) if tracing::enabled!(tracing::Level::DEBUG) => request_id_in(body),
            Ok(_) => None,
            Err(e) => e.request_id().map(str::to_string),
        };
        tracing::debug!(
            action = request.action,
            endpoint = %host,
            status,
            request_id = request_id.as_deref().unwrap_or("-"),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "call finished"
        );
        result
    }

    fn send_error(&self, action: &str, endpoint: &str, e: reqwest::Error) -> AcsError {
        let (action, endpoint) = (action.to_string(), endpoint.to_string());
        let message = error_chain(&e);
        if e.is_builder() {
            AcsError::InvalidRequest(message)
        } else if e.is_connect() {
            AcsError::NotSent {
                action,
                endpoint,
                message,
            }
        } else if e.is_timeout() {
            AcsError::TimedOut {
                action,
                endpoint,
                timeout: self.inner.read_timeout,
            }
        } else {
            AcsError::NoResponse {
                action,
                endpoint,
                message,
            }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// STS AssumeRole through a client built from a template (endpoint, signature, timeouts).
#[derive(Debug, Clone)]
pub struct StsAssumeRole {
    template: ClientBuilder,
}

impl StsAssumeRole {
    pub fn new(template: ClientBuilder) -> Self {
        Self { template }
    }
}

impl AssumeRoleCaller for StsAssumeRole {
    fn assume_role<'a>(
        &'a self,
        source: &'a Credentials,
        params: &'a AssumeRoleParams,
    ) -> futures::future::BoxFuture<'a, Result<Credentials, AcsError>> {
        Box::pin(async move {
            let mut builder = self.template.clone().static_credentials(source.clone());
            builder.region = params.sts_region.clone();
            let client = builder.build()?;
            let reply = client
                .assume_role(&crate::actions::sts::AssumeRoleRequest {
                    role_arn: params.role_arn.clone(),
                    role_session_name: params.role_session_name.clone(),
                    duration_seconds: params.duration_seconds,
                    policy: params.policy.clone(),
                    external_id: params.external_id.clone(),
                })
                .await?;
            Ok(reply.into_credentials())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_needs_credentials_and_a_valid_endpoint() {
        assert!(Client::builder().build().is_err());
        let creds = Credentials::access_key("id", "s");
        let err = Client::builder()
            .static_credentials(creds.clone())
            .endpoint("http://example.com")
            .build()
            .unwrap_err();
        assert!(matches!(err, AcsError::InvalidRequest(_)));
        assert!(Client::builder()
            .static_credentials(creds)
            .endpoint("http://127.0.0.1:1")
            .build()
            .is_ok());
    }
}
