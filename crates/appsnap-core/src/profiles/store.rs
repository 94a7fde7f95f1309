//! `profiles.json`: read whole, validated whole, written whole and atomically.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Profile, ProfileError};

/// The file's format version; a file with another one is refused, never rewritten.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    profiles: Vec<Profile>,
}

/// `profiles.json` in one directory.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    path: PathBuf,
}

impl ProfileStore {
    pub const FILE_NAME: &'static str = "profiles.json";

    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            path: dir.into().join(Self::FILE_NAME),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every profile, sorted by name; none when the file does not exist. A file that
    /// cannot be read or understood is an error naming it.
    pub fn load(&self) -> Result<Vec<Profile>, ProfileError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(ProfileError::Io {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        self.parse(&text)
    }

    fn parse(&self, text: &str) -> Result<Vec<Profile>, ProfileError> {
        let corrupt = |message: String| ProfileError::Corrupt {
            path: self.path.clone(),
            message,
        };
        // The version first, so a newer format is named as such instead of as garbage.
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| corrupt(format!("not valid JSON ({e}); the file was left as it is")))?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(corrupt(format!(
                    "format version {v}, but this AppSnap reads version {VERSION}; \
                     the file was left as it is"
                )))
            }
            None => return Err(corrupt("no \"version\" number".into())),
        }
        let file: File = serde_json::from_value(value)
            .map_err(|e| corrupt(format!("{e}; the file was left as it is")))?;
        let mut profiles = file.profiles;
        for p in &profiles {
            p.validate().map_err(|e| corrupt(e.to_string()))?;
        }
        profiles.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(w) = profiles.windows(2).find(|w| w[0].name == w[1].name) {
            return Err(corrupt(format!("profile '{}' appears twice", w[0].name)));
        }
        Ok(profiles)
    }

    pub fn get(&self, name: &str) -> Result<Option<Profile>, ProfileError> {
        Ok(self.load()?.into_iter().find(|p| p.name == name))
    }

    /// Adds a profile; `Exists` when the name is taken.
    pub fn insert(&self, profile: Profile) -> Result<(), ProfileError> {
        profile.validate()?;
        let mut profiles = self.load()?;
        if profiles.iter().any(|p| p.name == profile.name) {
            return Err(ProfileError::Exists(profile.name));
        }
        profiles.push(profile);
        self.save(profiles)
    }

    /// Replaces the settings of the profile with the same name; the old ones, or
    /// `NotFound` when there is no such profile.
    pub fn replace(&self, profile: Profile) -> Result<Profile, ProfileError> {
        profile.validate()?;
        let mut profiles = self.load()?;
        let Some(slot) = profiles.iter_mut().find(|p| p.name == profile.name) else {
            return Err(ProfileError::NotFound(profile.name));
        };
        let old = std::mem::replace(slot, profile);
        self.save(profiles)?;
        Ok(old)
    }

    /// Removes a profile's settings; what was removed, if anything.
    pub fn remove(&self, name: &str) -> Result<Option<Profile>, ProfileError> {
        let mut profiles = self.load()?;
        let Some(i) = profiles.iter().position(|p| p.name == name) else {
            return Ok(None);
        };
        let removed = profiles.remove(i);
        self.save(profiles)?;
        Ok(Some(removed))
    }

    fn save(&self, profiles: Vec<Profile>) -> Result<(), ProfileError> {
        self.save_with(profiles, |_| Ok(()))
    }

    /// `before_rename` runs once the temporary file is complete, just before it replaces
    /// `profiles.json`; tests use it to fail at that point.
    fn save_with(
        &self,
        mut profiles: Vec<Profile>,
        before_rename: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<(), ProfileError> {
        profiles.sort_by(|a, b| a.name.cmp(&b.name));
        let mut text = serde_json::to_string_pretty(&File {
            version: VERSION,
            profiles,
        })
        .expect("profiles serialise");
        text.push('\n');
        write_atomic(&self.path, text.as_bytes(), before_rename).map_err(|source| {
            ProfileError::Io {
                path: self.path.clone(),
                source,
            }
        })
    }
}

/// Writes a temporary file beside `path`, flushes it to disk, then renames it over
/// `path`: readers see the old file or the new one, never a part. On any failure the
/// temporary file is removed (tempfile deletes it on drop) and `path` is untouched.
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the file has no directory"))?;
    fs::create_dir_all(dir)?;
    let prefix = format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    before_rename(tmp.path())?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself survives a crash only once the directory is flushed.
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, ProfileStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path().join("appsnap"));
        (dir, store)
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failure_before_the_rename_leaves_the_old_file_whole_and_no_temp_file() {
        let (_dir, store) = store();
        store.insert(Profile::new("first")).unwrap();
        let before = fs::read(store.path()).unwrap();
        let mut seen_tmp = None;
        let err = store
            .save_with(vec![Profile::new("first"), Profile::new("second")], |tmp| {
                // The new content is complete in the temporary file at this point.
                let text = fs::read_to_string(tmp).unwrap();
                assert!(text.contains("\"second\""), "{text}");
                seen_tmp = Some(tmp.to_path_buf());
                Err(io::Error::other("simulated crash"))
            })
            .unwrap_err();
        assert!(err.to_string().contains("simulated crash"), "{err}");
        assert_eq!(fs::read(store.path()).unwrap(), before);
        assert!(!seen_tmp.unwrap().exists(), "temporary file left behind");
        assert_eq!(
            files_in(store.path().parent().unwrap()),
            vec!["profiles.json"]
        );
    }

    #[test]
    fn readers_never_see_a_partial_file() {
        let (_dir, store) = store();
        // Big enough that a plain truncate-and-write would be observed half done.
        let many = |tag: &str| -> Vec<Profile> {
            (0..400)
                .map(|i| Profile {
                    region: Some(format!("cn-{tag}-{i}")),
                    ..Profile::new(format!("profile-{i:04}"))
                })
                .collect()
        };
        store.save(many("a")).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (store, stop) = (store.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let loaded = store
                        .load()
                        .unwrap_or_else(|e| panic!("read #{reads}: {e}"));
                    assert_eq!(loaded.len(), 400);
                    reads += 1;
                }
                reads
            })
        };
        for round in 0..60 {
            store
                .save(many(if round % 2 == 0 { "b" } else { "a" }))
                .unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(reader.join().unwrap() > 0);
        assert_eq!(
            files_in(store.path().parent().unwrap()),
            vec!["profiles.json"]
        );
    }

    #[test]
    fn writing_creates_the_directory() {
        let (_dir, store) = store();
        assert!(!store.path().parent().unwrap().exists());
        store.insert(Profile::new("x")).unwrap();
        assert!(store.path().is_file());
    }
}
