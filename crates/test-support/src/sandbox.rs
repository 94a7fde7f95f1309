//! Starting the sandbox cloud the way tests want it, and its demo accounts by power.

use sandbox_cloud::{start, DemoAccount, RunningSandbox, SandboxOptions};

/// A fresh sandbox with its clock paused (`time_scale` 0: tests step it).
pub async fn paused() -> RunningSandbox {
    start(SandboxOptions {
        time_scale: 0.0,
        ..SandboxOptions::default()
    })
    .await
    .expect("sandbox starts")
}

/// A fresh sandbox with the default options (its clock runs).
pub async fn running() -> RunningSandbox {
    start(SandboxOptions::default())
        .await
        .expect("sandbox starts")
}

/// The demo account with this power (`admin`, `operator`, `read-only`).
pub fn demo_account(power: &str) -> DemoAccount {
    sandbox_cloud::demo_accounts()
        .into_iter()
        .find(|a| a.power == power)
        .unwrap_or_else(|| panic!("no demo account with power {power}"))
}
