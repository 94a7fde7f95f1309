//! Benchmark: snapshot jobs against an in-process sandbox on the `scale` scenario under
//! its flow control (sandbox-chosen defaults: InvokeCommand 5/s, burst 50, per account).
//! Prints numbers; asserts only that every run ended (and none failed).
//!
//!   cargo run --release -p appsnap-core --example bench_jobs      (make bench)
//!
//! 1. Throughput: BENCH_JOBS (500) eligible instances over BENCH_REGIONS (5) regions, one
//!    job, concurrency 100 per region, the clock at BENCH_TIME_SCALE (1: at 10x the client's real-time costs are magnified tenfold) simulated seconds
//!    per wall second (the client's rate limit and the poll intervals scaled alike). Lower bound, simulated seconds: every run needs one InvokeCommand and
//!    the bucket gives `burst` at once and `rate` a second after, so the last one is sent
//!    at `(N − burst) / rate` at the earliest and ends one uncontended run later:
//!    `bound = max(0, N − burst) / rate + t_run` (t_run measured on one instance alone).
//! 2. Result latency: BENCH_LATENCY_JOBS (50) runs at time scale 1 with the default tuning;
//!    a watcher reads the sandbox's invocation state every 20 ms (control API, not counted)
//!    and the engine's final event is timed against it. Polls: DescribeInvocationResults +
//!    DescribeSnapshotGroups + DescribeSnapshots counted by the control API.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use acs_openapi::{Client, Credentials, LimitSettings, RetryPolicy};
use appsnap_core::fleet::{inventory, Assessed, Consistency, InventoryOptions};
use appsnap_core::jobs::{
    new_job_id, plan, run, JobEvent, JobReport, JobStore, JobTuning, RunStatus, SnapshotOptions,
    DEFAULT_PATTERN,
};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{apply, ApplyTuning, InstanceRef, RamOptions};
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::{json, Value};

const POLLS: [&str; 3] = [
    "DescribeInvocationResults",
    "DescribeSnapshotGroups",
    "DescribeSnapshots",
];

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The app's client; its own rate limit (default 20 calls/s) and its retry backoff (300 ms
/// doubling, 20 s at most) are scaled by `time_scale` like every other clock here, since
/// the sandbox's buckets refill on the simulated one.
fn client(sb: &RunningSandbox, time_scale: f64) -> Client {
    let d = LimitSettings::default();
    let admin = sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == "admin")
        .expect("demo admin account");
    Client::builder()
        .endpoint(sb.endpoint())
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .limits(LimitSettings {
            rate_per_sec: d.rate_per_sec * time_scale,
            burst: d.burst * time_scale,
            ..d
        })
        .retry({
            let r = RetryPolicy::default();
            RetryPolicy {
                base_delay: r.base_delay.div_f64(time_scale),
                max_delay: r.max_delay.div_f64(time_scale),
                ..r
            }
        })
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

async fn calls(sb: &RunningSandbox) -> Value {
    control(sb, reqwest::Method::GET, "state/calls", json!({})).await
}

fn n(v: &Value, action: &str) -> u64 {
    v["calls"][action].as_u64().unwrap_or(0)
}

/// A `scale` sandbox with `jobs` eligible instances (RAM set up with flow control off,
/// then the scenario's limits back): the sandbox and those instances.
async fn fleet(jobs: usize, regions: usize, seed: u64) -> (RunningSandbox, Vec<Assessed>) {
    let sb = sandbox_cloud::start(SandboxOptions {
        scenario: "scale".into(),
        seed,
        time_scale: 0.0,
        scale_instances: jobs + jobs / 5 + 10,
        scale_regions: regions,
        ..SandboxOptions::default()
    })
    .await
    .expect("sandbox starts");
    let admin = client(&sb, 1.0);
    let limits = control(&sb, reqwest::Method::GET, "flow-control", json!({})).await;
    control(
        &sb,
        reqwest::Method::PUT,
        "flow-control",
        json!({"enabled": false}),
    )
    .await;
    let all = inventory(&admin, &InventoryOptions::default(), &Reporter::silent())
        .await
        .expect("inventory");
    let candidates: Vec<InstanceRef> = all
        .instances
        .iter()
        .filter(|a| {
            a.instance.status == "Running" && a.instance.agent.as_ref().is_some_and(|g| g.online)
        })
        .map(|a| InstanceRef {
            instance_id: a.instance.instance_id.clone(),
            region_id: a.instance.region_id.clone(),
        })
        .collect();
    let options = RamOptions {
        instances: candidates,
        ..RamOptions::default()
    };
    let tuning = ApplyTuning {
        verify_delay: Duration::from_millis(20),
        ..ApplyTuning::default()
    };
    apply(&admin, &options, &tuning, &Reporter::silent())
        .await
        .expect("RAM setup");
    let inv = inventory(&admin, &InventoryOptions::default(), &Reporter::silent())
        .await
        .expect("inventory");
    let chosen: Vec<Assessed> = inv
        .instances
        .into_iter()
        .filter(|a| a.prediction.consistency != Consistency::None)
        .take(jobs)
        .collect();
    assert_eq!(chosen.len(), jobs, "enough eligible instances");
    control(&sb, reqwest::Method::PUT, "flow-control", limits).await;
    (sb, chosen)
}

async fn job(
    sb: &RunningSandbox,
    time_scale: f64,
    instances: &[Assessed],
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> JobReport {
    let admin = client(sb, time_scale);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = JobStore::open(dir.path()).expect("store");
    let id = new_job_id();
    let p = plan(
        &admin,
        &id,
        instances,
        &SnapshotOptions::default(),
        100,
        DEFAULT_PATTERN,
    )
    .await
    .expect("plan");
    let report = run(&admin, &store, "bench", &id, &p, tuning, reporter)
        .await
        .expect("run");
    assert_eq!(report.results.len(), instances.len());
    assert!(
        report.results.iter().all(|r| r.status.is_final()),
        "every run ended"
    );
    let failed = report
        .results
        .iter()
        .filter(|r| r.status != RunStatus::Succeeded)
        .count();
    assert_eq!(failed, 0, "no failed jobs: {report:#?}");
    report
}

async fn speed(sb: &RunningSandbox, time_scale: f64) {
    control(
        sb,
        reqwest::Method::POST,
        "clock/speed",
        json!({"time_scale": time_scale}),
    )
    .await;
}

async fn throughput(jobs: usize, regions: usize, time_scale: f64, seed: u64) {
    let (sb, instances) = fleet(jobs + 1, regions, seed).await;
    let limits = control(&sb, reqwest::Method::GET, "flow-control", json!({})).await;
    let invoke = &limits["actions"]["InvokeCommand"];
    let (rate, burst) = (
        invoke["per_second"].as_f64().expect("InvokeCommand rate"),
        invoke["burst"].as_f64().expect("InvokeCommand burst"),
    );
    // The default tuning on the simulated clock.
    let d = JobTuning::default();
    let tuning = JobTuning {
        first_poll: d.first_poll.div_f64(time_scale),
        max_poll: d.max_poll.div_f64(time_scale),
        poll_budget: d.poll_budget.div_f64(time_scale),
        ..d
    };
    speed(&sb, time_scale).await;
    // One instance alone: the uncontended run time.
    let t = Instant::now();
    job(
        &sb,
        time_scale,
        &instances[..1],
        &tuning,
        &Reporter::silent(),
    )
    .await;
    let t_run = t.elapsed().as_secs_f64() * time_scale;
    let before = calls(&sb).await;
    let t = Instant::now();
    // When each run reached each state, to see where time beyond the bound goes.
    let reached: Arc<Mutex<Vec<(RunStatus, f64)>>> = Arc::default();
    let sink = reached.clone();
    let reporter = Reporter::new(
        move |e: JobEvent| {
            if let JobEvent::RunChanged { status, .. } = e {
                let at = t.elapsed().as_secs_f64() * time_scale;
                sink.lock().unwrap().push((status, at));
            }
        },
        CancellationToken::new(),
    );
    job(&sb, time_scale, &instances[1..], &tuning, &reporter).await;
    let wall = t.elapsed().as_secs_f64();
    let after = calls(&sb).await;
    let runs = jobs as f64;
    let bound = (runs - burst).max(0.0) / rate + t_run;
    let sim = wall * time_scale;
    let throttled = after["throttled_total"].as_u64().unwrap_or(0)
        - before["throttled_total"].as_u64().unwrap_or(0);
    let total = after["total"].as_u64().unwrap_or(0) - before["total"].as_u64().unwrap_or(0);
    let invokes = n(&after, "InvokeCommand") - n(&before, "InvokeCommand");
    println!(
        "throughput: {} runs over {regions} regions, time scale {time_scale}",
        runs
    );
    println!("  InvokeCommand limit: {rate}/s, burst {burst}; t_run (1 instance alone) {t_run:.2} s simulated");
    println!("  bound = max(0, N - burst) / rate + t_run = {bound:.2} s simulated");
    println!(
        "  wall {wall:.2} s = {sim:.2} s simulated; ratio {:.3} (goal <= 1.2); 0 failed",
        sim / bound
    );
    println!(
        "  calls {total}, InvokeCommand {invokes} (a retry with the same token counts again), throttled {throttled} (each retried)"
    );
    let per_action: Vec<String> = after["calls"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(a, v)| {
            let d = v.as_u64()? - n(&before, a);
            (d > 0).then(|| format!("{a} {d}"))
        })
        .collect();
    println!("  by action: {}", per_action.join(", "));
    let reached = reached.lock().unwrap();
    let phase = |status: RunStatus| {
        let mut at: Vec<f64> = reached
            .iter()
            .filter(|(s, _)| *s == status)
            .map(|(_, a)| *a)
            .collect();
        at.sort_by(f64::total_cmp);
        match (at.get(at.len() / 2), at.last()) {
            (Some(m), Some(l)) => format!("{status:?} median {m:.1} s, last {l:.1} s"),
            _ => format!("{status:?} never"),
        }
    };
    println!(
        "  reached (simulated): {}; {}; {}",
        phase(RunStatus::Running),
        phase(RunStatus::Snapshotting),
        phase(RunStatus::Succeeded)
    );
}

async fn latency(jobs: usize, regions: usize, seed: u64) {
    let (sb, instances) = fleet(jobs, regions, seed).await;
    speed(&sb, 1.0).await;
    let ended: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    // When each instance's group stopped `progressing`: the engine waits for it (the
    // issue's "wait until it is accomplished"), and the sandbox's snapshots take
    // SNAPSHOT_MS (2 s) from creation, about 1 s past the invocation's end.
    let grouped: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let finals: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let sink = finals.clone();
    let reporter = Reporter::new(
        move |e: JobEvent| {
            if let JobEvent::RunChanged {
                instance_id,
                status,
                ..
            } = e
            {
                if status.is_final() {
                    sink.lock().unwrap().insert(instance_id, Instant::now());
                }
            }
        },
        CancellationToken::new(),
    );
    let done = CancellationToken::new();
    let watcher = {
        let (sb, ended, grouped, done) = (&sb, ended.clone(), grouped.clone(), done.clone());
        async move {
            while !done.is_cancelled() {
                let g = control(sb, reqwest::Method::GET, "state/snapshot-groups", json!({})).await;
                let now = Instant::now();
                for group in g["snapshot_groups"].as_array().into_iter().flatten() {
                    // Usable: the run may end (accomplished, or every snapshot available).
                    let snaps = group["snapshots"].as_array().cloned().unwrap_or_default();
                    let available =
                        !snaps.is_empty() && snaps.iter().all(|s| s["available"] == json!(true));
                    if available || group["status"].as_str().is_some_and(|s| s != "progressing") {
                        let id = group["instance_id"].as_str().unwrap_or("").to_owned();
                        grouped.lock().unwrap().entry(id).or_insert(now);
                    }
                }
                let v = control(sb, reqwest::Method::GET, "state/invocations", json!({})).await;
                let now = Instant::now();
                for inv in v["invocations"].as_array().into_iter().flatten() {
                    for i in inv["instances"].as_array().into_iter().flatten() {
                        let s = i["status"].as_str().unwrap_or("");
                        if !matches!(s, "Pending" | "Running" | "Stopping" | "Scheduled" | "") {
                            let id = i["instance_id"].as_str().unwrap_or("").to_owned();
                            ended.lock().unwrap().entry(id).or_insert(now);
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let before = calls(&sb).await;
    let t = Instant::now();
    let work = async {
        let r = job(&sb, 1.0, &instances, &JobTuning::default(), &reporter).await;
        done.cancel();
        r
    };
    let (report, ()) = tokio::join!(work, watcher);
    let wall = t.elapsed().as_secs_f64();
    let after = calls(&sb).await;
    let (ended, grouped, finals) = (
        ended.lock().unwrap(),
        grouped.lock().unwrap(),
        finals.lock().unwrap(),
    );
    let since = |from: &dyn Fn(&str) -> Option<Instant>| {
        let mut v: Vec<f64> = report
            .results
            .iter()
            .filter_map(|r| {
                let f = finals.get(&r.instance_id)?;
                Some(
                    f.saturating_duration_since(from(&r.instance_id)?)
                        .as_secs_f64(),
                )
            })
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let lat = since(&|id| ended.get(id).copied());
    // From the moment the cloud's state allowed the final state: the later of the
    // invocation's end and its group becoming usable.
    let engine = since(&|id| Some((*ended.get(id)?).max(*grouped.get(id)?)));
    let polls: BTreeMap<&str, u64> = POLLS
        .iter()
        .map(|a| (*a, n(&after, a) - n(&before, a)))
        .collect();
    let total: u64 = polls.values().sum();
    let per_job_per_2s = total as f64 / (jobs as f64 * wall / 2.0);
    let pct = |v: &[f64], p: f64| match v.len() {
        0 => f64::NAN,
        n => v[((n - 1) as f64 * p).round() as usize],
    };
    println!("latency: {jobs} runs over {regions} regions, time scale 1, default tuning");
    println!(
        "  invocation end -> final state: median {:.3} s, p90 {:.3} s, max {:.3} s over {} runs (goal median <= 1 s)",
        pct(&lat, 0.5),
        pct(&lat, 0.9),
        pct(&lat, 1.0),
        lat.len()
    );
    println!(
        "  of which the engine's: later of invocation end and group usable -> final state: median {:.3} s, p90 {:.3} s, max {:.3} s over {} runs",
        pct(&engine, 0.5),
        pct(&engine, 0.9),
        pct(&engine, 1.0),
        engine.len()
    );
    println!(
        "  polls {total} {polls:?} in {wall:.2} s: {per_job_per_2s:.3} per job per 2 s (goal <= 1)"
    );
}

#[tokio::main]
async fn main() {
    let seed = env_num("BENCH_SEED", 42u64);
    throughput(
        env_num("BENCH_JOBS", 500usize),
        env_num("BENCH_REGIONS", 5usize),
        env_num("BENCH_TIME_SCALE", 1.0f64),
        seed,
    )
    .await;
    latency(
        env_num("BENCH_LATENCY_JOBS", 50usize),
        env_num("BENCH_REGIONS", 5usize),
        seed,
    )
    .await;
}
