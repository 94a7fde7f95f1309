//! `appsnap sandbox`: run the local Alibaba Cloud (sandbox-cloud) standalone, or print the
//! demo accounts' fixed AccessKeys so other tools (official SDKs, the `aliyun` CLI with a
//! custom endpoint) can use it.

use std::net::SocketAddr;
use std::process::ExitCode;

use sandbox_cloud::{demo_accounts, SandboxOptions};

use crate::output::{self, Output};

#[derive(Debug, clap::Subcommand)]
pub enum SandboxCommand {
    /// Serve the sandbox cloud on 127.0.0.1 until stopped (Ctrl-C).
    Serve(ServeArgs),
    /// Print the demo accounts' AccessKeys (`--output table|json`).
    Keys {
        /// Taken from the global `--output`.
        #[arg(skip)]
        output: Option<Output>,
    },
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// World to load.
    #[arg(long, default_value = "demo", value_parser = ["demo", "scale"])]
    scenario: String,
    /// Seed for ids, the scale generator and fault ratios.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Another administrator key of the demo account, as ID:SECRET (repeatable).
    #[arg(long = "access-key", value_name = "ID:SECRET", value_parser = parse_key)]
    access_keys: Vec<(String, String)>,
    /// Turn off the timestamp-window and nonce-reuse checks (replaying captured requests).
    #[arg(long)]
    allow_replay: bool,
    /// Simulated seconds per wall second (0 pauses the clock).
    #[arg(long, default_value_t = 1.0, value_parser = parse_time_scale)]
    time_scale: f64,
    /// `scale` scenario: number of instances.
    #[arg(long, default_value_t = 1000)]
    instances: usize,
    /// `scale` scenario: number of regions.
    #[arg(long, default_value_t = 4)]
    regions: usize,
}

impl ServeArgs {
    /// What `serve` starts the sandbox with.
    fn options(self) -> SandboxOptions {
        SandboxOptions {
            scenario: self.scenario,
            bind: SocketAddr::from(([127, 0, 0, 1], self.port)),
            seed: self.seed,
            time_scale: self.time_scale,
            allow_replay: self.allow_replay,
            extra_admin_keys: self.access_keys,
            scale_instances: self.instances,
            scale_regions: self.regions,
        }
    }
}

impl SandboxCommand {
    /// Hand the global `--output` to the subcommands that print.
    pub fn with_output(self, out: Output) -> Self {
        match self {
            SandboxCommand::Keys { .. } => SandboxCommand::Keys { output: Some(out) },
            other => other,
        }
    }
}

fn parse_key(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok((id.to_string(), secret.to_string()))
        }
        _ => Err("expected ID:SECRET".into()),
    }
}

fn parse_time_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x >= 0.0 && x.is_finite() => Ok(x),
        _ => Err("expected a number >= 0 (0 pauses the clock)".into()),
    }
}

fn keys_json() -> serde_json::Value {
    serde_json::json!({
        "accounts": demo_accounts().iter().map(|a| serde_json::json!({
            "name": a.name,
            "account_id": a.account_id,
            "user": a.user,
            "access_key_id": a.access_key_id,
            "access_key_secret": a.access_key_secret,
            "power": a.power,
            "description": a.description,
        })).collect::<Vec<_>>()
    })
}

fn keys_table() -> String {
    let rows: Vec<Vec<String>> = demo_accounts()
        .iter()
        .map(|a| {
            vec![
                a.name.into(),
                a.access_key_id.into(),
                a.access_key_secret.into(),
                a.account_id.into(),
                a.power.into(),
            ]
        })
        .collect();
    output::table(
        &[
            "NAME",
            "ACCESS KEY ID",
            "ACCESS KEY SECRET",
            "ACCOUNT",
            "POWER",
        ],
        &rows,
    )
}

pub async fn run(cmd: SandboxCommand) -> ExitCode {
    match cmd {
        SandboxCommand::Keys { output } => {
            match output.unwrap_or(Output::Table) {
                Output::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&keys_json()).unwrap_or_default()
                ),
                Output::Table => println!("{}", keys_table()),
            }
            ExitCode::SUCCESS
        }
        SandboxCommand::Serve(args) => {
            let options = args.options();
            let sandbox = match sandbox_cloud::start(options).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("appsnap: cannot start the sandbox cloud: {e}");
                    return ExitCode::FAILURE;
                }
            };
            println!("sandbox cloud listening on {}", sandbox.endpoint());
            println!(
                "one endpoint for ECS, RAM and STS; control API under {}/_sandbox/",
                sandbox.endpoint()
            );
            println!("{}", keys_table());
            println!("press Ctrl-C to stop");
            let _ = tokio::signal::ctrl_c().await;
            sandbox.shutdown().await;
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_id_colon_secret() {
        assert_eq!(
            parse_key("a:b:c").unwrap(),
            ("a".to_string(), "b:c".to_string())
        );
        assert!(parse_key("nocolon").is_err());
        assert!(parse_key(":x").is_err());
    }

    #[derive(clap::Parser)]
    struct Args {
        #[command(subcommand)]
        cmd: SandboxCommand,
    }

    fn serve(args: &[&str]) -> Result<SandboxOptions, String> {
        use clap::Parser as _;
        let all = ["appsnap-sandbox", "serve"].iter().chain(args);
        Args::try_parse_from(all)
            .map(|a| match a.cmd {
                SandboxCommand::Serve(args) => args.options(),
                other => panic!("parsed as {other:?}"),
            })
            .map_err(|e| e.to_string())
    }

    #[test]
    fn serve_options_reach_the_sandbox() {
        let o = serve(&[
            "--port",
            "8080",
            "--scenario",
            "scale",
            "--seed",
            "7",
            "--access-key",
            "AK1:SK1",
            "--access-key",
            "AK2:SK2",
            "--allow-replay",
            "--time-scale",
            "0.5",
            "--instances",
            "10000",
            "--regions",
            "8",
        ])
        .unwrap();
        assert_eq!(o.bind, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!((o.scenario.as_str(), o.seed), ("scale", 7));
        assert_eq!(
            o.extra_admin_keys,
            vec![("AK1".into(), "SK1".into()), ("AK2".into(), "SK2".into())]
        );
        assert!(o.allow_replay);
        assert_eq!(o.time_scale, 0.5);
        assert_eq!((o.scale_instances, o.scale_regions), (10000, 8));
        let d = serve(&[]).unwrap();
        assert_eq!((d.scenario.as_str(), d.bind.port()), ("demo", 0));
        assert!(!d.allow_replay && d.extra_admin_keys.is_empty());
        assert_eq!(d.time_scale, 1.0);
    }

    #[test]
    fn bad_serve_options_are_refused_with_a_reason() {
        for (args, why) in [
            (&["--scenario", "huge"][..], "huge"),
            (&["--access-key", "nocolon"][..], "ID:SECRET"),
            (&["--time-scale=-1"][..], "number >= 0"),
            (&["--time-scale", "fast"][..], "number >= 0"),
        ] {
            let err = serve(args).unwrap_err();
            assert!(err.contains(why), "{args:?}: {err}");
        }
    }

    #[test]
    fn json_lists_the_three_demo_accounts() {
        let v = keys_json();
        assert_eq!(v["accounts"].as_array().unwrap().len(), 3);
        assert!(keys_table().contains("LTAI5tSandboxAdmin000001"));
    }
}
