//! `settings.json`: read whole, validated whole, written whole and atomically.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::AppSettings;
use crate::error::AppError;
use crate::hint::{Hint, HintKey};
use crate::profiles::write_atomic;

/// The file's format version; a file with another one is refused, never rewritten.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    settings: AppSettings,
}

/// `settings.json` in one directory.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: PathBuf,
}

impl SettingsStore {
    pub const FILE_NAME: &'static str = "settings.json";

    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            path: dir.into().join(Self::FILE_NAME),
        }
    }

    /// Beside `profiles.json`, shared by the CLI and the desktop app.
    pub fn in_config_dir() -> Result<Self, AppError> {
        Ok(Self::new(crate::profiles::config_dir()?))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved settings; the defaults when there is no file. A file that cannot be read,
    /// understood or breaks a rule is an error naming it (and is left as it is).
    pub fn load(&self) -> Result<AppSettings, AppError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(AppSettings::default()),
            Err(e) => return Err(self.corrupt(format!("cannot be read ({e})"))),
        };
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| self.corrupt(format!("is not valid JSON ({e})")))?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(self.corrupt(format!(
                    "has format version {v}, but this AppSnap reads version {VERSION}"
                )))
            }
            None => return Err(self.corrupt("has no \"version\" number".into())),
        }
        let file: File = serde_json::from_value(value).map_err(|e| self.corrupt(format!("{e}")))?;
        file.settings
            .validate()
            .map_err(|e| self.corrupt(e.message))?;
        Ok(file.settings)
    }

    /// Checks `settings` and replaces the file; on any error the old file stays whole.
    pub fn save(&self, settings: &AppSettings) -> Result<(), AppError> {
        self.save_with(settings, |_| Ok(()))
    }

    /// `before_rename` runs once the temporary file is complete; tests fail there.
    pub(super) fn save_with(
        &self,
        settings: &AppSettings,
        before_rename: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<(), AppError> {
        settings.validate()?;
        let mut text = serde_json::to_string_pretty(&File {
            version: VERSION,
            settings: settings.clone(),
        })
        .expect("settings serialise");
        text.push('\n');
        write_atomic(&self.path, text.as_bytes(), before_rename).map_err(|e| {
            AppError::internal(format!(
                "cannot save the settings in {}: {e}",
                self.path.display()
            ))
        })
    }

    fn corrupt(&self, why: String) -> AppError {
        AppError::internal(format!(
            "{} {why}; the file was left as it is",
            self.path.display()
        ))
        .with_hint(Hint::new(HintKey::FixSettingsFile))
    }
}
