//! `appsnap ram plan|apply`: seed step 1 (role, policy, attachment, instance roles)
//! through core's RAM engine. Stdout carries the plan (table, or the engine's JSON);
//! prompts, progress and errors go to stderr so scripts can parse stdout.

mod confirm;
mod exit;
mod render;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::{
    self, ApplyTuning, InstanceRef, InstanceResolution, RamApplyEvent, RamOptions, RamPlan,
};
use appsnap_core::{AppError, ErrorCode, Session};
use clap::{Args, Subcommand, ValueEnum};

use crate::cloud_cmd::{open_session, GlobalOptions};
use crate::output::Output;
use crate::report::{self, render as render_error};
use exit::RamExit;

pub use exit::exit_status_help;

#[derive(Debug, Subcommand)]
pub enum RamCommand {
    /// Read the account and show each step as done, todo, conflict or blocked, with the
    /// exact requests apply would send. Sends no write call.
    #[command(after_help = exit_status_help(true))]
    Plan(PlanArgs),
    /// Send the plan's todo steps in order (and the chosen --on-conflict way out), then
    /// show the account's plan afterwards. Asks first on a terminal unless --yes; without
    /// a terminal and without --yes it refuses and sends nothing. Ctrl-C stops between
    /// steps; `ram plan` then shows where it stopped.
    #[command(after_help = exit_status_help(false))]
    Apply(ApplyArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// The RAM role that ECS assumes for the instances.
    #[arg(long, default_value = ram::DEFAULT_ROLE_NAME)]
    pub role: String,
    /// The custom policy with the seed's four snapshot actions.
    #[arg(long, default_value = ram::DEFAULT_POLICY_NAME)]
    pub policy: String,
    /// An instance to attach the role to, as `ID` (in the global --region, else the
    /// profile's or $ALIBABA_CLOUD_REGION_ID) or `REGION:ID` (e.g.
    /// `cn-shanghai:i-uf6...`); repeat it for more, in several regions if need be.
    #[arg(long = "instance", value_name = "[REGION:]ID")]
    pub instances: Vec<String>,
    /// Use a role of that name that already exists with another trust policy, if that
    /// policy does let ecs.aliyuncs.com assume it (it is evaluated, never changed).
    #[arg(long)]
    pub accept_existing_role: bool,
    /// Use a policy of that name that already exists with another document, if that
    /// document does grant the four snapshot actions (it is evaluated, never changed).
    #[arg(long)]
    pub accept_existing_policy: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Apply without asking (needed when standard input is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// For an instance that already holds another role (an instance holds one): extend =
    /// attach our policy to that role (least disruptive); replace = detach it and attach
    /// ours (whatever used it loses it); skip = leave the instance alone (it stays a
    /// conflict). Without it such an instance is left alone and shown as a conflict.
    #[arg(long, value_enum, value_name = "CHOICE")]
    pub on_conflict: Option<OnConflict>,
}

/// `--on-conflict`'s words; each is one of the engine's resolutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnConflict {
    Extend,
    Replace,
    Skip,
}

pub async fn run(cmd: RamCommand, global: &GlobalOptions) -> ExitCode {
    let (args, apply_args) = match &cmd {
        RamCommand::Plan(a) => (a, None),
        RamCommand::Apply(a) => (&a.plan, Some(a)),
    };
    let session = match open_session(global) {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    let on_conflict = apply_args.and_then(|a| a.on_conflict).map(OnConflict::into);
    let options = match options(args, on_conflict, &session) {
        Ok(o) => o,
        Err(e) => return failed(&e),
    };
    match apply_args {
        None => plan(&session, &options, global.output).await,
        Some(a) => apply(&session, &options, a.yes, global.output).await,
    }
}

async fn plan(session: &Session, options: &RamOptions, output: Output) -> ExitCode {
    match ram::plan(&session.client, options).await {
        Ok(p) => {
            print_plan(&p, output);
            RamExit::of_plan(&p).into()
        }
        Err(e) => failed(&e),
    }
}

async fn apply(session: &Session, options: &RamOptions, yes: bool, output: Output) -> ExitCode {
    let before = match ram::plan(&session.client, options).await {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    let pending = render::pending(&before);
    // Nothing to send: nothing to confirm either.
    if pending.is_empty() {
        eprintln!("appsnap: nothing to apply; no write call sent");
        print_plan(&before, output);
        return RamExit::of_apply(&before).into();
    }
    let confirmed = if yes {
        None
    } else {
        match confirm::ask(&before) {
            confirm::Answer::Yes => Some(pending),
            confirm::Answer::No => {
                eprintln!("appsnap: not applied; no write call sent");
                return RamExit::Error.into();
            }
            confirm::Answer::NoTerminal => {
                eprintln!("{}", render::plan_table(&before));
                eprintln!(
                    "appsnap: error: `ram apply` sends the writes above only when confirmed: \
                     pass --yes, or run it at a terminal to be asked; no write call sent"
                );
                return RamExit::Usage.into();
            }
        }
    };
    let cancel = CancellationToken::new();
    let changed = Arc::new(AtomicBool::new(false));
    let reporter = progress_reporter(cancel.clone(), confirmed, changed.clone());
    let ctrl_c = tokio::spawn(cancel_on_ctrl_c(cancel.clone()));
    let result = ram::apply(&session.client, options, &ApplyTuning::default(), &reporter).await;
    ctrl_c.abort();
    let report = match result {
        Ok(r) => r,
        Err(e) if e.code == ErrorCode::Cancelled && changed.load(Ordering::SeqCst) => {
            return failed(&AppError::new(
                ErrorCode::Conflict,
                "the account changed after the plan was shown; no write call sent. \
                 Review the new plan and run `ram apply` again",
            ));
        }
        Err(e) if e.code == ErrorCode::Cancelled => {
            return failed(&AppError::new(
                ErrorCode::Cancelled,
                "stopped between steps at Ctrl-C; `appsnap ram plan` shows what was done",
            ));
        }
        Err(e) => return failed(&e),
    };
    print_plan(&report.plan, output);
    for f in &report.failures {
        eprintln!("appsnap: step {} failed:", f.step_id);
        eprintln!("{}", render_error(&f.error));
    }
    if !report.failures.is_empty() {
        return RamExit::Error.into();
    }
    RamExit::of_apply(&report.plan).into()
}

/// Progress lines on stderr. With a confirmed plan, a fresh plan that would send other
/// writes than the ones shown stops apply before its first step.
fn progress_reporter(
    cancel: CancellationToken,
    confirmed: Option<Vec<render::Pending>>,
    changed: Arc<AtomicBool>,
) -> Reporter<RamApplyEvent> {
    let token = cancel.clone();
    Reporter::new(
        move |event: RamApplyEvent| {
            if let (RamApplyEvent::Planned { plan }, Some(shown)) = (&event, &confirmed) {
                if &render::pending(plan) != shown {
                    changed.store(true, Ordering::SeqCst);
                    token.cancel();
                    return;
                }
            }
            if let Some(line) = render::event_line(&event) {
                eprintln!("{line}");
            }
        },
        cancel,
    )
}

/// The first Ctrl-C stops apply between steps; a second one quits at once.
async fn cancel_on_ctrl_c(cancel: CancellationToken) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    eprintln!("appsnap: stopping after the current step (Ctrl-C again to quit now)");
    cancel.cancel();
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(130);
    }
}

/// The engine's options from the flags; instances without a region take the session's.
fn options(
    args: &PlanArgs,
    on_conflict: Option<InstanceResolution>,
    session: &Session,
) -> Result<RamOptions, AppError> {
    let region = session.settings.region.as_deref();
    let instances = args
        .instances
        .iter()
        .map(|spec| instance_ref(spec, region))
        .collect::<Result<Vec<_>, _>>()?;
    let options = RamOptions {
        role_name: args.role.clone(),
        policy_name: args.policy.clone(),
        instances,
        use_existing_role: args.accept_existing_role,
        use_existing_policy: args.accept_existing_policy,
        on_conflict,
        ..RamOptions::default()
    };
    options.validate()?;
    Ok(options)
}

/// `REGION:ID`, or `ID` in `default_region`.
pub(crate) fn instance_ref(
    spec: &str,
    default_region: Option<&str>,
) -> Result<InstanceRef, AppError> {
    let (region, id) = match spec.split_once(':') {
        Some((r, id)) => (r, id),
        None => match default_region {
            Some(r) => (r, spec),
            None => {
                return Err(AppError::invalid_input(format!(
                    "--instance {} needs a region: pass --region, or write it as REGION:ID \
                     (e.g. cn-hangzhou:{0})",
                    spec.chars().take(80).collect::<String>()
                )))
            }
        },
    };
    Ok(InstanceRef {
        instance_id: id.to_owned(),
        region_id: region.to_owned(),
    })
}

fn print_plan(plan: &RamPlan, output: Output) {
    match output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(plan).expect("a plan serialises")
        ),
        Output::Table => println!("{}", render::plan_table(plan)),
    }
}

/// Refused input exits 2 like clap's usage errors; anything else 1.
fn failed(e: &AppError) -> ExitCode {
    match e.code {
        ErrorCode::InvalidInput => report::usage(e),
        _ => report::fail(e),
    }
}

impl From<OnConflict> for InstanceResolution {
    fn from(c: OnConflict) -> Self {
        match c {
            OnConflict::Extend => Self::Extend,
            OnConflict::Replace => Self::Replace,
            OnConflict::Skip => Self::Skip,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_takes_its_own_region_or_the_sessions() {
        assert_eq!(
            instance_ref("cn-shanghai:i-1", Some("cn-hangzhou")).unwrap(),
            InstanceRef {
                instance_id: "i-1".into(),
                region_id: "cn-shanghai".into()
            }
        );
        assert_eq!(
            instance_ref("i-2", Some("cn-hangzhou")).unwrap(),
            InstanceRef {
                instance_id: "i-2".into(),
                region_id: "cn-hangzhou".into()
            }
        );
        let e = instance_ref("i-3", None).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("--region"), "{}", e.message);
    }
}
