//! Cloud commands (`whoami`, `regions`, `instances`): build a client from the global
//! options, the named profile's defaults and the credentials chain, call, print.

use std::process::ExitCode;
use std::sync::Arc;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::credentials::{default_chain, ChainOptions, Env, KeyringStore};
use acs_openapi::{
    AcsError, Client, Clock, CredentialsError, ErrorKind, Network, SignatureVersion, StsAssumeRole,
};
use appsnap_core::profiles::Profile;
use clap::Args;
use futures::TryStreamExt;
use serde_json::json;

use crate::output::{table, Output};

/// Where DescribeRegions is asked when no region is given (any region answers).
const DEFAULT_REGION: &str = "cn-hangzhou";

#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// AppSnap profile (`appsnap profile add`): its AccessKey from the OS keyring, its
    /// region, signature and endpoint as defaults that the flags below override. Also
    /// tried in ~/.aliyun/config.json and ~/.alibabacloud/credentials; the ALIBABA_CLOUD_*
    /// keys are then not used. Without it: environment, then those files.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Region, e.g. cn-hangzhou [default: the profile's, else $ALIBABA_CLOUD_REGION_ID].
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// One base URL for every product, e.g. the sandbox `http://127.0.0.1:41234`
    /// (plain http only for loopback) [default: the profile's, else $APPSNAP_ENDPOINT].
    #[arg(long, global = true)]
    pub endpoint: Option<String>,
    /// Request signature: acs3 or v1 [default: the profile's, else acs3].
    #[arg(long, global = true, value_parser = parse_signature)]
    pub signature: Option<SignatureVersion>,
    #[arg(long, global = true, value_enum, default_value = "table")]
    pub output: Output,
}

fn parse_signature(s: &str) -> Result<SignatureVersion, String> {
    s.parse()
}

/// What a cloud command runs with, after flags, the profile and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub profile: Option<String>,
    /// Whether `profile` is an AppSnap profile in profiles.json (it may instead live in
    /// the aliyun CLI's files).
    pub stored: bool,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub signature: SignatureVersion,
    pub network: Network,
}

/// An explicit flag wins, then the named profile's setting, then the environment
/// (`ALIBABA_CLOUD_REGION_ID`, `APPSNAP_ENDPOINT`), then the built-in default.
pub fn resolve(
    opts: &GlobalOptions,
    stored: Option<&Profile>,
    env: impl Fn(&str) -> Option<String>,
) -> Settings {
    let env = |name: &str| env(name).filter(|v| !v.is_empty());
    Settings {
        profile: opts.profile.clone(),
        stored: stored.is_some(),
        region: opts
            .region
            .clone()
            .or_else(|| stored.and_then(|p| p.region.clone()))
            .or_else(|| env("ALIBABA_CLOUD_REGION_ID")),
        endpoint: opts
            .endpoint
            .clone()
            .or_else(|| stored.and_then(|p| p.endpoint.clone()))
            .or_else(|| env("APPSNAP_ENDPOINT")),
        signature: opts
            .signature
            .or_else(|| stored.map(|p| p.signature.into()))
            .unwrap_or_default(),
        network: stored.map(|p| p.network.into()).unwrap_or_default(),
    }
}

/// The settings for this run; with `--profile`, its stored defaults are read first
/// (a corrupt profiles.json is an error, never ignored).
fn settings(opts: &GlobalOptions) -> Result<Settings, String> {
    let stored = match &opts.profile {
        Some(name) => crate::profile_cmd::profiles()?
            .get(name)
            .map_err(|e| e.to_string())?,
        None => None,
    };
    Ok(resolve(opts, stored.as_ref(), |k| std::env::var(k).ok()))
}

fn client(s: &Settings) -> Result<Client, AcsError> {
    let mut builder = Client::builder().signature(s.signature).network(s.network);
    if let Some(region) = &s.region {
        builder = builder.region(region);
    }
    if let Some(endpoint) = &s.endpoint {
        builder = builder.endpoint(endpoint);
    }
    let chain = default_chain(ChainOptions {
        env: Env::real(),
        profile: s.profile.clone(),
        keyring: Some(KeyringStore::default()),
        sts: Some(Arc::new(StsAssumeRole::new(builder.clone()))),
        clock: Clock::system(),
    });
    builder.credentials(Arc::new(chain)).build()
}

/// Settings, or the exit code after saying why there are none.
fn settings_or_exit(opts: &GlobalOptions) -> Result<Settings, ExitCode> {
    settings(opts).map_err(|e| {
        eprintln!("appsnap: error: {e}");
        ExitCode::FAILURE
    })
}

/// One line for the error, one for the RequestId, one for what to do.
fn fail(err: &AcsError, s: &Settings) -> ExitCode {
    eprintln!("appsnap: error: {err}");
    if let Some(id) = err.request_id() {
        eprintln!("RequestId: {id}");
    }
    if let (Some(name), false, AcsError::Credentials(CredentialsError::NotFound(_))) =
        (&s.profile, s.stored, err)
    {
        eprintln!(
            "hint: there is no AppSnap profile '{name}' (see `appsnap profile list`); \
             create it with `appsnap profile add {name} --access-key-id ID`"
        );
        return ExitCode::FAILURE;
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
    let s = match settings_or_exit(opts) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = async {
        let client = client(&s)?;
        let creds = client.credentials().await?;
        let me = client.get_caller_identity().await?;
        Ok::<_, AcsError>((creds, me))
    }
    .await;
    let (creds, me) = match result {
        Ok(v) => v,
        Err(e) => return fail(&e, &s),
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
    let s = match settings_or_exit(opts) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let region = s.region.as_deref().unwrap_or(DEFAULT_REGION);
    let reply = match async { client(&s)?.describe_regions(region).await }.await {
        Ok(r) => r,
        Err(e) => return fail(&e, &s),
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
    let s = match settings_or_exit(opts) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Some(region) = s.region.clone() else {
        eprintln!("appsnap: error: `instances` needs --region (e.g. --region cn-hangzhou)");
        return ExitCode::from(2);
    };
    let result = async {
        let client = client(&s)?;
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
        Err(e) => return fail(&e, &s),
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

#[cfg(test)]
mod tests {
    use appsnap_core::profiles::{ProfileNetwork, ProfileSignature};

    use super::*;

    fn opts(args: &[&str]) -> GlobalOptions {
        #[derive(clap::Parser)]
        struct P {
            #[command(flatten)]
            g: GlobalOptions,
        }
        let mut argv = vec!["appsnap"];
        argv.extend_from_slice(args);
        <P as clap::Parser>::parse_from(argv).g
    }

    fn stored() -> Profile {
        Profile {
            region: Some("cn-shanghai".into()),
            signature: ProfileSignature::V1,
            endpoint: Some("http://127.0.0.1:1".into()),
            network: ProfileNetwork::Vpc,
            ..Profile::new("work")
        }
    }

    fn env(name: &str) -> Option<String> {
        match name {
            "ALIBABA_CLOUD_REGION_ID" => Some("eu-central-1".into()),
            "APPSNAP_ENDPOINT" => Some("http://127.0.0.1:2".into()),
            _ => None,
        }
    }

    #[test]
    fn the_profile_beats_the_environment() {
        let s = resolve(&opts(&["--profile", "work"]), Some(&stored()), env);
        assert_eq!(
            s,
            Settings {
                profile: Some("work".into()),
                stored: true,
                region: Some("cn-shanghai".into()),
                endpoint: Some("http://127.0.0.1:1".into()),
                signature: SignatureVersion::V1,
                network: Network::Vpc,
            }
        );
    }

    #[test]
    fn explicit_flags_beat_the_profile() {
        let o = opts(&[
            "--profile",
            "work",
            "--region",
            "cn-beijing",
            "--endpoint",
            "http://127.0.0.1:3",
            "--signature",
            "acs3",
        ]);
        let s = resolve(&o, Some(&stored()), env);
        assert_eq!(s.region.as_deref(), Some("cn-beijing"));
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:3"));
        assert_eq!(s.signature, SignatureVersion::Acs3);
        assert_eq!(s.network, Network::Vpc);
    }

    #[test]
    fn without_a_stored_profile_the_environment_then_defaults_apply() {
        let s = resolve(&opts(&["--profile", "aliyun-cli-only"]), None, env);
        assert!(!s.stored);
        assert_eq!(s.region.as_deref(), Some("eu-central-1"));
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:2"));
        assert_eq!(s.signature, SignatureVersion::Acs3);
        assert_eq!(s.network, Network::Public);

        let bare = Profile::new("bare");
        let s = resolve(&opts(&[]), Some(&bare), |_| Some(String::new()));
        assert_eq!(
            (s.region, s.endpoint),
            (None, None),
            "empty variables are unset"
        );
        assert_eq!(s.signature, SignatureVersion::Acs3);
    }
}
