//! A tiny scripted HTTP/1.1 server for transport tests and error paths the sandbox does
//! not produce: each connection gets the next scripted reply; every request is recorded.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub enum Reply {
    Json {
        status: u16,
        body: String,
    },
    /// Answer after a delay (to trigger client timeouts).
    Slow {
        delay: Duration,
        body: String,
    },
    /// Answer with extra response headers.
    WithHeaders {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then close without answering.
    Drop,
}

pub fn ok(body: &str) -> Reply {
    Reply::Json {
        status: 200,
        body: body.to_string(),
    }
}

pub fn error(status: u16, code: &str, request_id: &str) -> Reply {
    Reply::Json {
        status,
        body: error_body(code, request_id),
    }
}

/// `Throttling.User` whose `x-ratelimit-user-api` header asks for `time_left_ms`.
pub fn throttled(request_id: &str, time_left_ms: u64) -> Reply {
    Reply::WithHeaders {
        status: 400,
        headers: vec![(
            "x-ratelimit-user-api".into(),
            format!("Limit:100,Remain:0,TimeLeft:{time_left_ms},Reset:1"),
        )],
        body: error_body("Throttling.User", request_id),
    }
}

fn error_body(code: &str, request_id: &str) -> String {
    format!(
        r#"{{"RequestId":"{request_id}","HostId":"mock","Code":"{code}","Message":"mock {code}","Recommend":"https://api.aliyun.com/troubleshoot?q={code}"}}"#
    )
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        let q = self.target.split_once('?').map(|(_, q)| q).unwrap_or("");
        url::form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn query_value(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

pub struct MockServer {
    pub endpoint: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl MockServer {
    /// Replies are used in order; the last one repeats.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (recs, replies) = (requests.clone(), Arc::new(replies));
        let next = Arc::new(AtomicUsize::new(0));
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (recs, replies, next) = (recs.clone(), replies.clone(), next.clone());
                tokio::spawn(async move {
                    serve(stream, recs, replies, next).await;
                });
            }
        });
        Self { endpoint, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    recs: Arc<Mutex<Vec<Recorded>>>,
    replies: Arc<Vec<Reply>>,
    next: Arc<AtomicUsize>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let Ok(n) = stream.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    recs.lock().unwrap().push(Recorded {
        method,
        target,
        headers,
    });
    let i = next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1);
    let (status, extra, body) = match &replies[i] {
        Reply::Json { status, body } => (*status, Vec::new(), body.clone()),
        Reply::Slow { delay, body } => {
            tokio::time::sleep(*delay).await;
            (200, Vec::new(), body.clone())
        }
        Reply::WithHeaders {
            status,
            headers,
            body,
        } => (*status, headers.clone(), body.clone()),
        Reply::Drop => return,
    };
    let extra: String = extra.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
