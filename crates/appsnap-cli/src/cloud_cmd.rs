//! Cloud commands (`whoami`, `regions`; `instances` is in instances_cmd.rs): open a
//! core session from the global options, call, print; errors are core's `AppError`.

use std::process::ExitCode;

use acs_openapi::credentials::Env;
use acs_openapi::{AcsError, SignatureVersion};
use appsnap_core::profiles::Profiles;
use appsnap_core::{AppError, Session, SessionOverrides};
use clap::Args;
use serde_json::json;

use crate::output::{table, Output};
use crate::report::fail;

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

impl GlobalOptions {
    /// The flags a session takes; the rest comes from the profile and the environment.
    pub fn overrides(&self) -> SessionOverrides {
        SessionOverrides {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint: self.endpoint.clone(),
            signature: self.signature,
        }
    }
}

/// The session for this run: flags, then the named profile's defaults (a corrupt
/// profiles.json is an error, never ignored), then the environment.
pub(crate) fn open_session(opts: &GlobalOptions) -> Result<Session, AppError> {
    Session::open(&opts.overrides(), &Profiles::in_config_dir()?, &Env::real())
}

pub(crate) fn print_json(value: serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(&value).expect("JSON values serialise")
    );
}

pub async fn whoami(opts: &GlobalOptions) -> ExitCode {
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let client = &session.client;
    let result = async {
        let creds = client.credentials().await?;
        let me = client.get_caller_identity().await?;
        Ok::<_, AcsError>((creds, me))
    }
    .await;
    let (creds, me) = match result {
        Ok(v) => v,
        Err(e) => return fail(&session.app_error(&e)),
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
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let region = session.settings.region.as_deref().unwrap_or(DEFAULT_REGION);
    let reply = match session.client.describe_regions(region).await {
        Ok(r) => r,
        Err(e) => return fail(&session.app_error(&e)),
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

#[cfg(test)]
mod tests {
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

    #[test]
    fn the_flags_become_the_sessions_overrides() {
        let o = opts(&[
            "--profile",
            "work",
            "--region",
            "cn-beijing",
            "--endpoint",
            "http://127.0.0.1:3",
            "--signature",
            "v1",
        ]);
        assert_eq!(
            o.overrides(),
            SessionOverrides {
                profile: Some("work".into()),
                region: Some("cn-beijing".into()),
                endpoint: Some("http://127.0.0.1:3".into()),
                signature: Some(SignatureVersion::V1),
            }
        );
        assert_eq!(opts(&[]).overrides(), SessionOverrides::default());
    }
}
