//! Cloud commands (`whoami`, `regions`, `instances`): build a client from the global
//! options and the credentials chain, call, print.

use std::process::ExitCode;
use std::sync::Arc;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::credentials::{default_chain, ChainOptions, Env, KeyringStore};
use acs_openapi::{AcsError, Client, Clock, ErrorKind, SignatureVersion, StsAssumeRole};
use clap::Args;
use futures::TryStreamExt;
use serde_json::json;

use crate::output::{table, Output};

/// Where DescribeRegions is asked when no region is given (any region answers).
const DEFAULT_REGION: &str = "cn-hangzhou";

#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// AppSnap profile in the OS keyring (also tried in ~/.aliyun/config.json and
    /// ~/.alibabacloud/credentials; the ALIBABA_CLOUD_* keys are then not used).
    /// Without it: environment, then those files.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Region, e.g. cn-hangzhou.
    #[arg(long, global = true, env = "ALIBABA_CLOUD_REGION_ID")]
    pub region: Option<String>,
    /// One base URL for every product, e.g. the sandbox `http://127.0.0.1:41234`
    /// (plain http only for loopback).
    #[arg(long, global = true, env = "APPSNAP_ENDPOINT")]
    pub endpoint: Option<String>,
    /// Request signature: acs3 (default) or v1.
    #[arg(long, global = true, default_value = "acs3", value_parser = parse_signature)]
    pub signature: SignatureVersion,
    #[arg(long, global = true, value_enum, default_value = "table")]
    pub output: Output,
}

fn parse_signature(s: &str) -> Result<SignatureVersion, String> {
    s.parse()
}

fn client(opts: &GlobalOptions) -> Result<Client, AcsError> {
    let mut builder = Client::builder().signature(opts.signature);
    if let Some(region) = &opts.region {
        builder = builder.region(region);
    }
    if let Some(endpoint) = &opts.endpoint {
        builder = builder.endpoint(endpoint);
    }
    let chain = default_chain(ChainOptions {
        env: Env::real(),
        profile: opts.profile.clone(),
        keyring: Some(KeyringStore::default()),
        sts: Some(Arc::new(StsAssumeRole::new(builder.clone()))),
        clock: Clock::system(),
    });
    builder.credentials(Arc::new(chain)).build()
}

/// One line for the error, one for the RequestId, one for what to do.
fn fail(err: &AcsError) -> ExitCode {
    eprintln!("appsnap: error: {err}");
    if let Some(id) = err.request_id() {
        eprintln!("RequestId: {id}");
    }
    let hint = match err.kind() {
        ErrorKind::AuthFailed => Some(
            "check the AccessKey (--profile, ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, ~/.aliyun/config.json)",
        ),
        ErrorKind::PermissionDenied => Some("the RAM user or role lacks a permission for this action"),
        ErrorKind::Network => Some("check the network, proxy settings (HTTPS_PROXY/NO_PROXY) or --endpoint"),
        ErrorKind::Throttled => Some("the cloud is throttling; try again in a moment"),
        _ => None,
    };
    if let Some(hint) = hint {
        eprintln!("hint: {hint}");
    }
    ExitCode::FAILURE
}

fn print_json(value: serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(&value).expect("JSON values serialise")
    );
}

pub async fn whoami(opts: &GlobalOptions) -> ExitCode {
    let result = async {
        let client = client(opts)?;
        let creds = client.credentials().await?;
        let me = client.get_caller_identity().await?;
        Ok::<_, AcsError>((creds, me))
    }
    .await;
    let (creds, me) = match result {
        Ok(v) => v,
        Err(e) => return fail(&e),
    };
    match opts.output {
        Output::Json => print_json(json!({
            "accountId": me.account_id,
            "arn": me.arn,
            "identityType": me.identity_type,
            "principalId": me.principal_id,
            "userId": me.user_id,
            "accessKeyId": creds.access_key_id,
            "credentialsFrom": creds.provider,
            "requestId": me.request_id,
        })),
        Output::Table => println!(
            "{}",
            table(
                &["FIELD", "VALUE"],
                &[
                    vec!["Account".into(), me.account_id],
                    vec!["Arn".into(), me.arn],
                    vec!["IdentityType".into(), me.identity_type],
                    vec!["PrincipalId".into(), me.principal_id],
                    vec!["AccessKeyId".into(), creds.access_key_id],
                    vec!["Credentials".into(), creds.provider.to_string()],
                ],
            )
        ),
    }
    ExitCode::SUCCESS
}

pub async fn regions(opts: &GlobalOptions) -> ExitCode {
    let region = opts.region.as_deref().unwrap_or(DEFAULT_REGION);
    let reply = match async { client(opts)?.describe_regions(region).await }.await {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let regions = reply.regions.region;
    match opts.output {
        Output::Json => print_json(json!({
            "requestId": reply.request_id,
            "regions": regions.iter().map(|r| json!({
                "regionId": r.region_id,
                "localName": r.local_name,
                "endpoint": r.region_endpoint,
                "status": r.status,
            })).collect::<Vec<_>>(),
        })),
        Output::Table => {
            let rows: Vec<Vec<String>> = regions
                .into_iter()
                .map(|r| vec![r.region_id, r.local_name, r.region_endpoint, r.status])
                .collect();
            println!(
                "{}",
                table(&["REGION", "NAME", "ENDPOINT", "STATUS"], &rows)
            );
        }
    }
    ExitCode::SUCCESS
}

pub async fn instances(opts: &GlobalOptions) -> ExitCode {
    let Some(region) = opts.region.clone() else {
        eprintln!("appsnap: error: `instances` needs --region (e.g. --region cn-hangzhou)");
        return ExitCode::from(2);
    };
    let result = async {
        let client = client(opts)?;
        client
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
        Err(e) => return fail(&e),
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
