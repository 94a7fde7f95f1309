//! Request authentication: which signature scheme a request uses, whose key signed it, and
//! whether the signature, timestamp and nonce hold (reference §1). Written from the
//! reference alone; it shares no code with the client crate.

pub mod acs3;
pub mod encode;
pub mod replay;
pub mod rpc_v1;

use chrono::{DateTime, Utc};

use crate::errors::{ApiError, ApiResult};
pub use replay::ReplayGuard;

/// A request as it arrived, with query and form pairs already split and decoded.
#[derive(Debug, Clone, Default)]
pub struct IncomingRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl IncomingRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A parameter from the query or, failing that, the form body.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(self.form.iter())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    RpcV1,
    Acs3,
}

/// What the key store knows about an AccessKey id.
#[derive(Debug, Clone)]
pub struct KeyMaterial {
    pub secret: String,
    /// Temporary (STS) keys must come with this token.
    pub security_token: Option<String>,
    pub expired: bool,
}

#[derive(Debug, Clone)]
pub struct Verified {
    pub access_key_id: String,
    pub scheme: Scheme,
}

/// Checks that can be relaxed for replaying captured requests (`--allow-replay`).
#[derive(Debug, Clone, Copy)]
pub struct ReplayPolicy {
    pub check_timestamp: bool,
    pub check_nonce: bool,
}

pub const TIMESTAMP_WINDOW_SECS: i64 = 15 * 60;

fn incomplete() -> ApiError {
    ApiError::incomplete_signature()
}

/// Verify a request. `lookup` maps an AccessKey id to its key material.
pub fn verify(
    req: &IncomingRequest,
    lookup: impl Fn(&str) -> Option<KeyMaterial>,
    guard: &mut ReplayGuard,
    policy: ReplayPolicy,
    real_now: DateTime<Utc>,
) -> ApiResult<Verified> {
    let v3 = req
        .header("authorization")
        .filter(|a| a.trim_start().starts_with("ACS3-"));
    let (scheme, ak, provided, token, timestamp, nonce) = if let Some(auth) = v3 {
        let parsed = acs3::parse_authorization(auth).ok_or_else(incomplete)?;
        (
            Scheme::Acs3,
            parsed.access_key_id.clone(),
            Some(parsed),
            req.header("x-acs-security-token"),
            req.header("x-acs-date"),
            req.header("x-acs-signature-nonce"),
        )
    } else {
        if req.param("Signature").is_none() {
            return Err(incomplete());
        }
        let ak = req
            .param("AccessKeyId")
            .ok_or_else(|| ApiError::missing("AccessKeyId"))?;
        (
            Scheme::RpcV1,
            ak.to_string(),
            None,
            req.param("SecurityToken"),
            req.param("Timestamp"),
            req.param("SignatureNonce"),
        )
    };

    let key = lookup(&ak).ok_or_else(ApiError::access_key_not_found)?;
    if let Some(expected) = &key.security_token {
        match token {
            None => return Err(ApiError::missing_security_token()),
            Some(t) if t != expected => return Err(ApiError::security_token_mismatch()),
            Some(_) if key.expired => return Err(ApiError::security_token_expired()),
            Some(_) => {}
        }
    }
    // A long-term key with a SecurityToken attached is accepted as the key alone: the
    // sandbox has no token service for long-term keys (the captured SDK requests do this).

    if scheme == Scheme::RpcV1 {
        if req.param("SignatureMethod") != Some("HMAC-SHA1") {
            return Err(ApiError::signature_method_unsupported());
        }
        if req.param("SignatureVersion") != Some("1.0") {
            return Err(ApiError::signature_version_unsupported());
        }
    }

    if policy.check_timestamp {
        let name = if scheme == Scheme::Acs3 {
            "x-acs-date"
        } else {
            "Timestamp"
        };
        let raw = timestamp.ok_or_else(|| ApiError::missing(name))?;
        let ts = DateTime::parse_from_rfc3339(raw).map_err(|_| ApiError::timestamp_malformed())?;
        let skew = (real_now - ts.with_timezone(&Utc)).num_seconds().abs();
        if skew > TIMESTAMP_WINDOW_SECS {
            return Err(ApiError::timestamp_expired());
        }
    }

    match provided {
        Some(auth) => {
            let cr = acs3::canonical_request(&acs3::CanonicalInput {
                method: &req.method,
                path: &req.path,
                query: &req.query,
                headers: &req.headers,
                signed_headers: &auth.signed_headers,
                body: &req.body,
            });
            let sts = acs3::string_to_sign(&cr);
            if acs3::sign(&key.secret, &sts) != auth.signature.to_ascii_lowercase() {
                return Err(mismatch(&sts));
            }
        }
        None => {
            let all: Vec<(String, String)> =
                req.query.iter().chain(req.form.iter()).cloned().collect();
            let sts = rpc_v1::string_to_sign(&req.method, &all);
            if Some(rpc_v1::sign(&key.secret, &sts).as_str()) != req.param("Signature") {
                return Err(mismatch(&sts));
            }
        }
    }

    if policy.check_nonce {
        let name = if scheme == Scheme::Acs3 {
            "x-acs-signature-nonce"
        } else {
            "SignatureNonce"
        };
        let nonce = nonce.ok_or_else(|| ApiError::missing(name))?;
        if !guard.record(&ak, nonce, real_now.timestamp()) {
            return Err(ApiError::nonce_used());
        }
    }
    Ok(Verified {
        access_key_id: ak,
        scheme,
    })
}

fn mismatch(string_to_sign: &str) -> ApiError {
    ApiError::signature_mismatch(string_to_sign)
}
