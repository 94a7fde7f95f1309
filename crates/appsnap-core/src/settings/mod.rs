//! The user's settings: the desktop's language and theme, and the snapshot jobs' defaults
//! (invocations in flight per region, polling, the public command's name pattern). One
//! `settings.json` in the profiles' config dir, so the CLI reads the same defaults (its
//! flags win). Validated whole, written atomically like `profiles.json`; a file that
//! cannot be read or understood is refused and left as it is.

mod store;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::jobs::{JobTuning, CONCURRENCY, DEFAULT_PATTERN};

pub use store::SettingsStore;

/// The interface language: the OS's, or a chosen one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LanguageSetting {
    #[default]
    #[serde(rename = "system")]
    System,
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en-US")]
    EnUs,
}

/// Light or dark: the OS's, or a chosen one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ThemeSetting {
    #[default]
    System,
    Light,
    Dark,
}

/// First poll after a change, in milliseconds: fast enough to show progress, not so
/// fast that a large job throttles itself.
pub const FIRST_POLL_MS: (u32, u32) = (200, 10_000);
/// The longest wait between polls while nothing moves, in seconds.
pub const MAX_POLL_SECS: (u32, u32) = (1, 60);
/// The command name pattern: `DescribeCommands`' `Name` filter (fuzzy, §3.9).
pub const PATTERN_LEN: (usize, usize) = (1, 128);

/// What Settings holds. Missing fields (an older file) take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct AppSettings {
    pub language: LanguageSetting,
    pub theme: ThemeSetting,
    /// Invocations in flight per region (`CONCURRENCY`).
    pub concurrency: u32,
    /// First poll interval after an invocation or a change, in milliseconds.
    pub first_poll_ms: u32,
    /// The longest interval between polls, in seconds.
    pub max_poll_secs: u32,
    /// The public command looked for by name in each region (e.g. `Consistent`).
    pub command_pattern: String,
}

impl Default for AppSettings {
    fn default() -> Self {
        let tuning = JobTuning::default();
        Self {
            language: LanguageSetting::System,
            theme: ThemeSetting::System,
            concurrency: 10,
            first_poll_ms: tuning.first_poll.as_millis() as u32,
            max_poll_secs: tuning.max_poll.as_secs() as u32,
            command_pattern: DEFAULT_PATTERN.to_owned(),
        }
    }
}

impl AppSettings {
    /// Every broken rule at once (`InvalidInput`), so the user fixes them in one go.
    pub fn validate(&self) -> Result<(), AppError> {
        let mut errors = Vec::new();
        let mut range = |what: &str, v: u32, (lo, hi): (u32, u32)| {
            if v < lo || v > hi {
                errors.push(format!("{what} is {v}; it must be {lo}-{hi}"));
            }
        };
        range("concurrency per region", self.concurrency, CONCURRENCY);
        range(
            "the first poll interval (ms)",
            self.first_poll_ms,
            FIRST_POLL_MS,
        );
        range(
            "the longest poll interval (s)",
            self.max_poll_secs,
            MAX_POLL_SECS,
        );
        if u64::from(self.first_poll_ms) > u64::from(self.max_poll_secs) * 1000 {
            errors.push(format!(
                "the first poll interval ({} ms) is longer than the longest one ({} s)",
                self.first_poll_ms, self.max_poll_secs
            ));
        }
        let pattern = self.command_pattern.trim();
        let n = pattern.chars().count();
        if n < PATTERN_LEN.0 || n > PATTERN_LEN.1 {
            errors.push(format!(
                "the command name pattern has {n} characters; it must have {}-{}",
                PATTERN_LEN.0, PATTERN_LEN.1
            ));
        }
        if pattern.chars().any(char::is_control) {
            errors.push("the command name pattern must not contain control characters".into());
        }
        if pattern != self.command_pattern {
            errors.push("the command name pattern must not start or end with spaces".into());
        }
        match errors.is_empty() {
            true => Ok(()),
            false => Err(AppError::invalid_input(errors.join("; "))),
        }
    }

    /// The jobs engine's waits with this polling; the other bounds stay the engine's.
    pub fn tuning(&self) -> JobTuning {
        JobTuning {
            first_poll: Duration::from_millis(self.first_poll_ms.into()),
            max_poll: Duration::from_secs(self.max_poll_secs.into()),
            ..JobTuning::default()
        }
    }
}

#[cfg(test)]
mod tests;
