//! Environment variables and the home directory behind a shim, so provider tests never
//! read the real environment or the real `~`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Env {
    fake: Option<Arc<FakeEnv>>,
}

#[derive(Debug)]
struct FakeEnv {
    vars: HashMap<String, String>,
    home: Option<PathBuf>,
}

impl Env {
    /// The process environment and the user's home directory.
    pub fn real() -> Self {
        Self { fake: None }
    }

    /// A fixed environment for tests.
    pub fn fake<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
        home: Option<PathBuf>,
    ) -> Self {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self {
            fake: Some(Arc::new(FakeEnv { vars, home })),
        }
    }

    /// A variable's value; empty counts as unset.
    pub fn var(&self, name: &str) -> Option<String> {
        let value = match &self.fake {
            Some(f) => f.vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    pub fn home(&self) -> Option<PathBuf> {
        match &self.fake {
            Some(f) => f.home.clone(),
            None => std::env::home_dir(),
        }
    }
}
