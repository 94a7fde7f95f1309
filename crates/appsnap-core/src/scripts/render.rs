//! A template with its parameters filled in: exactly the pair that would be pushed.

use std::collections::BTreeMap;

use super::catalogue::{find, TEMPLATES};
use super::params::resolve;
use super::types::{RenderedScripts, ScriptProblem, ScriptProblemCode, Severity};
use super::validate::{error, validate_script};
use crate::error::AppError;

/// Every template, as the Scripts screen lists them.
pub fn templates() -> Vec<super::types::ScriptTemplate> {
    TEMPLATES.iter().map(|t| t.info()).collect()
}

/// The problems rendering `name` with `params` would meet, for live validation: unknown
/// template or parameter, values breaking their rule, a too-short watchdog.
pub fn check_params(
    name: &str,
    params: &BTreeMap<String, String>,
    freeze_timeout_seconds: u32,
) -> Vec<ScriptProblem> {
    match find(name) {
        None => vec![unknown(name)],
        Some(spec) => resolve(spec, params, freeze_timeout_seconds).1,
    }
}

/// Renders `name` with `params` (defaults for the rest) for a run whose freeze timeout is
/// `freeze_timeout_seconds`, and checks both scripts as they would be sent. Any error is
/// refused as `InvalidInput` naming every problem; warnings come back with the scripts.
pub fn render(
    name: &str,
    params: &BTreeMap<String, String>,
    freeze_timeout_seconds: u32,
) -> Result<RenderedScripts, AppError> {
    let spec = find(name).ok_or_else(|| refuse(name, &[unknown(name)]))?;
    let (values, mut problems) = resolve(spec, params, freeze_timeout_seconds);
    let mut fill = |role: &str, text: &str| {
        let mut out = text.to_string();
        for (k, v) in &values {
            out = out.replace(&format!("{{{{{k}}}}}"), v);
        }
        let checked = validate_script(out.as_bytes());
        problems.extend(checked.problems.into_iter().map(|mut p| {
            p.message = format!("{role} script: {}", p.message);
            p
        }));
        out
    };
    let freeze = fill("freeze", spec.freeze);
    let thaw = fill("thaw", spec.thaw);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(refuse(name, &problems));
    }
    Ok(RenderedScripts {
        name: spec.name.into(),
        freeze,
        thaw,
        params: values,
        warnings: problems,
    })
}

fn unknown(name: &str) -> ScriptProblem {
    let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
    error(
        ScriptProblemCode::UnknownTemplate,
        format!(
            "no template named `{name}` (there are: {})",
            names.join(", ")
        ),
        None,
    )
}

fn refuse(name: &str, problems: &[ScriptProblem]) -> AppError {
    let list: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{}: {}", p.code.name(), p.message))
        .collect();
    AppError::invalid_input(format!(
        "template {name} was not rendered: {}",
        list.join("; ")
    ))
}
