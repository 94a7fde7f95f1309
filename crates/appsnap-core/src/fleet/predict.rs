//! The consistency a run would give now, from the checks: any failing check that stops
//! the plugin (not running, OS, disks, agent, role, a file system it cannot freeze) →
//! `none`; else the application checks (Linux: freeze scripts; Windows: VSS writers)
//! decide between `application` and `filesystem`. An unknown blocking check never
//! makes `none` and an unknown application check never makes `application`.

use super::checks::checks;
use super::types::{Assessed, Check, CheckId, CheckStatus, Consistency, FleetInstance, Prediction};

/// Checks whose failure means the plugin makes no snapshot (or the run cannot start).
pub const BLOCKING: [CheckId; 9] = [
    CheckId::Running,
    CheckId::OsSupported,
    CheckId::DisksEssd,
    CheckId::DiskCount,
    CheckId::AgentInstalled,
    CheckId::AgentOnline,
    CheckId::RamRole,
    CheckId::RolePolicy,
    CheckId::FileSystems,
];
/// Checks that must pass for application consistency (the others give file-system).
pub const APPLICATION: [CheckId; 2] = [CheckId::FreezeScripts, CheckId::VssWriters];

/// One instance checked and predicted.
pub fn assess(instance: FleetInstance, group_disk_limit: u32) -> Assessed {
    let checks = checks(&instance, group_disk_limit);
    let prediction = predict(&checks);
    Assessed {
        instance,
        checks,
        prediction,
    }
}

pub fn predict(checks: &[Check]) -> Prediction {
    let failing: Vec<CheckId> = checks
        .iter()
        .filter(|c| BLOCKING.contains(&c.id) && c.status == CheckStatus::Fail)
        .map(|c| c.id)
        .collect();
    if !failing.is_empty() {
        return Prediction {
            consistency: Consistency::None,
            decided_by: failing,
            confirmed: true,
        };
    }
    let confirmed = checks.iter().all(|c| c.status != CheckStatus::Unknown);
    let app: Vec<&Check> = checks
        .iter()
        .filter(|c| APPLICATION.contains(&c.id))
        .collect();
    let short: Vec<CheckId> = app
        .iter()
        .filter(|c| matches!(c.status, CheckStatus::Fail | CheckStatus::Unknown))
        .map(|c| c.id)
        .collect();
    if app.is_empty() || !short.is_empty() {
        Prediction {
            consistency: Consistency::Filesystem,
            decided_by: short,
            confirmed,
        }
    } else {
        Prediction {
            consistency: Consistency::Application,
            decided_by: app.iter().map(|c| c.id).collect(),
            confirmed,
        }
    }
}
