//! Test-only HTTP client and request signer: a third, independent implementation of the
//! signing rules (not the server's verifier, not the client crate), plus control helpers.
#![allow(dead_code)]

pub mod app_consistent;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sandbox_cloud::{start, RunningSandbox, SandboxOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const ADMIN: (&str, &str) = (
    "LTAI5tSandboxAdmin000001",
    "SandboxAdminSecret0000000000001",
);
pub const OPERATOR: (&str, &str) = ("LTAI5tSandboxOperator001", "SandboxOperatorSecret000000001");
pub const READ_ONLY: (&str, &str) = ("LTAI5tSandboxReadOnly001", "SandboxReadOnlySecret000000001");
pub const ECS: &str = "2014-05-26";
pub const RAM: &str = "2015-05-01";
pub const STS: &str = "2015-04-01";

/// Start a sandbox with a paused clock (tests step it).
pub async fn sandbox() -> RunningSandbox {
    start(SandboxOptions {
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send raw bytes, read one response (Content-Length framed). Err when the server closed
/// the connection without answering.
pub async fn raw(addr: SocketAddr, request: &[u8]) -> Result<HttpResponse, String> {
    let mut s = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    s.write_all(request).await.map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let status: u16 = lines
                .next()
                .and_then(|l| l.split(' ').nth(1))
                .and_then(|c| c.parse().ok())
                .ok_or("bad status line")?;
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).await.map_err(|e| e.to_string())?;
                if n == 0 {
                    return Err("connection closed mid-body".into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(HttpResponse {
                status,
                headers,
                body: buf[end + 4..end + 4 + len].to_vec(),
            });
        }
        let n = s.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed without a response".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

pub fn pct(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o += &format!("%{b:02X}");
        }
    }
    o
}

static NONCE: AtomicU64 = AtomicU64::new(1);

fn nonce() -> String {
    format!(
        "test-{}-{}",
        std::process::id(),
        NONCE.fetch_add(1, Ordering::Relaxed)
    )
}

fn now_iso() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// RPC v1, GET, everything in the query.
    V1Get,
    /// RPC v1, POST, business parameters in a form body.
    V1Form,
    /// ACS3-HMAC-SHA256, POST, parameters in the query.
    V3,
}

#[derive(Clone)]
pub struct Client {
    pub addr: SocketAddr,
    pub key: String,
    pub secret: String,
    pub token: Option<String>,
    pub style: Style,
}

impl Client {
    pub fn new(sb: &RunningSandbox, key: (&str, &str)) -> Self {
        Self {
            addr: sb.local_addr(),
            key: key.0.into(),
            secret: key.1.into(),
            token: None,
            style: Style::V1Get,
        }
    }

    pub fn with_style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Build the signed request bytes.
    pub fn build(&self, action: &str, version: &str, params: &[(&str, &str)]) -> Vec<u8> {
        match self.style {
            Style::V1Get | Style::V1Form => self.build_v1(action, version, params),
            Style::V3 => self.build_v3(action, version, params),
        }
    }

    fn build_v1(&self, action: &str, version: &str, params: &[(&str, &str)]) -> Vec<u8> {
        let mut common: Vec<(String, String)> = vec![
            ("Action".into(), action.into()),
            ("Version".into(), version.into()),
            ("Format".into(), "JSON".into()),
            ("AccessKeyId".into(), self.key.clone()),
            ("SignatureMethod".into(), "HMAC-SHA1".into()),
            ("SignatureVersion".into(), "1.0".into()),
            ("SignatureNonce".into(), nonce()),
            ("Timestamp".into(), now_iso()),
        ];
        if let Some(t) = &self.token {
            common.push(("SecurityToken".into(), t.clone()));
        }
        // A caller-given Format (e.g. XML) replaces the default JSON.
        common.retain(|(k, _)| !params.iter().any(|(p, _)| p == k));
        let business: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut all: Vec<(String, String)> =
            common.iter().chain(business.iter()).cloned().collect();
        all.sort();
        let canon = all
            .iter()
            .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
            .collect::<Vec<_>>()
            .join("&");
        let sts = format!(
            "{}&%2F&{}",
            if self.style == Style::V1Get {
                "GET"
            } else {
                "POST"
            },
            pct(&canon)
        );
        let mut mac =
            Hmac::<sha1::Sha1>::new_from_slice(format!("{}&", self.secret).as_bytes()).unwrap();
        mac.update(sts.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        // Spaces go on the wire as '+', as the Python SDK sends them.
        let enc = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(k, v)| format!("{}={}", pct(k), pct(v).replace("%20", "+")))
                .collect::<Vec<_>>()
                .join("&")
        };
        if self.style == Style::V1Get {
            let mut q = all.clone();
            q.push(("Signature".into(), sig));
            format!(
                "GET /?{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                enc(&q),
                self.addr
            )
            .into_bytes()
        } else {
            let mut q = common.clone();
            q.push(("Signature".into(), sig));
            let body = enc(&business);
            format!(
                "POST /?{} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                enc(&q),
                self.addr,
                body.len()
            )
            .into_bytes()
        }
    }

    fn build_v3(&self, action: &str, version: &str, params: &[(&str, &str)]) -> Vec<u8> {
        let mut q: Vec<(String, String)> = params.iter().map(|(k, v)| (pct(k), pct(v))).collect();
        q.sort();
        let query = q
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let empty = hex::encode(Sha256::digest(b""));
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), self.addr.to_string()),
            ("x-acs-action".into(), action.into()),
            ("x-acs-version".into(), version.into()),
            ("x-acs-date".into(), now_iso()),
            ("x-acs-signature-nonce".into(), nonce()),
            ("x-acs-content-sha256".into(), empty.clone()),
        ];
        if let Some(t) = &self.token {
            headers.push(("x-acs-security-token".into(), t.clone()));
            headers.push(("x-acs-accesskey-id".into(), self.key.clone()));
        }
        headers.sort();
        let canon_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let signed = headers
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let cr = format!("POST\n/\n{query}\n{canon_headers}\n{signed}\n{empty}");
        let sts = format!(
            "ACS3-HMAC-SHA256\n{}",
            hex::encode(Sha256::digest(cr.as_bytes()))
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()).unwrap();
        mac.update(sts.as_bytes());
        let sig = hex::encode(mac.finalize().into_bytes());
        let mut req = format!("POST /?{query} HTTP/1.1\r\n");
        for (k, v) in &headers {
            req += &format!("{k}: {v}\r\n");
        }
        req += &format!("accept: application/json\r\nauthorization: ACS3-HMAC-SHA256 Credential={},SignedHeaders={signed},Signature={sig}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", self.key);
        req.into_bytes()
    }

    pub async fn call(&self, action: &str, version: &str, params: &[(&str, &str)]) -> (u16, Value) {
        let r = raw(self.addr, &self.build(action, version, params))
            .await
            .expect("response");
        (r.status, r.json())
    }

    /// A call that must succeed.
    pub async fn ok(&self, action: &str, version: &str, params: &[(&str, &str)]) -> Value {
        let (status, body) = self.call(action, version, params).await;
        assert_eq!(status, 200, "{action} failed: {body}");
        body
    }

    /// The id of a demo instance, by name.
    pub async fn instance_id(&self, region: &str, name: &str) -> String {
        let b = self
            .ok(
                "DescribeInstances",
                ECS,
                &[("RegionId", region), ("InstanceName", name)],
            )
            .await;
        b["Instances"]["Instance"][0]["InstanceId"]
            .as_str()
            .unwrap_or_else(|| panic!("no instance {name} in {region}"))
            .to_string()
    }

    /// A call that must fail with this code.
    pub async fn err(
        &self,
        action: &str,
        version: &str,
        params: &[(&str, &str)],
        code: &str,
    ) -> (u16, Value) {
        let (status, body) = self.call(action, version, params).await;
        assert_eq!(
            body["Code"], code,
            "{action}: expected {code}, got {status} {body}"
        );
        assert!(status >= 400);
        (status, body)
    }
}

/// A control API call.
pub async fn control(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let r = raw(addr, req.as_bytes()).await.expect("control response");
    (r.status, r.json())
}

pub async fn step(addr: SocketAddr, seconds: f64) {
    let (s, _) = control(
        addr,
        "POST",
        "/_sandbox/clock/step",
        Some(serde_json::json!({ "seconds": seconds })),
    )
    .await;
    assert_eq!(s, 200);
}
