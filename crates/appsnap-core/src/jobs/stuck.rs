//! A stuck run (no end past the freeze timeout + the snapshot allowance): stopped with
//! `StopInvocation`, then watched until the cloud reports the invocation ended, because
//! the plugin thaws only when its invocation ends (`Terminated` after a stop, §3.10,
//! §3.12). The read-only probe cannot see a freeze (it lists mounts, not their state), so
//! the finding says whether the end was seen and what to check on the guest.

use std::time::{Duration, Instant};

use acs_openapi::Client;

use super::poll::{self, is_final_invocation};
use crate::error::AppError;

/// Between two looks at a stopped invocation.
const STOP_POLL: Duration = Duration::from_millis(250);

/// Stops the invocation on the instance and describes what happened, for the finding.
pub async fn stop_and_check(
    client: &Client,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    wait: Duration,
) -> String {
    if let Err(e) = poll::stop(client, region, invoke_id, instance_id).await {
        return format!(
            "StopInvocation failed ({}); the plugin may still hold the file systems frozen until the invocation's own timeout: check the instance now",
            e.message
        );
    }
    match ended(client, region, invoke_id, instance_id, wait).await {
        Ok(Some(status)) => format!(
            "it was stopped with StopInvocation and ended {status}, which thaws what the plugin froze"
        ),
        Ok(None) => format!(
            "it was stopped with StopInvocation but had not ended after {} s, so its file systems may still be frozen: check the instance now (a write to each mount point must not hang)",
            wait.as_secs()
        ),
        Err(e) => format!(
            "it was stopped with StopInvocation, but its end could not be read ({}): check that no file system of the instance is left frozen",
            e.message
        ),
    }
}

/// The final status once the cloud reports one, `None` if `wait` passed first.
async fn ended(
    client: &Client,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
    wait: Duration,
) -> Result<Option<String>, AppError> {
    let start = Instant::now();
    loop {
        match poll::invocation_status(client, region, invoke_id, instance_id).await? {
            Some(s) if is_final_invocation(&s) => return Ok(Some(s)),
            _ if start.elapsed() >= wait => return Ok(None),
            _ => tokio::time::sleep(STOP_POLL).await,
        }
    }
}
