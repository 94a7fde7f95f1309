//! The request pipeline over real HTTP against a scripted local server: what goes on the
//! wire, retries and their limits, ClientToken reuse, timeouts, error typing, paging.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use acs_openapi::actions::cloud_assistant::RunCommandRequest;
use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::signing::acs3::{sha256_hex, sign_acs3, Acs3Request};
use acs_openapi::signing::rpc_v1::sign_rpc_v1;
use acs_openapi::{
    AcsError, Client, ClientBuilder, Credentials, ErrorKind, Jitter, RetryPolicy, SignatureVersion,
};
use futures::TryStreamExt;
use test_support::mock_server::{error, ok, throttled, MockServer, Recorded, Reply};

const REGIONS: &str = r#"{"RequestId":"REQ-OK","Regions":{"Region":[{"RegionId":"cn-hangzhou","LocalName":"华东1（杭州）","RegionEndpoint":"ecs-cn-hangzhou.aliyuncs.com","Status":"available"}]}}"#;

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .endpoint(&server.endpoint)
        .region("cn-hangzhou")
        .static_credentials(Credentials::access_key("testid", "testsecret"))
        .retry(RetryPolicy {
            jitter: Jitter::from_fn(|_| Duration::from_millis(1)),
            ..RetryPolicy::default()
        })
}

/// Re-verify an ACS3 request the way a server does: only the headers it says it signed.
fn verify_acs3(r: &Recorded, secret: &str) -> bool {
    let auth = r.header("authorization").unwrap();
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .split(';')
        .collect();
    let headers: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(k, _)| signed.contains(&k.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    let query: BTreeMap<String, String> = r.query().into_iter().collect();
    let key_id = auth
        .split("Credential=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let got = sign_acs3(
        &Acs3Request {
            method: &r.method,
            path: "/",
            query: &query,
            headers: &headers,
            hashed_payload: &sha256_hex(b""),
        },
        key_id,
        secret,
    );
    got.authorization == auth
}

#[tokio::test]
async fn acs3_request_on_the_wire_verifies() {
    let server = MockServer::start(vec![ok(REGIONS)]).await;
    let client = builder(&server).build().unwrap();
    let r = client.describe_regions("cn-hangzhou").await.unwrap();
    assert_eq!(r.request_id, "REQ-OK");
    assert_eq!(r.regions.region[0].local_name, "华东1（杭州）");
    let req = &server.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.header("x-acs-action"), Some("DescribeRegions"));
    assert_eq!(req.header("x-acs-version"), Some("2014-05-26"));
    assert_eq!(req.query_value("RegionId").as_deref(), Some("cn-hangzhou"));
    assert!(req.query_value("Signature").is_none());
    assert!(req.header("x-acs-security-token").is_none());
    assert!(verify_acs3(req, "testsecret"), "{req:?}");
    assert!(!verify_acs3(req, "wrong-secret"));
}

#[tokio::test]
async fn acs3_with_sts_token_signs_token_and_key_id_headers() {
    let server = MockServer::start(vec![ok(r#"{"RequestId":"R","AccountId":"1"}"#)]).await;
    let client = builder(&server)
        .static_credentials(Credentials::access_key("STS.id", "s").with_security_token("tok+/="))
        .build()
        .unwrap();
    client.get_caller_identity().await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.header("x-acs-security-token"), Some("tok+/="));
    assert_eq!(req.header("x-acs-accesskey-id"), Some("STS.id"));
    assert!(req
        .header("authorization")
        .unwrap()
        .contains("x-acs-security-token"));
    assert!(verify_acs3(req, "s"));
}

#[tokio::test]
async fn v1_request_on_the_wire_verifies() {
    let server = MockServer::start(vec![ok(REGIONS)]).await;
    let client = builder(&server)
        .signature(SignatureVersion::V1)
        .static_credentials(
            Credentials::access_key("testid", "testsecret").with_security_token("t k"),
        )
        .build()
        .unwrap();
    client.describe_regions("cn-hangzhou").await.unwrap();
    let req = &server.requests()[0];
    let mut params: BTreeMap<String, String> = req.query().into_iter().collect();
    let sig = params.remove("Signature").expect("v1 sends Signature");
    assert_eq!(params["Action"], "DescribeRegions");
    assert_eq!(params["SignatureMethod"], "HMAC-SHA1");
    assert_eq!(params["SecurityToken"], "t k");
    assert_eq!(params["Format"], "JSON");
    assert_eq!(sign_rpc_v1("POST", &params, "testsecret").signature, sig);
    assert!(req.header("authorization").is_none());
}

#[tokio::test]
async fn reads_retry_throttling_and_5xx_with_exact_backoff_and_fresh_nonces() {
    let server = MockServer::start(vec![
        error(400, "Throttling.User", "R1"),
        error(503, "ServiceUnavailable", "R2"),
        ok(REGIONS),
    ])
    .await;
    let ceilings = Arc::new(Mutex::new(Vec::new()));
    let seen = ceilings.clone();
    let client = builder(&server)
        .retry(RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            jitter: Jitter::from_fn(move |c| {
                seen.lock().unwrap().push(c);
                Duration::from_millis(1)
            }),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let r = client.describe_regions("cn-hangzhou").await.unwrap();
    assert_eq!(r.request_id, "REQ-OK");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        *ceilings.lock().unwrap(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
    let nonces: Vec<_> = reqs
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_string())
        .collect();
    assert!(
        nonces[0] != nonces[1] && nonces[1] != nonces[2],
        "{nonces:?}"
    );
}

#[tokio::test]
async fn a_throttled_read_waits_as_long_as_the_gateway_asks() {
    let server = MockServer::start(vec![throttled("R1", 400), ok(REGIONS)]).await;
    // The builder's jitter makes the plain backoff 1 ms.
    let client = builder(&server).build().unwrap();
    let started = std::time::Instant::now();
    let r = client.describe_regions("cn-hangzhou").await.unwrap();
    assert_eq!(r.request_id, "REQ-OK");
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn throttle_waits_are_capped_and_the_hint_is_kept_on_the_error() {
    let server = MockServer::start(vec![throttled("R-THROTTLED", 3_600_000)]).await;
    let client = builder(&server)
        .retry(RetryPolicy {
            max_attempts: 3,
            jitter: Jitter::from_fn(|_| Duration::from_millis(1)),
            max_retry_after: Duration::from_millis(150),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.describe_regions("cn-hangzhou").await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(server.requests().len(), 3);
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "two capped waits of 150 ms, got {waited:?}"
    );
    let s = err.service().unwrap();
    assert_eq!(s.code, "Throttling.User");
    assert_eq!(s.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(err.kind(), ErrorKind::Throttled);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_keep_the_request_id() {
    let server = MockServer::start(vec![error(503, "ServiceUnavailable", "R-LAST")]).await;
    let client = builder(&server).build().unwrap();
    let err = client.describe_regions("cn-hangzhou").await.unwrap_err();
    assert_eq!(server.requests().len(), 4);
    assert_eq!(err.request_id(), Some("R-LAST"));
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert!(err.to_string().contains("RequestId R-LAST"), "{err}");
}

#[tokio::test]
async fn writes_without_client_token_are_not_retried() {
    let server = MockServer::start(vec![
        error(503, "ServiceUnavailable", "R1"),
        ok(r#"{"RequestId":"R2"}"#),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let err = client
        .stop_instance("cn-hangzhou", "i-1", false)
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.kind(), ErrorKind::Cloud);
}

#[tokio::test]
async fn client_errors_are_not_retried_even_for_reads() {
    let server = MockServer::start(vec![error(404, "InvalidAccessKeyId.NotFound", "R1")]).await;
    let client = builder(&server).build().unwrap();
    let err = client.describe_regions("cn-hangzhou").await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.kind(), ErrorKind::AuthFailed);
    let s = err.service().unwrap();
    assert_eq!((s.http_status, s.request_id.as_deref()), (404, Some("R1")));
    assert!(s
        .recommend
        .as_deref()
        .unwrap()
        .contains("InvalidAccessKeyId.NotFound"));
}

#[tokio::test]
async fn client_token_is_generated_once_and_reused_on_retry() {
    let server = MockServer::start(vec![
        Reply::Drop,
        ok(r#"{"RequestId":"R","CommandId":"c-1","InvokeId":"t-1"}"#),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let r = client
        .run_command(
            "cn-hangzhou",
            &RunCommandRequest {
                command_type: "RunShellScript".into(),
                command_content: "echo hi".into(),
                instance_ids: vec!["i-1".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(r.invoke_id, "t-1");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let t1 = reqs[0].query_value("ClientToken").unwrap();
    let t2 = reqs[1].query_value("ClientToken").unwrap();
    assert_eq!(t1, t2);
    let token = uuid::Uuid::parse_str(&t1).expect("the ClientToken is a UUID");
    assert_eq!(token.get_version_num(), 4, "{t1}");
}

#[tokio::test]
async fn a_dropped_connection_is_no_response() {
    let server = MockServer::start(vec![Reply::Drop]).await;
    let client = builder(&server).build().unwrap();
    let err = client
        .start_instance("cn-hangzhou", "i-1")
        .await
        .unwrap_err();
    assert!(matches!(err, AcsError::NoResponse { .. }), "{err}");
    assert!(err.to_string().contains("may have been applied"));
    assert_eq!(err.kind(), ErrorKind::Network);
}

#[tokio::test]
async fn slow_replies_time_out() {
    let server = MockServer::start(vec![Reply::Slow {
        delay: Duration::from_secs(3),
        body: REGIONS.into(),
    }])
    .await;
    let client = builder(&server)
        .read_timeout(Duration::from_millis(200))
        .retry(RetryPolicy {
            max_attempts: 2,
            jitter: Jitter::from_fn(|_| Duration::ZERO),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.describe_regions("cn-hangzhou").await.unwrap_err();
    assert!(matches!(err, AcsError::TimedOut { .. }), "{err}");
    assert_eq!(
        server.requests().len(),
        2,
        "a read that timed out is retried"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .endpoint(endpoint)
        .static_credentials(Credentials::access_key("id", "s"))
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let err = client.describe_regions("cn-hangzhou").await.unwrap_err();
    assert!(matches!(err, AcsError::NotSent { .. }), "{err}");
}

#[tokio::test]
async fn unparseable_replies_keep_status() {
    let server = MockServer::start(vec![Reply::Json {
        status: 502,
        body: "<html>bad gateway</html>".into(),
    }])
    .await;
    let client = builder(&server)
        .retry(RetryPolicy::no_retries())
        .build()
        .unwrap();
    let err = client.describe_regions("cn-hangzhou").await.unwrap_err();
    assert!(
        matches!(
            err,
            AcsError::Unparseable {
                http_status: 502,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn paging_stream_follows_next_token() {
    let page1 = r#"{"RequestId":"P1","NextToken":"tok-2","Instances":{"Instance":[{"InstanceId":"i-1"},{"InstanceId":"i-2"}]}}"#;
    let page2 =
        r#"{"RequestId":"P2","NextToken":"","Instances":{"Instance":[{"InstanceId":"i-3"}]}}"#;
    let server = MockServer::start(vec![ok(page1), ok(page2)]).await;
    let client = builder(&server).build().unwrap();
    let ids: Vec<String> = client
        .describe_instances_stream(
            "cn-hangzhou",
            DescribeInstancesRequest {
                max_results: Some(2),
                ..Default::default()
            },
        )
        .map_ok(|i| i.instance_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["i-1", "i-2", "i-3"]);
    let reqs = server.requests();
    assert_eq!(reqs[0].query_value("NextToken"), None);
    assert_eq!(reqs[1].query_value("NextToken").as_deref(), Some("tok-2"));
    assert_eq!(reqs[1].query_value("MaxResults").as_deref(), Some("2"));
}
