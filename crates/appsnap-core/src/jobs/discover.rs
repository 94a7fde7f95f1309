//! Finding the app-consistent trigger per region at run time: the public command's name
//! and parameters are not published (alibaba-api.md §4.2), so `DescribeCommands
//! (Provider=AlibabaCloud, Name=<pattern>)` is asked and its `ParameterDefinitions` read
//! (§4.4 step 1). No match → the experimental plugin route (§4.5).

use acs_openapi::actions::cloud_assistant::{Command, DescribeCommandsRequest};
use acs_openapi::Client;
use futures::TryStreamExt;

use super::types::{ParameterSpec, Trigger};
use crate::error::AppError;

/// The default name pattern (fuzzy for public commands, §3.9).
pub const DEFAULT_PATTERN: &str = "Consistent";

/// `RunShellScript` for Linux, `RunPowerShellScript` for Windows.
pub fn command_type(os_type: &str) -> &'static str {
    match os_type.eq_ignore_ascii_case("windows") {
        true => "RunPowerShellScript",
        false => "RunShellScript",
    }
}

/// The trigger for one region and OS type.
pub async fn discover(
    client: &Client,
    region: &str,
    os_type: &str,
    pattern: &str,
) -> Result<Trigger, AppError> {
    let req = DescribeCommandsRequest {
        provider: Some("AlibabaCloud".into()),
        name: Some(pattern.to_owned()),
        latest: Some(true),
        content_encoding: Some("PlainText".into()),
        max_results: Some(50),
        ..DescribeCommandsRequest::default()
    };
    let found: Vec<Command> = client
        .describe_commands_stream(region, req)
        .try_collect()
        .await?;
    Ok(choose(found, os_type, pattern))
}

/// The best match among the listed commands: the pattern in its name (the server's fuzzy
/// match is checked again), the OS's script type, a name naming the OS preferred.
pub fn choose(found: Vec<Command>, os_type: &str, pattern: &str) -> Trigger {
    let kind = command_type(os_type);
    let pat = pattern.trim_matches('*').to_ascii_lowercase();
    let os_word = match kind {
        "RunPowerShellScript" => "windows",
        _ => "linux",
    };
    let mut candidates: Vec<Command> = found
        .into_iter()
        .filter(|c| c.command_type == kind && c.name.to_ascii_lowercase().contains(&pat))
        .collect();
    candidates.sort_by_key(|c| {
        (
            !c.name.to_ascii_lowercase().contains(os_word),
            std::cmp::Reverse(c.version),
        )
    });
    match candidates.into_iter().next() {
        Some(c) => Trigger::PublicCommand {
            command_id: c.command_id,
            name: c.name,
            command_type: c.command_type,
            parameters: c
                .parameter_definitions
                .parameter_definition
                .into_iter()
                .map(|p| ParameterSpec {
                    name: p.parameter_name,
                    default_value: p.default_value,
                    required: p.required,
                    possible_values: p.possible_values.possible_value,
                    pattern_regex: p.pattern_regex,
                })
                .collect(),
        },
        None => Trigger::Plugin {
            command_type: kind.to_owned(),
        },
    }
}

/// The plugin call (§4.5) as a script of the instance's type; values were checked to hold
/// no single quote, so one single-quoted word carries them literally.
pub fn plugin_script(
    command_type: &str,
    args: &std::collections::BTreeMap<String, String>,
) -> String {
    let params = args
        .iter()
        .map(|(k, v)| format!("-{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ");
    match command_type {
        "RunPowerShellScript" => format!(
            "& \"C:\\ProgramData\\aliyun\\assist\\plugin\\acs-plugin-manager.exe\" --exec --plugin app-snapshot-plugin --params '{params}'\n"
        ),
        _ => format!(
            "#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params '{params}'\n"
        ),
    }
}
