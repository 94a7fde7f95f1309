//! Benchmark: the real client (acs-openapi) against an in-process sandbox cloud on the
//! `scale` scenario. Prints a table; asserts only that the answers are complete.
//!
//!   cargo run --release -p acs-openapi --example bench_sandbox      (make bench)
//!
//! Knobs (env): BENCH_INSTANCES (10000), BENCH_REGIONS (8; the scale scenario has 29), BENCH_SEED (42),
//! BENCH_RUNS (5, paging repetitions), BENCH_REQUESTS (2000, per DescribeRegions row),
//! BENCH_SIGNATURES (200000, per signing row).
//!
//! Client and server share one tokio runtime and the machine's cores, so the request
//! numbers are an end-to-end lower bound for the client, not a server benchmark.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::signing::acs3::{Acs3Headers, Acs3Request, EMPTY_PAYLOAD_SHA256};
use acs_openapi::signing::rpc_v1::rpc_v1_params;
use acs_openapi::signing::{format_timestamp, sign_acs3, sign_rpc_v1, RpcV1Common};
use acs_openapi::{Client, Credentials, LimitSettings, RetryPolicy, SignatureVersion};
use futures::{StreamExt, TryStreamExt};
use sandbox_cloud::SandboxOptions;

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn client(endpoint: &str, signature: SignatureVersion, limits: LimitSettings) -> Client {
    let admin = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == "admin")
        .expect("demo admin account");
    Client::builder()
        .endpoint(endpoint)
        .region("cn-hangzhou")
        .signature(signature)
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .limits(limits)
        // No retries: a failed request must fail the benchmark, not hide in the timing.
        .retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .build()
        .expect("client builds")
}

/// No client-side politeness limits: measures the client and the sandbox, not the bucket.
fn unlimited() -> LimitSettings {
    LimitSettings {
        max_in_flight: 1024,
        rate_per_sec: 1e9,
        burst: 1e9,
    }
}

fn page_request() -> DescribeInstancesRequest {
    DescribeInstancesRequest {
        max_results: Some(100),
        ..Default::default()
    }
}

async fn count_region(c: &Client, region: &str) -> usize {
    let all: Vec<_> = c
        .describe_instances_stream(region, page_request())
        .try_collect()
        .await
        .unwrap_or_else(|e| panic!("DescribeInstances in {region}: {e}"));
    all.len()
}

async fn page_sequential(c: &Client, regions: &[String]) -> usize {
    let mut n = 0;
    for r in regions {
        n += count_region(c, r).await;
    }
    n
}

async fn page_concurrent(c: &Client, regions: &[String]) -> usize {
    futures::future::join_all(regions.iter().map(|r| count_region(c, r)))
        .await
        .into_iter()
        .sum()
}

struct Stats {
    best: Duration,
    median: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    Stats {
        best: samples[0],
        median: samples[samples.len() / 2],
    }
}

async fn describe_regions_rate(c: &Client, requests: usize, concurrency: usize) -> f64 {
    let started = Instant::now();
    futures::stream::iter(0..requests)
        .map(|_| async {
            let r = c
                .describe_regions("cn-hangzhou")
                .await
                .expect("DescribeRegions");
            assert!(!r.regions.region.is_empty());
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<()>>()
        .await;
    requests as f64 / started.elapsed().as_secs_f64()
}

fn signing_cost(iterations: usize) -> (f64, f64) {
    const AK: &str = "LTAI5tSandboxAdmin000001";
    const SECRET: &str = "SandboxAdminSecret0000000000001";
    let mut params = BTreeMap::new();
    params.insert("RegionId".to_string(), "cn-hangzhou".to_string());
    params.insert("MaxResults".to_string(), "100".to_string());
    params.insert(
        "NextToken".to_string(),
        "caeba0bbb2be03f84eb48b699f0a4883".to_string(),
    );
    let date = format_timestamp(chrono::Utc::now());
    let nonce = "3d1fdfb1-7f05-4b2d-9b2a-8f3f6f1c2a10";

    // ACS3: the headers AppSnap signs, the canonical request, SHA-256, HMAC-SHA256.
    let started = Instant::now();
    for _ in 0..iterations {
        let headers = Acs3Headers {
            host: "ecs.cn-hangzhou.aliyuncs.com",
            action: "DescribeInstances",
            version: "2014-05-26",
            date: &date,
            nonce,
            hashed_payload: EMPTY_PAYLOAD_SHA256,
            access_key_id: AK,
            security_token: None,
            content_type: None,
        }
        .to_headers();
        let sig = sign_acs3(
            &Acs3Request {
                method: "POST",
                path: "/",
                query: black_box(&params),
                headers: &headers,
                hashed_payload: EMPTY_PAYLOAD_SHA256,
            },
            AK,
            SECRET,
        );
        black_box(sig);
    }
    let acs3 = started.elapsed().as_secs_f64() * 1e6 / iterations as f64;

    // RPC v1: the common parameters, the canonical query, HMAC-SHA1, Base64.
    let started = Instant::now();
    for _ in 0..iterations {
        let all = rpc_v1_params(
            &RpcV1Common {
                action: "DescribeInstances",
                version: "2014-05-26",
                access_key_id: AK,
                security_token: None,
                timestamp: &date,
                nonce,
            },
            black_box(&params),
        );
        black_box(sign_rpc_v1("POST", &all, SECRET));
    }
    let v1 = started.elapsed().as_secs_f64() * 1e6 / iterations as f64;
    (acs3, v1)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let instances: usize = env_num("BENCH_INSTANCES", 10_000);
    let regions_n: usize = env_num("BENCH_REGIONS", 8);
    let seed: u64 = env_num("BENCH_SEED", 42);
    let runs: usize = env_num("BENCH_RUNS", 5).max(1);
    let requests: usize = env_num("BENCH_REQUESTS", 2000).max(1);
    let signatures: usize = env_num("BENCH_SIGNATURES", 200_000).max(1);

    let started = Instant::now();
    let sandbox = sandbox_cloud::start(SandboxOptions {
        scenario: "scale".into(),
        seed,
        time_scale: 0.0,
        scale_instances: instances,
        scale_regions: regions_n,
        ..SandboxOptions::default()
    })
    .await
    .expect("sandbox starts");
    let load = started.elapsed();
    let endpoint = sandbox.endpoint().to_string();

    let acs3 = client(&endpoint, SignatureVersion::Acs3, unlimited());
    let v1 = client(&endpoint, SignatureVersion::V1, unlimited());
    let regions: Vec<String> = acs3
        .describe_regions("cn-hangzhou")
        .await
        .expect("DescribeRegions")
        .regions
        .region
        .into_iter()
        .map(|r| r.region_id)
        .collect();
    assert_eq!(
        regions.len(),
        regions_n,
        "regions served (the scale scenario clamps to the regions it knows): {regions:?}"
    );

    println!("# acs-openapi against sandbox-cloud (in process, loopback HTTP)");
    println!(
        "scenario scale: {instances} instances, {} regions, seed {seed}; loaded in {}; {} cores",
        regions.len(),
        ms(load),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("| measurement | result |");
    println!("|---|---|");

    // Paging: DescribeInstances, MaxResults=100, NextToken, every region.
    let mut pages = 0;
    for r in &regions {
        pages += count_region(&acs3, r).await.div_ceil(100).max(1);
    }
    let mut rows = Vec::new();
    for (label, c) in [("ACS3", &acs3), ("v1", &v1)] {
        for concurrent in [false, true] {
            let mut samples = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let n = if concurrent {
                    page_concurrent(c, &regions).await
                } else {
                    page_sequential(c, &regions).await
                };
                samples.push(t.elapsed());
                assert_eq!(n, instances, "every instance listed exactly once");
            }
            let s = stats(samples);
            rows.push((
                format!(
                    "page all {instances} instances ({label}, {}, {pages} pages of ≤100)",
                    if concurrent {
                        "regions concurrently"
                    } else {
                        "regions sequentially"
                    }
                ),
                format!(
                    "median {} (best {}), {:.0} instances/s",
                    ms(s.median),
                    ms(s.best),
                    instances as f64 / s.median.as_secs_f64()
                ),
            ));
        }
    }
    // The same, with the client's default per-endpoint limits (8 in flight, 20 calls/s):
    // what the app does against one endpoint.
    {
        let polite = client(&endpoint, SignatureVersion::Acs3, LimitSettings::default());
        let t = Instant::now();
        let n = page_concurrent(&polite, &regions).await;
        assert_eq!(n, instances);
        rows.push((
            format!("page all {instances} instances (ACS3, regions concurrently, default LimitSettings 8 in flight / 20 per s)"),
            ms(t.elapsed()),
        ));
    }
    for (k, v) in &rows {
        println!("| {k} | {v} |");
    }

    // Requests per second: signed DescribeRegions.
    for (label, c) in [("ACS3", &acs3), ("v1", &v1)] {
        for concurrency in [1, 16] {
            let rate = describe_regions_rate(c, requests, concurrency).await;
            println!(
                "| signed DescribeRegions, {label}, {concurrency} in flight ({requests} calls) | {rate:.0} req/s |"
            );
        }
    }

    // Signing alone.
    let (acs3_us, v1_us) = signing_cost(signatures);
    println!("| signing alone, ACS3-HMAC-SHA256 (DescribeInstances, {signatures}×) | {acs3_us:.2} µs/signature |");
    println!("| signing alone, RPC v1 HMAC-SHA1 (DescribeInstances, {signatures}×) | {v1_us:.2} µs/signature |");

    sandbox.shutdown().await;
}
