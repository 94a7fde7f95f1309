//! The plan for people (steps, instances, differences, choices, the exact requests) and
//! one progress line per apply event.

use appsnap_core::ram::{Blocker, CloudRequest, PlanStep, RamApplyEvent, RamPlan, StepState};

use crate::output::table;
use crate::report::render as render_error;

/// A step apply will send requests for, and those requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub step_id: String,
    pub requests: Vec<CloudRequest>,
}

/// What apply would send: the todo steps, and conflicts with a chosen extend/replace
/// (a skip or an open conflict carries no request; a blocked step is not sent).
pub fn pending(plan: &RamPlan) -> Vec<Pending> {
    plan.steps
        .iter()
        .filter(|s| match s.state {
            StepState::Todo => true,
            StepState::Conflict => !s.request.is_empty(),
            StepState::Done | StepState::Blocked => false,
        })
        .map(|s| Pending {
            step_id: s.id.clone(),
            requests: s.request.clone(),
        })
        .collect()
}

pub fn plan_table(plan: &RamPlan) -> String {
    let rows: Vec<Vec<String>> = plan
        .steps
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                word(s.state),
                s.target.clone(),
                s.detail.clone(),
            ]
        })
        .collect();
    let mut out = vec![table(&["STEP", "STATE", "TARGET", "DETAIL"], &rows)];
    if !plan.instances.is_empty() {
        let rows: Vec<Vec<String>> = plan
            .instances
            .iter()
            .map(|i| {
                vec![
                    i.instance_id.clone(),
                    i.region_id.clone(),
                    word(i.state),
                    i.current_role.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        out.push(table(
            &["INSTANCE", "REGION", "STATE", "CURRENT ROLE"],
            &rows,
        ));
    }
    out.extend(plan.steps.iter().filter_map(step_notes));
    let pending = pending(plan);
    if !pending.is_empty() {
        let mut lines = vec!["Requests apply will send, in order:".to_string()];
        for p in &pending {
            for r in &p.requests {
                lines.push(format!("  {}: {}", p.step_id, request_json(r)));
            }
        }
        out.push(lines.join("\n"));
    }
    out.join("\n\n")
}

/// What a step needs beyond its detail: the missing permission, the document's
/// differences and what it grants, or the ways out of an instance conflict.
fn step_notes(s: &PlanStep) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(b) = &s.blocker {
        lines.push(format!("{}: blocked: {}", s.id, blocker_words(b)));
    }
    if let Some(d) = &s.diff {
        lines.push(format!(
            "{}: the existing document differs from the expected one:",
            s.id
        ));
        for c in &d.changes {
            let show = |v: &Option<serde_json::Value>| {
                v.as_ref().map_or_else(|| "-".into(), |v| v.to_string())
            };
            lines.push(format!(
                "  {} {}: expected {}, actual {}",
                c.path,
                word(c.change),
                show(&c.expected),
                show(&c.actual)
            ));
        }
    }
    if let Some(e) = &s.evaluation {
        let verdict = if e.sufficient {
            "it grants what is needed (--accept-existing-* uses it as it is)"
        } else {
            "it does not grant what is needed"
        };
        lines.push(format!("{}: {verdict}:", s.id));
        for f in &e.findings {
            let mark = if f.holds { "yes" } else { "no " };
            lines.push(format!("  {mark} {}: {}", f.subject, f.reason));
        }
    }
    if !s.choices.is_empty() {
        lines.push(format!("{}: choices (--on-conflict):", s.id));
        for c in &s.choices {
            lines.push(format!("  {}: {}", word(c.resolution), c.consequence));
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// One line per event on stderr; the fresh plan at the start is not repeated.
pub fn event_line(event: &RamApplyEvent) -> Option<String> {
    Some(match event {
        RamApplyEvent::Planned { plan } => {
            let writes: usize = pending(plan).iter().map(|p| p.requests.len()).sum();
            format!(
                "apply: {} step(s) to send, {writes} write call(s)",
                pending(plan).len()
            )
        }
        RamApplyEvent::StepStarted { step_id } => format!("{step_id}: started"),
        RamApplyEvent::Retrying {
            step_id,
            attempt,
            code,
            delay_ms,
        } => format!(
            "{step_id}: attempt {attempt} failed ({code}); reading back, retrying in {delay_ms} ms"
        ),
        RamApplyEvent::Verifying {
            step_id,
            attempt,
            message,
            ..
        } => format!("{step_id}: verifying (check {attempt}): {message}"),
        RamApplyEvent::StepDone { step_id, detail } => format!("{step_id}: done: {detail}"),
        RamApplyEvent::StepSkipped { step_id, reason } => {
            format!("{step_id}: skipped: {reason}")
        }
        RamApplyEvent::StepBlocked { step_id, blocker } => {
            format!("{step_id}: blocked: {}", blocker_words(blocker))
        }
        RamApplyEvent::StepConflict { step_id, detail } => {
            format!("{step_id}: conflict: {detail}")
        }
        RamApplyEvent::StepFailed { step_id, error } => {
            format!(
                "{step_id}: failed: {}",
                render_error(error).replace('\n', "; ")
            )
        }
    })
}

fn blocker_words(b: &Blocker) -> String {
    let id = b
        .request_id
        .as_deref()
        .map(|r| format!(", RequestId {r}"))
        .unwrap_or_default();
    format!(
        "needs permission {} ({}{id}): {}",
        b.permission, b.code, b.message
    )
}

fn request_json(r: &CloudRequest) -> String {
    serde_json::to_string(r).expect("a request serialises")
}

/// The engine's own lowercase name of a state, change or resolution (its serde name),
/// so the table says exactly what the JSON says.
fn word<T: serde::Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}
