//! `appsnap profile add|list|remove`: a profile's settings in `profiles.json` in the
//! platform config directory, its AccessKey in the OS keyring (both through
//! appsnap-core's `Profiles`). The secret is read from standard input only: a prompt
//! without echo on a terminal, one line from a pipe; never an argument `ps` would show.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use acs_openapi::credentials::{AccessKey, KeyringStore};
use acs_openapi::Sensitive;
use appsnap_core::profiles::{
    Profile, ProfileError, ProfileKeyStatus, ProfileKind, ProfileNetwork, ProfileSignature,
    Profiles,
};
use appsnap_core::{AppError, ErrorCode};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::cloud_cmd::GlobalOptions;
use crate::output::{table, Output};
use crate::report::{self, usage};

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Save a profile. The AccessKey secret is read from standard input (typed without
    /// echo at a terminal, or one line from a pipe) and kept in the OS keyring; the
    /// global --region, --signature and --endpoint become the profile's defaults.
    Add(AddArgs),
    /// The saved profiles and whether the OS keyring holds their AccessKey (never the
    /// secret).
    List,
    /// Delete a profile's settings and its AccessKey in the OS keyring.
    Remove {
        /// The profile's name.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'.
    pub name: String,
    /// The AccessKey ID (the secret comes from standard input).
    #[arg(long)]
    pub access_key_id: String,
    /// Public endpoints, or the -vpc ones reachable from inside a VPC.
    #[arg(long, default_value = "public", value_parser = parse_network)]
    pub network: ProfileNetwork,
}

fn parse_network(s: &str) -> Result<ProfileNetwork, String> {
    s.parse()
}

/// Refused input exits 2 (as clap's usage errors), anything else 1.
fn fail(err: impl Into<AppError>) -> ExitCode {
    let err = err.into();
    match err.code {
        ErrorCode::InvalidInput => usage(&err),
        _ => report::fail(&err),
    }
}

pub fn run(cmd: ProfileCommand, global: &GlobalOptions) -> ExitCode {
    if global.profile.is_some() {
        return usage(&AppError::invalid_input(
            "`profile` commands take the profile's name as an argument, not --profile",
        ));
    }
    let profiles = match Profiles::in_config_dir() {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    match cmd {
        ProfileCommand::Add(args) => add(&profiles, args, global),
        ProfileCommand::List => list(&profiles, global.output),
        ProfileCommand::Remove { name } => remove(&profiles, &name),
    }
}

fn add(profiles: &Profiles, args: AddArgs, global: &GlobalOptions) -> ExitCode {
    let profile = Profile {
        name: args.name,
        kind: ProfileKind::AccessKey,
        region: global.region.clone(),
        signature: match global.signature {
            Some(acs_openapi::SignatureVersion::V1) => ProfileSignature::V1,
            _ => ProfileSignature::Acs3,
        },
        endpoint: global.endpoint.clone(),
        network: args.network,
    };
    // Everything that can be checked is checked before the secret is asked for.
    if let Err(e) = profile.validate_new() {
        return fail(&e);
    }
    match profiles.get(&profile.name) {
        Ok(None) => {}
        Ok(Some(_)) => return fail(ProfileError::Exists(profile.name)),
        Err(e) => return fail(&e),
    }
    let secret = match read_secret() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let key = AccessKey {
        id: args.access_key_id,
        secret,
    };
    let name = profile.name.clone();
    if let Err(e) = profiles.add(profile, &key) {
        return fail(&e);
    }
    println!(
        "Saved profile '{name}': settings in {}, AccessKey in the {}.",
        profiles.path().display(),
        KeyringStore::BACKEND
    );
    ExitCode::SUCCESS
}

/// The AccessKey secret from standard input: a prompt without echo on a terminal, else
/// the first line. Surrounding whitespace (the newline) is dropped.
fn read_secret() -> Result<Sensitive<String>, AppError> {
    let stdin = std::io::stdin();
    let raw = if stdin.is_terminal() {
        rpassword::prompt_password("AccessKey secret: ").map_err(|e| {
            AppError::invalid_input(format!("cannot read the AccessKey secret: {e}"))
        })?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| {
            AppError::invalid_input(format!(
                "cannot read the AccessKey secret from standard input: {e}"
            ))
        })?;
        line
    };
    let secret = raw.trim();
    if secret.is_empty() {
        return Err(AppError::invalid_input(
            "no AccessKey secret on standard input: type it at the prompt or pipe it in \
             (e.g. `pass show aliyun | appsnap profile add ...`)",
        ));
    }
    Ok(Sensitive::new(secret.to_string()))
}

fn list(profiles: &Profiles, output: Output) -> ExitCode {
    let entries = match profiles.list() {
        Ok(e) => e,
        Err(e) => return fail(&e),
    };
    match output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "path": profiles.path(),
                "profiles": entries,
            }))
            .expect("profiles serialise")
        ),
        Output::Table => {
            let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    let (id, state) = match &e.key {
                        ProfileKeyStatus::Stored { access_key_id } => {
                            (access_key_id.clone(), "stored")
                        }
                        ProfileKeyStatus::Missing => ("-".into(), "missing"),
                        ProfileKeyStatus::Unavailable { .. } => ("-".into(), "unavailable"),
                    };
                    let p = &e.profile;
                    vec![
                        p.name.clone(),
                        dash(&p.region),
                        p.signature.to_string(),
                        p.network.to_string(),
                        dash(&p.endpoint),
                        id,
                        state.into(),
                    ]
                })
                .collect();
            println!(
                "{}",
                table(
                    &[
                        "NAME",
                        "REGION",
                        "SIGNATURE",
                        "NETWORK",
                        "ENDPOINT",
                        "ACCESS KEY ID",
                        "KEYRING",
                    ],
                    &rows,
                )
            );
            if entries.is_empty() {
                eprintln!(
                    "no profiles in {}; add one with `appsnap profile add NAME --access-key-id ID`",
                    profiles.path().display()
                );
            }
            if let Some(reason) = entries.iter().find_map(|e| match &e.key {
                ProfileKeyStatus::Unavailable { reason } => Some(reason),
                _ => None,
            }) {
                eprintln!("appsnap: the OS keyring could not be read: {reason}");
            }
        }
    }
    ExitCode::SUCCESS
}

fn remove(profiles: &Profiles, name: &str) -> ExitCode {
    match profiles.remove(name) {
        Ok(removed) => {
            let what = match (removed.settings, removed.key) {
                (true, true) => "its settings and its AccessKey in the OS keyring",
                (true, false) => "its settings (the OS keyring held no AccessKey for it)",
                (false, _) => "its AccessKey in the OS keyring (it had no settings)",
            };
            println!("Removed profile '{name}': {what}.");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
