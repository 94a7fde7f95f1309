//! Cloud Assistant commands (own and public): their parameters, placeholders and content
//! encodings (reference §3.6–3.9).

use base64::Engine as _;
use serde_json::{json, Value};

use crate::clock::{iso, SimTime};
use crate::errors::{ApiError, ApiResult};
use crate::world::model::tags::Tags;

#[derive(Debug, Clone)]
pub struct ParamDef {
    pub name: String,
    pub description: String,
    pub default: String,
    pub required: bool,
    pub possible_values: Vec<String>,
    pub pattern: String,
}

impl ParamDef {
    fn to_json(&self) -> Value {
        json!({
            "ParameterName": self.name,
            "Description": self.description,
            "DefaultValue": self.default,
            "Required": self.required,
            "PatternRegex": self.pattern,
            "PossibleValues": { "PossibleValue": self.possible_values },
        })
    }
}

#[derive(Debug, Clone)]
pub struct Command {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    /// Plain text.
    pub content: String,
    pub working_dir: String,
    pub timeout: u64,
    pub enable_parameter: bool,
    pub parameter_definitions: Vec<ParamDef>,
    pub provider: Option<String>,
    pub category: String,
    pub version: u32,
    pub creation_time: SimTime,
    pub invoke_times: u64,
    pub launcher: String,
    pub tags: Tags,
}

impl Command {
    /// `{{name}}` placeholders, excluding built-in `ACS::` ones, in order of appearance.
    pub fn parameter_names(&self) -> Vec<String> {
        placeholders(&self.content)
            .into_iter()
            .filter(|p| !p.starts_with("ACS::"))
            .collect()
    }

    pub fn to_json(&self, encoding_plain: bool) -> Value {
        json!({
            "CommandId": self.id,
            "Name": self.name,
            "Description": self.description,
            "Type": self.kind,
            "CommandContent": encode_content(self.content.as_bytes(), encoding_plain),
            "WorkingDir": self.working_dir,
            "Timeout": self.timeout,
            "EnableParameter": self.enable_parameter,
            "ParameterNames": { "ParameterName": self.parameter_names() },
            "ParameterDefinitions": { "ParameterDefinition": self.parameter_definitions.iter().map(ParamDef::to_json).collect::<Vec<_>>() },
            "Provider": self.provider.clone().unwrap_or_default(),
            "Category": self.category,
            "Version": self.version,
            "Latest": true,
            "InvokeTimes": self.invoke_times,
            "CreationTime": iso(self.creation_time),
            "Launcher": self.launcher,
            "ResourceGroupId": "",
            "Tags": self.tags.to_json(),
        })
    }
}

pub fn encode_content(bytes: &[u8], plain: bool) -> String {
    if plain {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

/// Placeholder names in `{{…}}`, deduplicated case-insensitively.
pub fn placeholders(content: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_string();
        if !name.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
        rest = &after[end + 2..];
    }
    out
}

/// Replace `{{name}}` with values (case-insensitive names).
pub fn render(content: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match values.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A request-time content check: `ApiResult` so callers can use `?`.
pub fn decode_content(content: &str, encoding: Option<&str>) -> ApiResult<String> {
    if encoding.is_some_and(|e| e.eq_ignore_ascii_case("Base64")) {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .map_err(|_| ApiError::invalid("CommandContent", "it is not valid Base64"))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    } else {
        Ok(content.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_render_case_insensitively() {
        let c = "echo {{Name}} {{ACS::InstanceId}} {{name}} {{missing}}";
        assert_eq!(placeholders(c), vec!["Name", "ACS::InstanceId", "missing"]);
        let out = render(
            c,
            &[
                ("name".into(), "x".into()),
                ("ACS::InstanceId".into(), "i-1".into()),
            ],
        );
        assert_eq!(out, "echo x i-1 x {{missing}}");
    }
}
