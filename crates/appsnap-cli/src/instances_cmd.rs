//! `appsnap instances`: without `--check` today's plain listing of one region; with
//! `--check` core's fleet inventory (regions in parallel, batch calls), each instance's
//! checks and predicted consistency, `--probe` adding the read-only deep check.
//! Progress goes to stderr; the result to stdout.

use std::io::IsTerminal;
use std::process::ExitCode;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use appsnap_core::fleet::{
    deep_check, inventory, now_ms, Assessed, Check, CheckStatus, Consistency, FleetEvent,
    FleetStore, Inventory, InventoryOptions, ProbeTuning,
};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::AppError;
use clap::Args;
use futures::TryStreamExt;
use serde_json::json;

use crate::cloud_cmd::{open_session, print_json, GlobalOptions};
use crate::output::{table, Output};
use crate::report::{fail, usage};

#[derive(Debug, Clone, Default, Args)]
pub struct InstancesArgs {
    /// A region to read; repeat for several (with --check).
    #[arg(long = "region", id = "region", value_name = "R", action = clap::ArgAction::Append)]
    pub regions: Vec<String>,
    /// Every region DescribeRegions lists (with --check; the default when no --region).
    #[arg(long)]
    pub all_regions: bool,
    /// Check every instance and predict its consistency (application|filesystem|none).
    #[arg(long)]
    pub check: bool,
    /// Also run the read-only deep check in the guests (RunCommand); implies --check.
    #[arg(long)]
    pub probe: bool,
}

pub async fn run(opts: &GlobalOptions, args: &InstancesArgs) -> ExitCode {
    if args.all_regions && !args.regions.is_empty() {
        return usage(&AppError::invalid_input(
            "give either --region (one or more) or --all-regions, not both",
        ));
    }
    if args.check || args.probe {
        checked(opts, args).await
    } else {
        if args.all_regions || args.regions.len() > 1 {
            return usage(&AppError::invalid_input(
                "several regions need --check (the plain listing reads one region)",
            ));
        }
        listing(opts, args.regions.first()).await
    }
}

async fn checked(opts: &GlobalOptions, args: &InstancesArgs) -> ExitCode {
    let mut opts = opts.clone();
    // The regions to read are the list; the session's region only picks an endpoint.
    opts.region = args.regions.first().cloned();
    let session = match open_session(&opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let options = InventoryOptions {
        regions: args.regions.clone(),
        ..InventoryOptions::default()
    };
    let reporter = progress();
    let mut inv = match inventory(&session.client, &options, &reporter).await {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };
    if args.probe {
        if let Err(e) = deep_check(
            &session.client,
            &mut inv,
            &[],
            &ProbeTuning::default(),
            &reporter,
        )
        .await
        {
            return fail(&e);
        }
    }
    remember(&session.settings.profile, &mut inv);
    for m in &inv.missing {
        let region = if m.region_id.is_empty() {
            "account"
        } else {
            &m.region_id
        };
        eprintln!(
            "appsnap: partial: {region} {}: {} ({})",
            m.action, m.effect, m.error.message
        );
    }
    match opts.output {
        Output::Json => print_json(serde_json::Value::Array(
            inv.instances.iter().map(row).collect(),
        )),
        Output::Table => println!("{}", checked_table(&inv)),
    }
    if inv.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Keeps the inventory for the desktop's picker, with the last test runs' verdicts, and
/// adds the drift checks from the pushed scripts' records; a store that cannot be used is only a warning here (the
/// listing itself is complete).
fn remember(profile: &Option<String>, inv: &mut Inventory) {
    let name = profile.as_deref().unwrap_or("default");
    let saved = FleetStore::in_data_dir().and_then(|mut s| {
        if let Some(aside) = &s.moved_aside {
            eprintln!(
                "appsnap: warning: an unreadable {} was moved to {}",
                s.path().display(),
                aside.display()
            );
        }
        s.keep_script_tests(name, inv)?;
        s.save(name, inv, now_ms())?;
        s.add_drift(name, inv)
    });
    if let Err(e) = saved {
        eprintln!(
            "appsnap: warning: the inventory was not stored: {}",
            e.message
        );
    }
}

/// Region progress on stderr, one line each (long inventories take a while).
fn progress() -> Reporter<FleetEvent> {
    let tty = std::io::stderr().is_terminal();
    Reporter::new(
        move |e: FleetEvent| match e {
            FleetEvent::RegionsListed { region_ids } if tty => {
                eprintln!("reading {} regions…", region_ids.len())
            }
            FleetEvent::RegionDone {
                region_id,
                instances,
                disks,
                failed_calls,
            } => eprintln!(
                "{region_id}: {instances} instances, {disks} disks{}",
                if failed_calls > 0 {
                    format!(", {failed_calls} calls failed")
                } else {
                    String::new()
                }
            ),
            FleetEvent::ProbeDone {
                region_id,
                answered,
                failed,
            } => eprintln!("{region_id}: deep check answered {answered}, not {failed}"),
            _ => {}
        },
        CancellationToken::new(),
    )
}

/// One instance in `--check --output json`: the shape, nothing more.
fn row(a: &Assessed) -> serde_json::Value {
    let i = &a.instance;
    json!({
        "instanceId": i.instance_id,
        "name": i.name,
        "regionId": i.region_id,
        "osType": i.os_type,
        "status": i.status,
        "predicted": a.prediction.consistency,
        "checks": a.checks.iter().map(|c: &Check| json!({
            "id": c.id,
            "status": c.status,
            "reason": c.reason,
            "fix": c.fix,
        })).collect::<Vec<_>>(),
    })
}

fn checked_table(inv: &Inventory) -> String {
    let rows: Vec<Vec<String>> = inv
        .instances
        .iter()
        .map(|a| {
            let why: Vec<&str> = a
                .checks
                .iter()
                .filter(|c| a.prediction.decided_by.contains(&c.id))
                .filter(|c| c.status != CheckStatus::Pass)
                .map(|c| &*c.reason.text)
                .collect();
            vec![
                a.instance.instance_id.clone(),
                a.instance.name.clone(),
                a.instance.region_id.clone(),
                a.instance.status.clone(),
                name(a.prediction.consistency).to_owned(),
                why.join("; "),
            ]
        })
        .collect();
    table(
        &["INSTANCE", "NAME", "REGION", "STATUS", "PREDICTED", "WHY"],
        &rows,
    )
}

fn name(c: Consistency) -> &'static str {
    match c {
        Consistency::Application => "application",
        Consistency::Filesystem => "filesystem",
        Consistency::None => "none",
    }
}

/// Today's listing of one region, unchanged for scripts that read it.
async fn listing(opts: &GlobalOptions, region: Option<&String>) -> ExitCode {
    let mut opts = opts.clone();
    if let Some(r) = region {
        opts.region = Some(r.clone());
    }
    let session = match open_session(&opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let Some(region) = session.settings.region.clone() else {
        return usage(&AppError::invalid_input(
            "`instances` needs --region (e.g. --region cn-hangzhou)",
        ));
    };
    let result = async {
        session
            .client
            .describe_instances_stream(
                &region,
                DescribeInstancesRequest {
                    max_results: Some(100),
                    ..Default::default()
                },
            )
            .try_collect::<Vec<_>>()
            .await
    }
    .await;
    let instances = match result {
        Ok(v) => v,
        Err(e) => return fail(&session.app_error(&e)),
    };
    match opts.output {
        Output::Json => print_json(json!({
            "region": region,
            "instances": instances.iter().map(|i| json!({
                "instanceId": i.instance_id,
                "name": i.instance_name,
                "status": i.status,
                "osType": i.os_type,
                "osName": i.os_name_en,
                "zoneId": i.zone_id,
                "instanceType": i.instance_type,
                "privateIps": i.vpc_attributes.private_ip_address.ip_address,
            })).collect::<Vec<_>>(),
        })),
        Output::Table => {
            let rows: Vec<Vec<String>> = instances
                .into_iter()
                .map(|i| {
                    vec![
                        i.instance_id,
                        i.instance_name,
                        i.status,
                        i.os_type,
                        i.zone_id,
                        i.instance_type,
                    ]
                })
                .collect();
            println!(
                "{}",
                table(&["INSTANCE", "NAME", "STATUS", "OS", "ZONE", "TYPE"], &rows)
            );
        }
    }
    ExitCode::SUCCESS
}
