//! Benchmark: the fleet inventory (`appsnap instances --all-regions --check`, no probe)
//! against an in-process sandbox on the `scale` scenario, every call delayed by the
//! control API's latency fault, next to the loop an admin writes with Alibaba's official
//! Python SDK (tests/sdk-compat/bench_sdk_loop.py) against the same sandbox and latency.
//! Prints numbers; asserts only that the answers are complete.
//!
//!   cargo run --release -p appsnap-core --example bench_fleet      (make bench)
//!
//! Knobs (env): BENCH_INSTANCES (10000), BENCH_REGIONS (25), BENCH_SEED (42),
//! BENCH_LATENCY_MS (60), BENCH_RUNS (3 timed inventories), BENCH_SDK_SAMPLE (75
//! instances get the SDK loop's per-instance calls; the rest is extrapolated; 0 = all),
//! BENCH_SDK (1; 0 skips the SDK loop), BENCH_PYTHON (target/sdk-venv/bin/python),
//! BENCH_TIMELINE (set: one more inventory printing on stderr when each region starts
//! and ends, in ms from its start).
//!
//! The client is the app's: default `LimitSettings` (per endpoint 8 calls in flight,
//! 20 calls/s, burst 20; one endpoint per region, RAM central) and default retries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use acs_openapi::{Client, Credentials, LimitSettings};
use appsnap_core::fleet::{inventory, Inventory, InventoryOptions, RoleFact};
use appsnap_core::progress::Reporter;
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::{json, Value};

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn admin() -> sandbox_cloud::DemoAccount {
    sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == "admin")
        .expect("demo admin account")
}

/// The sandbox on a runtime of its own, as the cloud is a process of its own: its world
/// lock must not park the client's async workers (on one shared runtime a request
/// waiting for the lock blocks a worker the client needs).
fn start_apart(options: SandboxOptions) -> RunningSandbox {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("sandbox runtime");
        rt.block_on(async move {
            let sb = sandbox_cloud::start(options).await.expect("sandbox starts");
            tx.send(sb).expect("bench waits for the sandbox");
            std::future::pending::<()>().await
        })
    });
    rx.recv().expect("sandbox started")
}

fn client(sb: &RunningSandbox) -> Client {
    let admin = admin();
    Client::builder()
        .endpoint(sb.endpoint())
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .expect("client builds")
}

async fn control(sb: &RunningSandbox, method: reqwest::Method, path: &str, body: Value) -> Value {
    let url = format!("{}/_sandbox/{path}", sb.endpoint());
    let mut request = reqwest::Client::new().request(method.clone(), url);
    if method != reqwest::Method::GET {
        request = request.json(&body);
    }
    let r = request.send().await.expect("control API answers");
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    r.json().await.expect("control JSON")
}

async fn calls(sb: &RunningSandbox) -> BTreeMap<String, u64> {
    let v = control(sb, reqwest::Method::GET, "state/calls", json!({})).await;
    serde_json::from_value(v["calls"].clone()).expect("call counts")
}

fn delta(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(k, n)| (k.clone(), n - before.get(k).unwrap_or(&0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The round-trip lower bound in calls: one DescribeRegions, then the slowest region's
/// longest chain of dependent calls, from the pages this fleet really has. In a region,
/// instance pages follow each other (NextToken) and the last page's ids need one more
/// call (an agent batch of ≤100, a role batch of ≤50: one call each); the disk walk
/// needs no ids, only its own pages. Roles found add RAM's ListPoliciesForRole →
/// GetPolicy.
fn chain_bound(inv: &Inventory) -> (u64, String) {
    let mut per_region: BTreeMap<&str, (usize, usize)> =
        inv.regions.iter().map(|r| (r.as_str(), (0, 0))).collect();
    for a in &inv.instances {
        let e = per_region.entry(&a.instance.region_id).or_default();
        e.0 += 1;
        e.1 += a.instance.disks.as_ref().map_or(0, Vec::len);
    }
    let (mut worst, mut why) = (1u64, String::from("an empty region: 1 page"));
    for (region, (n, disks)) in &per_region {
        if *n == 0 {
            continue;
        }
        let pages = n.div_ceil(100) as u64;
        let disk_pages = disks.div_ceil(500) as u64;
        let chain = (pages + 1).max(disk_pages);
        if chain > worst {
            worst = chain;
            why = format!(
                "{region}: {n} instances = {pages} pages + 1 batch call; {disks} disks = {disk_pages} pages"
            );
        }
    }
    let ram = match inv
        .instances
        .iter()
        .any(|a| matches!(a.instance.role, RoleFact::Attached { .. }))
    {
        true => 2,
        false => 0,
    };
    (1 + worst + ram, why)
}

struct SdkLoop {
    listed: u64,
    listing: Duration,
    listing_calls: u64,
    sample: u64,
    sample_regions: u64,
    sample_time: Duration,
    sample_calls: u64,
}

fn sdk_loop(sb: &RunningSandbox, sample: usize) -> Result<SdkLoop, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var("BENCH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/sdk-venv/bin/python"));
    if !python.exists() {
        return Err(format!(
            "{} is missing: run tests/sdk-compat/venv.sh (make bench does)",
            python.display()
        ));
    }
    let admin = admin();
    let home = std::env::temp_dir().join(format!("bench-sdk-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(&python);
    // Hermetic like sdk-compat: no keys or proxies from the environment, a throwaway HOME.
    for (k, _) in std::env::vars() {
        let lower = k.to_lowercase();
        if k.starts_with("ALIBABA") || k.starts_with("ALICLOUD") || lower.ends_with("_proxy") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .arg(root.join("tests/sdk-compat/bench_sdk_loop.py"))
        .env("HOME", &home)
        .env(
            "SANDBOX_ENDPOINT",
            sb.endpoint().trim_start_matches("http://"),
        )
        .env("SANDBOX_AK_ID", admin.access_key_id)
        .env("SANDBOX_AK_SECRET", admin.access_key_secret)
        .env("BENCH_SDK_SAMPLE", sample.to_string())
        .output()
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&home);
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let v: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let num = |k: &str| v[k].as_u64().unwrap_or(0);
    let secs = |k: &str| Duration::from_secs_f64(v[k].as_f64().unwrap_or(0.0));
    Ok(SdkLoop {
        listed: num("listed"),
        listing: secs("listing_s"),
        listing_calls: num("listing_calls"),
        sample: num("sample"),
        sample_regions: num("sample_regions"),
        sample_time: secs("sample_s"),
        sample_calls: num("sample_calls"),
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let instances: usize = env_num("BENCH_INSTANCES", 10_000);
    let regions: usize = env_num("BENCH_REGIONS", 25);
    let seed: u64 = env_num("BENCH_SEED", 42);
    let latency_ms: u64 = env_num("BENCH_LATENCY_MS", 60);
    let runs: usize = env_num("BENCH_RUNS", 3).max(1);
    let sample: usize = env_num("BENCH_SDK_SAMPLE", 75);
    let with_sdk = env_num("BENCH_SDK", 1u8) != 0;

    let started = Instant::now();
    let sb = start_apart(SandboxOptions {
        scenario: "scale".into(),
        seed,
        time_scale: 0.0,
        scale_instances: instances,
        scale_regions: regions,
        ..SandboxOptions::default()
    });
    let loaded = started.elapsed();
    // The bound is round trips, not rate limits: the scenario's flow control (a bucket
    // per account and action, refilled on the sandbox clock, which is paused here) is off.
    control(
        &sb,
        reqwest::Method::PUT,
        "flow-control",
        json!({"enabled": false}),
    )
    .await;
    control(
        &sb,
        reqwest::Method::POST,
        "faults",
        json!({"action": "*", "latency_ms": latency_ms}),
    )
    .await;
    let limits = LimitSettings::default();
    println!("# fleet inventory against sandbox-cloud (in process, loopback HTTP)");
    println!(
        "scenario scale: {instances} instances over {regions} regions, seed {seed}; loaded in {}; \
         {latency_ms} ms latency on every call; {} cores",
        ms(loaded),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "client: default LimitSettings per endpoint ({} in flight, {} calls/s, burst {}), default retries; sandbox flow control off",
        limits.max_in_flight, limits.rate_per_sec, limits.burst
    );

    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        // A new client each run, as each `appsnap instances` starts one: a reused one
        // would start with the politeness buckets the last run drained (19 of a
        // region's 20-call burst) and wait for them to refill.
        let c = client(&sb);
        let before = calls(&sb).await;
        let t = Instant::now();
        let inv = inventory(&c, &InventoryOptions::default(), &Reporter::silent())
            .await
            .expect("inventory");
        let took = t.elapsed();
        let made = delta(&before, &calls(&sb).await);
        // Completeness only: every instance exactly once, no call left failing.
        assert!(inv.is_complete(), "missing: {:?}", inv.missing);
        let ids: BTreeSet<&str> = inv
            .instances
            .iter()
            .map(|a| a.instance.instance_id.as_str())
            .collect();
        assert_eq!(inv.instances.len(), instances, "every instance listed");
        assert_eq!(ids.len(), instances, "every instance exactly once");
        times.push(took);
        last = Some((inv, made));
    }
    if std::env::var_os("BENCH_TIMELINE").is_some() {
        let c = client(&sb);
        let t0 = Instant::now();
        let reporter = Reporter::new(
            move |e: appsnap_core::fleet::FleetEvent| {
                let name = match e {
                    appsnap_core::fleet::FleetEvent::RegionsListed { .. } => "listed".to_string(),
                    appsnap_core::fleet::FleetEvent::RegionStarted { region_id } => {
                        format!("start {region_id}")
                    }
                    appsnap_core::fleet::FleetEvent::RegionDone { region_id, .. } => {
                        format!("done {region_id}")
                    }
                    _ => return,
                };
                eprintln!("{:7.1} {name}", t0.elapsed().as_secs_f64() * 1000.0);
            },
            Default::default(),
        );
        inventory(&c, &InventoryOptions::default(), &reporter)
            .await
            .expect("inventory");
        eprintln!("{:7.1} end", t0.elapsed().as_secs_f64() * 1000.0);
    }
    let (inv, made) = last.expect("at least one run");
    times.sort();
    let median = times[times.len() / 2];
    let (bound_calls, why) = chain_bound(&inv);
    let bound = Duration::from_millis(bound_calls * latency_ms);
    let total: u64 = made.values().sum();

    println!();
    println!("| measurement | result |");
    println!("|---|---|");
    println!(
        "| inventory, --check without probe ({} regions listed) | median {} (best {}) of {runs} |",
        inv.regions.len(),
        ms(median),
        ms(times[0])
    );
    let per_action: Vec<String> = made.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("| calls made | {total}: {} |", per_action.join(", "));
    println!(
        "| round-trip lower bound | {bound_calls} × {latency_ms} ms = {} (1 DescribeRegions + chain of {}; slowest {why}) |",
        ms(bound),
        bound_calls - 1
    );
    println!(
        "| ratio to the bound (goal ≤ 1.5) | {:.2}× (best {:.2}×) |",
        median.as_secs_f64() / bound.as_secs_f64(),
        times[0].as_secs_f64() / bound.as_secs_f64()
    );

    // The same inventory with no latency: the CPU both sides spend on this machine (the
    // sandbox renders and the client decodes every reply on the same cores), a floor that
    // latency hiding cannot go below.
    control(&sb, reqwest::Method::DELETE, "faults", json!({})).await;
    let c = client(&sb);
    let t = Instant::now();
    let inv = inventory(&c, &InventoryOptions::default(), &Reporter::silent())
        .await
        .expect("inventory");
    let floor = t.elapsed();
    assert_eq!(inv.instances.len(), instances, "every instance listed");
    println!("| same inventory, no latency (CPU floor) | {} |", ms(floor));
    control(
        &sb,
        reqwest::Method::POST,
        "faults",
        json!({"action": "*", "latency_ms": latency_ms}),
    )
    .await;

    if !with_sdk {
        println!("| official Python SDK loop | skipped (BENCH_SDK=0) |");
        sb.shutdown().await;
        return;
    }
    let sdk = tokio::task::block_in_place(|| sdk_loop(&sb, sample));
    match sdk {
        Ok(s) => {
            let per_instance = s.sample_time.as_secs_f64() / s.sample.max(1) as f64;
            let estimate = s.listing.as_secs_f64() + per_instance * s.listed as f64;
            let how = match s.sample < s.listed {
                true => " (extrapolated: listing + per-instance mean × instances)",
                false => "",
            };
            println!(
                "| SDK loop: listing ({} calls, {} instances) | {} |",
                s.listing_calls,
                s.listed,
                ms(s.listing)
            );
            println!(
                "| SDK loop: {} instances × 3 calls ({} calls, {} regions) | {} = {:.1} ms per instance |",
                s.sample,
                s.sample_calls,
                s.sample_regions,
                ms(s.sample_time),
                per_instance * 1000.0
            );
            println!(
                "| SDK loop, all {} instances{how} | {:.1} s ({} calls) |",
                s.listed,
                estimate,
                s.listing_calls + 3 * s.listed
            );
            println!(
                "| inventory faster than the SDK loop (goal ≥ 100×) | {:.0}× |",
                estimate / median.as_secs_f64()
            );
        }
        Err(e) => println!("| official Python SDK loop | not run: {} |", e.trim()),
    }
    sb.shutdown().await;
}
