//! The exit statuses of `ram plan|apply`, named once: the code, the rule that picks it
//! from a plan, and the --help text all come from here.

use std::process::ExitCode;

use appsnap_core::ram::{RamPlan, StepState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RamExit {
    /// Every step is done.
    Done,
    /// Any other error.
    Error,
    /// Refused input; also `apply` without --yes and without a terminal.
    Usage,
    /// A step is in conflict or blocked: a choice or a permission is needed.
    NeedsAttention,
    /// `plan` only: no conflict, nothing blocked, but steps remain to do.
    SetupNeeded,
}

impl RamExit {
    const ALL: [RamExit; 5] = [
        Self::Done,
        Self::Error,
        Self::Usage,
        Self::NeedsAttention,
        Self::SetupNeeded,
    ];

    pub fn code(self) -> u8 {
        match self {
            Self::Done => 0,
            Self::Error => 1,
            Self::Usage => 2,
            Self::NeedsAttention => 3,
            Self::SetupNeeded => 4,
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Self::Done => "every step is done (plan), or became done (apply)",
            Self::Error => "an error (printed on stderr, with the cloud's RequestId)",
            Self::Usage => {
                "a usage error, or apply refused: no --yes and no terminal (nothing sent)"
            }
            Self::NeedsAttention => {
                "a step is conflict or blocked (a skipped instance stays a conflict)"
            }
            Self::SetupNeeded => "plan only: nothing conflicts or is blocked, steps are todo",
        }
    }

    fn applies_to_apply(self) -> bool {
        self != Self::SetupNeeded
    }

    /// `plan`'s status: conflict/blocked first, then todo, else done.
    pub fn of_plan(plan: &RamPlan) -> Self {
        if needs_attention(plan) {
            Self::NeedsAttention
        } else if plan.steps.iter().any(|s| s.state != StepState::Done) {
            Self::SetupNeeded
        } else {
            Self::Done
        }
    }

    /// `apply`'s status from the plan afterwards. A todo left without a conflict, a
    /// block or a failure is not "done": it is reported as an error.
    pub fn of_apply(plan: &RamPlan) -> Self {
        match Self::of_plan(plan) {
            Self::SetupNeeded => {
                eprintln!("appsnap: error: steps remain todo after apply; run it again");
                Self::Error
            }
            other => other,
        }
    }
}

fn needs_attention(plan: &RamPlan) -> bool {
    plan.steps
        .iter()
        .any(|s| matches!(s.state, StepState::Conflict | StepState::Blocked))
}

/// The "Exit status" section of `ram plan --help` (`for_plan`) or `ram apply --help`.
pub fn exit_status_help(for_plan: bool) -> String {
    let lines: Vec<String> = RamExit::ALL
        .iter()
        .filter(|e| for_plan || e.applies_to_apply())
        .map(|e| format!("  {}  {}", e.code(), e.meaning()))
        .collect();
    format!("Exit status:\n{}", lines.join("\n"))
}

impl From<RamExit> for ExitCode {
    fn from(e: RamExit) -> Self {
        ExitCode::from(e.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_listed_in_help() {
        let mut codes: Vec<u8> = RamExit::ALL.iter().map(|e| e.code()).collect();
        codes.sort();
        assert_eq!(codes, [0, 1, 2, 3, 4]);
        let plan = exit_status_help(true);
        assert!(plan.contains("  4  plan only"), "{plan}");
        let apply = exit_status_help(false);
        assert!(!apply.contains("  4  "), "{apply}");
        assert!(
            apply.contains("  3  a step is conflict or blocked"),
            "{apply}"
        );
    }
}
