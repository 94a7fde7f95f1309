//! Reading the fleet with list and batch calls only (alibaba-api.md §3): per region one
//! `DescribeInstances` walk (100 a page), one `DescribeDisks` walk of the whole region
//! (500 a page), `DescribeCloudAssistantStatus` for 100 ids a call and
//! `DescribeInstanceRamRole` for 50 (the newer, smaller documented maximum), then each
//! distinct role's policies once. Regions run in parallel; inside a region the disk walk
//! and each batch start while the listing goes on (they need only listed ids), so a
//! region costs its longest chain of dependent calls, not their sum. Politeness is the
//! client's per-endpoint limiter (each region is its own endpoint); retries are the
//! client's too. A call that still fails is named in `Inventory::missing` and the facts it
//! would have given stay unknown — never a silently short list.

use std::collections::{BTreeSet, HashMap, HashSet};

use acs_openapi::actions::cloud_assistant::DescribeCloudAssistantStatusResponse;
use acs_openapi::actions::ecs_instances::{
    DescribeDisksRequest, DescribeInstancesRequest, InstanceBrief,
};
use acs_openapi::{AcsError, Client, Params, Product, Request};
use futures::channel::mpsc::{self, UnboundedSender};
use futures::{StreamExt, TryStreamExt};
use tokio_util::task::AbortOnDropHandle;

use super::assembly::{miss, Assembly, Outcome};
use super::predict::assess;
use super::roles::evaluate_roles;
use super::types::{
    AgentFact, Assessed, DiskFact, FleetEvent, Inventory, InventoryOptions, Missing, RoleFact,
};
use crate::error::{AppError, ErrorCode};
use crate::progress::Reporter;

/// Where `DescribeRegions` is asked when the client has no region (any region answers).
const HOME_REGION: &str = "cn-hangzhou";
const INSTANCE_PAGE: u32 = 100;
const DISK_PAGE: u32 = 500;
/// DescribeCloudAssistantStatus: `InstanceId.N` ≤ 100 (§3.4, §7.2).
pub const AGENT_BATCH: usize = 100;
/// DescribeInstanceRamRole: ≤ 50 ids (new doc) / 100 (old); the smaller is safe.
pub const ROLE_BATCH: usize = 50;
/// One region's calls at once besides its listing: the client's default per-endpoint
/// limit (`LimitSettings::default().max_in_flight`, 8) is what actually bounds them.
const REGION_CALLS: usize = 8;
/// Regions read at once at most, whatever the options ask: every region is its own
/// endpoint with its own politeness limits, so this bounds only local sockets.
const MAX_PARALLEL_REGIONS: u32 = 64;

/// The fleet of the regions asked for (all by default), checked; no guest probe.
pub async fn inventory(
    client: &Client,
    options: &InventoryOptions,
    reporter: &Reporter<FleetEvent>,
) -> Result<Inventory, AppError> {
    validate(options)?;
    reporter.checkpoint()?;
    let regions = match options.regions.is_empty() {
        true => {
            let home = client.region().unwrap_or(HOME_REGION).to_owned();
            let listed = client.describe_regions(&home).await?.regions.region;
            listed.into_iter().map(|r| r.region_id).collect()
        }
        false => dedup(&options.regions),
    };
    reporter.emit(FleetEvent::RegionsListed {
        region_ids: regions.clone(),
    });
    let parallel = options.parallel_regions.clamp(1, MAX_PARALLEL_REGIONS) as usize;
    let limit = options.group_disk_limit;
    // Each region is a task of its own, checked as soon as it is read: decoding and
    // checking use every core and overlap the other regions' calls (one task would
    // poll every region on one thread, and checking all at the end adds its whole CPU
    // time to the wall time). Dropping the inventory aborts them.
    let reads: Vec<RegionRead> = futures::stream::iter(regions.iter().cloned())
        .map(|region| {
            let (client, reporter) = (client.clone(), reporter.clone());
            AbortOnDropHandle::new(tokio::spawn(async move {
                read_region(&client, &region, limit, &reporter).await
            }))
        })
        .buffered(parallel)
        .map(|joined| joined.unwrap_or_else(|e| Err(AppError::internal(e.to_string()))))
        .try_collect()
        .await?;
    let mut instances = Vec::new();
    let mut missing = Vec::new();
    for read in reads {
        instances.extend(read.instances);
        missing.extend(read.missing);
    }
    reporter.checkpoint()?;
    missing.extend(evaluate_roles(client, &mut instances, reporter).await?);
    // The role check of an attached role waited for its policies: check those again.
    let instances = instances
        .into_iter()
        .map(|a| match a.instance.role {
            RoleFact::Attached { .. } => assess(a.instance, limit),
            _ => a,
        })
        .collect();
    Ok(Inventory {
        regions,
        instances,
        group_disk_limit: options.group_disk_limit,
        missing,
    })
}

fn validate(options: &InventoryOptions) -> Result<(), AppError> {
    for r in &options.regions {
        let ok = !r.is_empty()
            && r.len() <= 64
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(AppError::invalid_input(format!(
                "'{}' is not a region id (like cn-hangzhou)",
                r.chars().take(80).collect::<String>()
            )));
        }
    }
    if options.group_disk_limit == 0 {
        return Err(AppError::invalid_input(
            "the snapshot-group disk limit must be at least 1",
        ));
    }
    Ok(())
}

fn dedup(regions: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    regions
        .iter()
        .filter(|r| seen.insert(r.as_str()))
        .cloned()
        .collect()
}

async fn read_region(
    client: &Client,
    region: &str,
    group_disk_limit: u32,
    reporter: &Reporter<FleetEvent>,
) -> Result<RegionRead, AppError> {
    reporter.checkpoint()?;
    reporter.emit(FleetEvent::RegionStarted {
        region_id: region.to_owned(),
    });
    // The listing feeds the batches as its pages arrive: the disk walk starts with the
    // first instance, each agent/role batch as soon as its ids are listed, all at once
    // up to REGION_CALLS (the client's per-endpoint limiter has the last word). Pages
    // and answers meet in the assembly, which checks each instance once its facts are in.
    let (jobs_tx, jobs) = mpsc::unbounded();
    let (pages_tx, pages) = mpsc::unbounded();
    let listing = async move {
        let mut batcher = Batcher::new(jobs_tx);
        let listed = list_instances(client, region, reporter, &mut |page| {
            batcher.add(&page);
            // The receiver is gone only when the work already ended (a cancellation).
            let _ = pages_tx.unbounded_send(page);
        })
        .await;
        if matches!(listed, Ok(Ok(_))) {
            batcher.finish();
        }
        // Both senders drop here, so the work below ends with the last answer.
        listed
    };
    let mut assembly = Assembly::new(region, group_disk_limit);
    let work = async {
        let answers = jobs
            .map(|job| run_job(client, region, reporter, job))
            .buffer_unordered(REGION_CALLS)
            .map(Arrival::Answer);
        let mut arrivals = futures::stream::select(pages.map(Arrival::Page), answers);
        while let Some(arrival) = arrivals.next().await {
            match arrival {
                Arrival::Page(page) => assembly.listed(page),
                Arrival::Answer(outcome) => assembly.answered(outcome?),
            }
        }
        Ok::<(), AppError>(())
    };
    let (listed, worked) = futures::join!(listing, work);
    match listed? {
        Ok(_) => {}
        // Keys that are missing or refused fail every call alike: an error, not a gap.
        Err(e) if AppError::from(&e).code == ErrorCode::AuthFailed => return Err(e.into()),
        Err(e) => {
            reporter.emit(FleetEvent::RegionDone {
                region_id: region.to_owned(),
                instances: 0,
                disks: 0,
                failed_calls: 1,
            });
            return Ok(RegionRead {
                instances: Vec::new(),
                missing: vec![miss(
                    region,
                    "DescribeInstances",
                    "the region's instances are not listed",
                    &e,
                )],
            });
        }
    }
    worked?;
    let done = assembly.finish();
    reporter.emit(FleetEvent::RegionDone {
        region_id: region.to_owned(),
        instances: done.instances.len() as u32,
        disks: done.disk_count,
        failed_calls: done.missing.len() as u32,
    });
    Ok(RegionRead {
        instances: done.instances,
        missing: done.missing,
    })
}

/// What reaches a region's assembly: a page of the listing or a job's answer (whose
/// error is a cancellation).
enum Arrival {
    Page(Vec<InstanceBrief>),
    Answer(Result<Outcome, AppError>),
}

/// Cuts the listed ids into exactly the batches `ids.chunks(N)` of the whole list would
/// give, sending each one the moment it is full (the rest when the listing ends).
struct Batcher {
    jobs: UnboundedSender<Job>,
    disks_sent: bool,
    agents: Vec<String>,
    roles: Vec<String>,
    agent_batches: usize,
    role_batches: usize,
}

impl Batcher {
    fn new(jobs: UnboundedSender<Job>) -> Self {
        Self {
            jobs,
            disks_sent: false,
            agents: Vec::new(),
            roles: Vec::new(),
            agent_batches: 0,
            role_batches: 0,
        }
    }

    fn add(&mut self, page: &[InstanceBrief]) {
        if page.is_empty() {
            return;
        }
        if !self.disks_sent {
            self.disks_sent = true;
            self.send(Job::Disks);
        }
        for i in page {
            self.agents.push(i.instance_id.clone());
            self.roles.push(i.instance_id.clone());
            if self.agents.len() == AGENT_BATCH {
                self.flush_agents();
            }
            if self.roles.len() == ROLE_BATCH {
                self.flush_roles();
            }
        }
    }

    fn finish(mut self) {
        if !self.agents.is_empty() {
            self.flush_agents();
        }
        if !self.roles.is_empty() {
            self.flush_roles();
        }
    }

    fn flush_agents(&mut self) {
        let chunk = std::mem::take(&mut self.agents);
        self.agent_batches += 1;
        self.send(Job::Agents(self.agent_batches, chunk));
    }

    fn flush_roles(&mut self) {
        let chunk = std::mem::take(&mut self.roles);
        self.role_batches += 1;
        self.send(Job::Roles(self.role_batches, chunk));
    }

    fn send(&self, job: Job) {
        // The receiver is gone only when the work already ended (a cancellation).
        let _ = self.jobs.unbounded_send(job);
    }
}

/// One job of the region's read; the outer error is a cancellation.
async fn run_job(
    client: &Client,
    region: &str,
    reporter: &Reporter<FleetEvent>,
    job: Job,
) -> Result<Outcome, AppError> {
    reporter.checkpoint()?;
    Ok(match job {
        Job::Disks => Outcome::Disks(list_disks(client, region).await),
        Job::Agents(n, chunk) => {
            let found = agent_status(client, region, &chunk).await;
            Outcome::Agents(n, chunk, found)
        }
        Job::Roles(n, chunk) => {
            let found: Result<Vec<_>, AcsError> = client
                .describe_instance_ram_role_stream(
                    region,
                    chunk.clone(),
                    None,
                    Some(ROLE_BATCH as u32),
                )
                .try_collect()
                .await;
            let found = found.map(|sets| {
                sets.into_iter()
                    .filter(|s| !s.ram_role_name.is_empty())
                    .map(|s| (s.instance_id, s.ram_role_name))
                    .collect()
            });
            Outcome::Roles(n, chunk, found)
        }
    })
}

/// Every instance of the region, page by page, checking for cancellation between pages;
/// each page's new instances go to `on_page` as soon as they arrive. Ok: how many.
/// The outer error is a cancellation; the inner one a call that failed.
async fn list_instances(
    client: &Client,
    region: &str,
    reporter: &Reporter<FleetEvent>,
    on_page: &mut (dyn FnMut(Vec<InstanceBrief>) + Send),
) -> Result<Result<usize, AcsError>, AppError> {
    let mut request = DescribeInstancesRequest {
        max_results: Some(INSTANCE_PAGE),
        ..Default::default()
    };
    let mut seen = HashSet::new();
    loop {
        reporter.checkpoint()?;
        let page = match client.describe_instance_briefs(region, &request).await {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        // A page repeated after a retry must not list an instance twice.
        let fresh: Vec<InstanceBrief> = page
            .instances
            .instance
            .into_iter()
            .filter(|i| seen.insert(i.instance_id.clone()))
            .collect();
        if !fresh.is_empty() {
            on_page(fresh);
        }
        let next = page.next_token.filter(|t| !t.is_empty());
        if next.is_none() || request.next_token == next {
            return Ok(Ok(seen.len()));
        }
        request.next_token = next;
    }
}

/// The region's disks by instance (unattached disks are left out).
async fn list_disks(
    client: &Client,
    region: &str,
) -> Result<HashMap<String, Vec<DiskFact>>, AcsError> {
    let disks: Vec<_> = client
        .describe_disk_briefs_stream(
            region,
            DescribeDisksRequest {
                max_results: Some(DISK_PAGE),
                ..Default::default()
            },
        )
        .try_collect()
        .await?;
    let mut by_instance: HashMap<String, Vec<DiskFact>> = HashMap::new();
    let mut seen = HashSet::new();
    for d in disks {
        if d.instance_id.is_empty() || !seen.insert(d.disk_id.clone()) {
            continue;
        }
        by_instance
            .entry(d.instance_id)
            .or_default()
            .push(DiskFact {
                disk_id: d.disk_id,
                category: d.category,
                disk_type: d.disk_type,
                size_gib: u32::try_from(d.size).unwrap_or(u32::MAX),
                multi_attach: d.multi_attach,
            });
    }
    Ok(by_instance)
}

/// Agent status of up to 100 instances: one call with `PageSize` 100, following pages
/// in case the cloud answers fewer at a time.
async fn agent_status(
    client: &Client,
    region: &str,
    ids: &[String],
) -> Result<Vec<(String, AgentFact)>, AcsError> {
    let mut found = Vec::new();
    let mut page = 1u32;
    loop {
        let mut p = Params::new();
        p.set("RegionId", region)
            .repeat("InstanceId", ids)
            .set("PageNumber", page)
            .set("PageSize", AGENT_BATCH);
        let request =
            Request::new(Product::Ecs, "DescribeCloudAssistantStatus", p).in_region(Some(region));
        let reply: DescribeCloudAssistantStatusResponse = client.call(&request).await?;
        let items = reply.instance_cloud_assistant_status_set.items;
        let got = items.len();
        found.extend(items.into_iter().map(|s| {
            (
                s.instance_id,
                AgentFact {
                    installed: !s.cloud_assistant_version.is_empty(),
                    online: s.cloud_assistant_status,
                    version: s.cloud_assistant_version,
                },
            )
        }));
        match acs_openapi::actions::paging::next_page_number(
            page,
            AGENT_BATCH as u32,
            reply.total_count,
            got,
        ) {
            Some(next) if found.len() < ids.len() => page = next,
            _ => return Ok(found),
        }
    }
}

/// What one region gave: its instances checked, and the calls that failed.
struct RegionRead {
    instances: Vec<Assessed>,
    missing: Vec<Missing>,
}

/// A call (or walk) of a region's read that needs only listed ids; batches are numbered
/// from 1 in listing order.
enum Job {
    Disks,
    Agents(usize, Vec<String>),
    Roles(usize, Vec<String>),
}
