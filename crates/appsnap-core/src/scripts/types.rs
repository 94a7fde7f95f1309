//! The script library's data: templates, parameters, problems. No behaviour beyond
//! naming, so every other file of the module can import it without a circle.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::listed::listed_enum;

/// One template of the library as the Scripts screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptTemplate {
    /// `generic`, `mysql`, `postgresql`, `redis` or `mongodb`: what the CLI takes.
    pub name: String,
    pub title: String,
    pub description: String,
    /// What the freeze script holds on the server until the thaw script runs.
    pub holds: String,
    /// How long it holds it at most, and what bounds that.
    pub holds_for: String,
    /// Where it was proven to work, or that it was not.
    pub proof: String,
    pub params: Vec<TemplateParam>,
}

/// A template parameter, filled into both scripts of the pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TemplateParam {
    pub name: String,
    pub description: String,
    /// Used when the caller gives no value; may be empty where the rule allows it.
    pub default: String,
    pub rule: ParamRule,
}

/// What a parameter value must look like. Values end up inside single quotes and some are
/// split into words, so none may hold quotes, spaces or shell syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ParamRule {
    /// An absolute path of letters, digits and `._-/`, no `..`; empty only when optional.
    AbsolutePath { optional: bool },
    /// A user, database, host or program name: letters, digits and `._-`.
    Name { optional: bool },
    /// Whole seconds within the bounds.
    Seconds { min: u32, max: u32 },
    /// A TCP port, 1–65535.
    Port,
    /// `on` or `off`.
    Flag,
    /// A `mongodb://` or `mongodb+srv://` address without credentials (those go in a file).
    ConnectionUri,
}

/// A template rendered with its parameters: exactly what would be pushed. The CLI's
/// `scripts show --output json` is `{name, freeze, thaw, params}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RenderedScripts {
    pub name: String,
    pub freeze: String,
    pub thaw: String,
    /// Every parameter with the value used (given or default).
    pub params: BTreeMap<String, String>,
    /// Warnings only: a rendering with an error is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ScriptProblem>>", optional)]
    pub warnings: Vec<ScriptProblem>,
}

/// The result of checking one script before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptValidation {
    /// True when no problem is an error: `content` may be sent.
    pub sendable: bool,
    /// The text as it would be sent, after the fixes the warnings name (CRLF → LF, BOM
    /// removed); absent when the bytes are not text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<String>,
    pub problems: Vec<ScriptProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptProblem {
    pub code: ScriptProblemCode,
    pub severity: Severity,
    /// What is wrong and what to do, in English.
    pub message: String,
    /// The 1-based line it was found on, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub line: Option<u32>,
    /// The parameter it is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub param: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Severity {
    /// The script is refused; nothing is sent.
    Error,
    /// The script is sent as `content` shows, changed as the message says.
    Warning,
}

listed_enum! {
    /// Why a script or a parameter was refused or changed: stable, so the UI can branch.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum ScriptProblemCode {
        /// No bytes at all.
        Empty,
        /// Over SendFile's content limit.
        TooLarge,
        /// Not valid UTF-8.
        NotUtf8,
        /// A NUL byte: a binary file, or a text saved as UTF-16.
        NulByte,
        /// The first line is not `#!/path/to/interpreter`.
        NoShebang,
        /// A UTF-8 byte order mark before the shebang; removed.
        ByteOrderMark,
        /// Windows line endings; converted to LF.
        CrlfConverted,
        /// A `{{name}}` placeholder left in the text.
        UnfilledPlaceholder,
        /// The template has no such name.
        UnknownTemplate,
        /// The template has no parameter of that name.
        UnknownParameter,
        /// A parameter value breaks its rule.
        InvalidParameter,
        /// The watchdog could release the lock while the snapshot is still being taken.
        WatchdogTooShort,
    }
}

listed_enum! {
    /// Which script of the pair: the freeze script (the plugin's prescript) or the thaw
    /// script (its postscript).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum ScriptRole {
        Freeze,
        Thaw,
    }
}

/// Progress of a push, a read-back, a drift check or a test run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ScriptsEvent {
    /// One SendFile call left for these instances of a region.
    #[serde(rename_all = "camelCase")]
    FileSent {
        region_id: String,
        role: ScriptRole,
        invoke_id: String,
        instances: u32,
    },
    /// SendFile's final per-instance status (`Success`, `Failed`, `Aborted`, …).
    #[serde(rename_all = "camelCase")]
    FileDone {
        instance_id: String,
        role: ScriptRole,
        status: String,
    },
    /// The read-back of an instance's scripts matched what was sent, or not.
    #[serde(rename_all = "camelCase")]
    Verified { instance_id: String, verified: bool },
    /// The read-only probe or the test run went to the instances of a region.
    #[serde(rename_all = "camelCase")]
    GuestScriptSent { region_id: String, instances: u32 },
}
