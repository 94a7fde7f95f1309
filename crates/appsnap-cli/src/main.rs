//! `appsnap`: the command line front end. One top-level `Command` enum; each
//! subcommand lives in its own module and returns an exit code.

mod cloud_cmd;
mod history_cmd;
mod instances_cmd;
mod output;
mod profile_cmd;
mod ram_cmd;
mod report;
mod rollback_cmd;
mod sandbox_cmd;
mod scripts_cmd;
mod snapshot_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cloud_cmd::GlobalOptions;

#[derive(Debug, Parser)]
#[command(
    name = "appsnap",
    version,
    about = "Application-consistent ECS snapshots, headless"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalOptions,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Who the current credentials belong to (STS GetCallerIdentity).
    Whoami,
    /// The regions ECS offers (DescribeRegions).
    Regions,
    /// The ECS instances: one region listed, or with --check every chosen region's
    /// instances checked with their predicted consistency (--probe: deep check).
    Instances(instances_cmd::InstancesArgs),
    /// Saved profiles: settings in the config directory, AccessKeys in the OS keyring.
    #[command(subcommand)]
    Profile(profile_cmd::ProfileCommand),
    /// RAM setup (seed step 1): a role ECS can assume, the snapshot policy, the two
    /// attached, and the role on each chosen instance.
    #[command(subcommand)]
    Ram(ram_cmd::RamCommand),
    /// App-consistent snapshot jobs: create (seed steps 2 and 3), retry the failed ones.
    #[command(subcommand)]
    Snapshot(snapshot_cmd::SnapshotCommand),
    /// Snapshot job history: list and filter, show a job, export CSV/JSON, resume
    /// unfinished jobs.
    #[command(subcommand)]
    Jobs(history_cmd::JobsCommand),
    /// Roll an instance's disks back to a snapshot group (prints the plan, asks first).
    Rollback(rollback_cmd::RollbackArgs),
    /// The local sandbox cloud: serve it, or print its demo keys.
    #[command(subcommand)]
    Sandbox(sandbox_cmd::SandboxCommand),
    /// Freeze/thaw scripts: the templates, validation, push to instances, test run.
    #[command(subcommand)]
    Scripts(scripts_cmd::ScriptsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("appsnap: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match cli.command {
            Command::Whoami => cloud_cmd::whoami(&cli.global).await,
            Command::Regions => cloud_cmd::regions(&cli.global).await,
            Command::Instances(args) => instances_cmd::run(&cli.global, &args).await,
            Command::Ram(cmd) => ram_cmd::run(cmd, &cli.global).await,
            Command::Scripts(cmd) => scripts_cmd::run(cmd, &cli.global).await,
            Command::Snapshot(cmd) => snapshot_cmd::snapshot(cmd, &cli.global).await,
            Command::Jobs(cmd) => history_cmd::run(cmd, &cli.global).await,
            Command::Rollback(args) => rollback_cmd::run(&args, &cli.global).await,
            Command::Sandbox(cmd) => sandbox_cmd::run(cmd.with_output(cli.global.output)).await,
            // Local work on a file and the OS keyring; nothing else runs meanwhile.
            Command::Profile(cmd) => profile_cmd::run(cmd, &cli.global),
        }
    })
}

/// Logs go to stderr, off unless `APPSNAP_LOG` asks (e.g. `APPSNAP_LOG=acs_openapi=debug`).
fn init_logging() {
    if let Ok(filter) = std::env::var("APPSNAP_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .init();
    }
}
