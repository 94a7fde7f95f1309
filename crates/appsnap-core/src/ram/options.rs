//! Checks what the user asked for before anything is sent: RAM's own name rules
//! (reference §5.1/§5.2), well-formed ids, no instance twice, no choice for an instance
//! that is not in the list.

use std::collections::BTreeSet;

use super::types::{InstanceResolution, RamOptions};
use crate::error::AppError;

impl RamOptions {
    pub fn validate(&self) -> Result<(), AppError> {
        check_name("role name", &self.role_name, 64, &['.', '-'])?;
        check_name("policy name", &self.policy_name, 128, &['-'])?;
        let mut seen = BTreeSet::new();
        for i in &self.instances {
            check_id("instance id", &i.instance_id)?;
            check_id("region id", &i.region_id)?;
            if !seen.insert(i.instance_id.as_str()) {
                return Err(AppError::invalid_input(format!(
                    "instance {} is listed twice",
                    i.instance_id
                )));
            }
        }
        if let Some(id) = self
            .resolutions
            .keys()
            .find(|id| !seen.contains(id.as_str()))
        {
            return Err(AppError::invalid_input(format!(
                "a conflict choice is given for instance {}, which is not among the chosen instances",
                shorten(id)
            )));
        }
        Ok(())
    }

    /// The choice for an instance holding another role: its own, else the default.
    pub fn resolution_for(&self, instance_id: &str) -> Option<InstanceResolution> {
        self.resolutions
            .get(instance_id)
            .copied()
            .or(self.on_conflict)
    }
}

fn check_name(what: &str, name: &str, max: usize, extra: &[char]) -> Result<(), AppError> {
    let ok = !name.is_empty()
        && name.chars().count() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c));
    if ok {
        return Ok(());
    }
    let allowed: String = extra.iter().map(|c| format!(" '{c}'")).collect();
    Err(AppError::invalid_input(format!(
        "the {what} '{}' must be 1-{max} characters: letters, digits and{allowed}",
        shorten(name)
    )))
}

/// Instance ids (`i-bp1...`) and region ids (`cn-hangzhou`): letters, digits, `-`.
pub(super) fn check_id(what: &str, id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "the {what} '{}' is not 1-64 letters, digits or '-'",
            shorten(id)
        )))
    }
}

/// Bad input is echoed, but never at any length.
fn shorten(s: &str) -> String {
    s.chars().take(80).collect()
}
