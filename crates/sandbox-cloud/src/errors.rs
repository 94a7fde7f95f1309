//! Alibaba Cloud's error shape: `RequestId`, `HostId`, `Code`, `Message`, `Recommend`, with
//! the HTTP status the real gateway uses for that code (reference §1.3, §2.3, §2.5, §5.3).
//!
//! The one catalogue of the sandbox's API errors: every code the sandbox answers has a named
//! constructor here (most in the `catalogue!` table, the few whose code is built from a
//! parameter name below it). Handlers never spell a code themselves.

/// An API error as the gateway answers it. `status` is the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `name(args) => status "Code" "Message with {args}";` becomes `ApiError::name(args)`, and
/// every row is listed in [`CATALOGUE`] as `(name, status, code)`.
macro_rules! catalogue {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) => $status:literal $code:literal $msg:literal;)*) => {
        impl ApiError {
            $(
                $(#[$doc])*
                pub fn $name($($arg: $ty),*) -> Self {
                    Self::new($status, $code, format!($msg))
                }
            )*
        }

        /// Every catalogued constructor: `(name, HTTP status, Code)`.
        pub const CATALOGUE: &[(&str, u16, &str)] = &[$((stringify!($name), $status, $code)),*];
    };
}

catalogue! {
    // ---- gateway, routing and parameters
    invalid_version(version: &str) => 400 "InvalidVersion" "Specified parameter Version is not valid. ({version})";
    /// An action the sandbox does not implement.
    unsupported(product: &str, action: &str, version: &str) => 400 "UnsupportedOperation"
        "The sandbox cloud does not implement {product} action {action} (version {version}); see crates/sandbox-cloud/README.md for the implemented actions.";
    unsupported_repeat_mode(mode: &str) => 400 "UnsupportedOperation" "The sandbox cloud only runs RepeatMode=Once, not {mode}.";
    invalid_plain(message: impl std::fmt::Display) => 400 "InvalidParameter" "{message}";
    invalid_next_token() => 400 "InvalidParameter.NextToken" "The specified NextToken is not valid.";
    invalid_marker() => 400 "InvalidParameter.Marker" "The specified Marker is not valid.";
    idempotent_mismatch() => 400 "IdempotentParameterMismatch" "The request uses the same client token as a previous, but non-identical request.";
    dry_run_passed() => 400 "DryRunOperation" "Request validation has been passed with DryRun flag set.";
    throttled() => 400 "Throttling.User" "Request was denied due to user flow control.";
    internal() => 500 "InternalError" "The request processing has failed due to some unknown error, exception or failure.";
    unavailable() => 503 "ServiceUnavailable" "The request has failed due to a temporary failure of the server.";
    account_not_found() => 403 "InvalidAccount.NotFound" "The specified account does not exist.";
    region_not_found(region_id: &str) => 404 "InvalidRegionId.NotFound" "The specified RegionId does not exist. ({region_id})";

    // ---- signatures and keys
    incomplete_signature() => 400 "IncompleteSignature" "The request signature does not conform to Alibaba Cloud standards.";
    access_key_not_found() => 404 "InvalidAccessKeyId.NotFound" "Specified access key is not found.";
    missing_security_token() => 400 "MissingSecurityToken" "SecurityToken is mandatory for this AccessKey.";
    security_token_mismatch() => 400 "InvalidSecurityToken.MismatchWithAccessKey" "Specified SecurityToken mismatch with the AccessKey.";
    security_token_expired() => 400 "InvalidSecurityToken.Expired" "Specified SecurityToken is expired.";
    signature_method_unsupported() => 400 "InvalidSignatureMethod" "Specified signature method is not supported; use HMAC-SHA1.";
    signature_version_unsupported() => 400 "InvalidSignatureVersion" "Specified signature version is not supported; use 1.0.";
    timestamp_malformed() => 400 "InvalidTimeStamp.Format" "Specified time stamp or date value is not well formatted.";
    timestamp_expired() => 400 "InvalidTimeStamp.Expired" "Specified time stamp or date value is expired.";
    nonce_used() => 400 "SignatureNonceUsed" "Specified signature nonce was used already.";
    signature_mismatch(string_to_sign: &str) => 400 "SignatureDoesNotMatch"
        "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}";

    // ---- permissions
    /// ECS answer when the caller's RAM policy does not allow the action.
    forbidden_ram() => 403 "Forbidden.RAM" "User not authorized to operate on the specified resource, or this API doesn't support RAM.";
    /// RAM/STS answer when the caller may not do the action.
    no_permission() => 403 "NoPermission" "You are not authorized to do this action. You should be authorized by RAM.";
    pass_role_forbidden() => 403 "InvalidUser.PassRoleForbidden" "The RAM user does not have the privilege to pass a RAM role.";

    // ---- ECS instances and their RAM roles
    instance_not_found(id: &str) => 404 "InvalidInstanceId.NotFound" "The specified InstanceId does not exist. ({id})";
    /// Cloud Assistant's spelling of a missing instance (reference §3.4, §3.6).
    assistant_instance_not_found(id: &str) => 404 "InvalidInstance.NotFound" "The specified instance does not exist ({id}).";
    /// The RAM-role APIs' own wording (reference §2.5).
    role_api_instance_not_found(id: &str) => 404 "InvalidInstanceId.NotFound" "The specified instanceId does not exist ({id})";
    instance_ids_and_role_empty() => 403 "InvalidParameter.AllEmpty" "InstanceIds and RamRoleName cannot both be empty.";
    instance_role_not_found() => 404 "InvalidRamRole.NotFound" "The specified RAMRoleName does not exist.";
    instance_role_not_ecs() => 404 "InvalidRamRole.NotEcsRole" "The specified ram role is not authorized for ecs, please check your role policy.";

    // ---- disks, snapshots, snapshot-consistent groups, tags
    disk_not_found(id: &str) => 404 "InvalidDiskId.NotFound" "The specified disk does not exist. ({id})";
    snapshot_not_found(id: &str) => 404 "InvalidSnapshotId.NotFound" "The specified SnapshotId does not exist. ({id})";
    snapshot_group_not_found(id: &str) => 404 "InvalidSnapshotGroupId.NotFound" "The specified snapshot group does not exist ({id}).";
    group_name_invalid() => 400 "InvalidParameter.Name" "The specified Name is not valid: 2-128 characters, starting with a letter; letters, digits, '.', '_', '-' and ':'.";
    /// Sandbox-chosen: the real code is not documented in our sources.
    group_disk_count(limit: usize, given: usize) => 403 "InvalidParameter.DiskCount" "A snapshot-consistent group holds at most {limit} disks; {given} were given.";
    disk_category_unsupported(category: &str, id: &str) => 400 "DiskCategory.OperationNotSupported"
        "The disk category {category} of {id} does not support snapshot-consistent groups; only ESSD, ESSD AutoPL and ESSD Entry do.";
    group_description_malformed() => 400 "InvalidDescription.Malformed" "The description must be 2-256 characters.";
    group_status_unsupported(status: &str) => 403 "InvalidStatus.ValueNotSupported" "The status {status} is not supported.";
    snapshot_disk_mismatch() => 403 "InvalidParameter.Mismatch" "The specified snapshot was not created from the specified disk.";
    snapshot_not_ready() => 403 "InvalidSnapshotId.NotReady" "The specified snapshot is not ready.";
    incorrect_disk_status() => 403 "IncorrectDiskStatus" "The current disk status does not support this operation.";
    tag_quota_exceeded() => 403 "QuotaExceed.Tags" "At most 20 tags can be set.";
    tag_key_malformed(key: &str) => 400 "InvalidTagKey.Malformed" "The tag key '{key}' is invalid.";
    tag_value_malformed(key: &str) => 400 "InvalidTagValue.Malformed" "The tag value of '{key}' is invalid.";
    tag_key_duplicate(key: &str) => 400 "Duplicate.TagKey" "The tag key '{key}' is duplicated.";
    tag_value_without_key() => 400 "InvalidParameter.TagValue" "A tag value was given without its key.";
    resource_not_found(id: &str) => 404 "InvalidResourceId.NotFound" "The specified resource does not exist ({id}).";

    // ---- Cloud Assistant
    instance_ids_exceed(max: usize) => 403 "InstanceIds.ExceedLimit" "The number of instances exceeds the limit of {max}.";
    command_type_not_found(kind: &str) => 403 "InvalidCmdType.NotFound" "The specified command type {kind} does not exist.";
    command_name_too_long() => 403 "CmdName.ExceedLimit" "The command name exceeds 128 characters.";
    command_description_too_long() => 403 "CmdDesc.ExceedLimit" "The command description exceeds 512 characters.";
    command_content_too_long(limit_kb: usize) => 403 "CmdContent.ExceedLimit" "The Base64-encoded command content exceeds {limit_kb} KB.";
    command_not_found() => 404 "InvalidCmdId.NotFound" "The specified command ID does not exist.";
    /// StopInvocation's code for an unknown InvokeId: from the public API page
    /// (help.aliyun.com document 64838), not in the reference.
    invoke_not_found(id: &str) => 404 "InvalidInvokeId.NotFound" "The specified InvokeId does not exist ({id}).";
    parameters_disabled() => 404 "Parameter.Disabled" "The command does not enable custom parameters.";
    parameter_count_exceeded() => 403 "ParameterCount.ExceedLimit" "At most 10 parameters can be passed.";
    parameter_key_too_long() => 403 "ParameterKey.ExceedLimit" "A parameter name exceeds 64 characters.";
    parameters_not_matched(why: &str) => 403 "Parameter.NotMatched" "The parameters do not match the command: {why}";
    instance_os_mismatch(id: &str, os: &str) => 403 "InvalidInstance.NotMatch" "The specified instance type does not match the command ({id} is {os}).";
    file_name_too_long() => 403 "FileName.ExceedLimit" "The file name exceeds 255 characters.";
    file_target_dir_invalid() => 403 "FileTargetDir.Invalid" "The target directory is invalid or exceeds 255 characters.";
    file_description_too_long() => 403 "FileDesc.ExceedLimit" "The file description exceeds 512 characters.";
    file_content_undecodable() => 403 "FileContent.DecodeError" "The file content could not be Base64-decoded.";
    file_content_type_invalid(content_type: &str) => 403 "FileContentType.Invalid" "The content type {content_type} is invalid.";
    file_too_large() => 403 "FileSize.ExceedLimit" "The file content exceeds 32 KB after Base64 encoding.";
    file_mode_invalid(mode: &str) => 403 "FileMode.Invalid" "The file mode {mode} is invalid: use 3 or 4 octal digits.";

    // ---- RAM
    role_not_found(name: &str) => 404 "EntityNotExist.Role" "The role not exists: {name}.";
    role_exists() => 409 "EntityAlreadyExists.Role" "The role does already EXIST.";
    role_name_length() => 400 "InvalidParameter.RoleName.Length" "The role name must be 1-64 characters.";
    role_name_chars() => 400 "InvalidParameter.RoleName.InvalidChars" "The role name may contain letters, digits, '.' and '-'.";
    role_description_length() => 400 "InvalidParameter.Description.Length" "The description must be at most 1024 characters.";
    max_session_duration_invalid() => 400 "InvalidParameter.MaxSessionDuration" "MaxSessionDuration must be 3600-43200 seconds.";
    policy_type_invalid() => 400 "InvalidParameter.PolicyType" "The parameter PolicyType must be System or Custom.";
    policy_document_too_long(max: usize) => 409 "LimitExceeded.Policy" "The policy document exceeds {max} characters.";
    policy_document_not_json(why: impl std::fmt::Display) => 400 "MalformedPolicyDocument" "The policy document is not valid JSON: {why}";
    policy_document_no_statement() => 400 "MalformedPolicyDocument" "The policy document has no Statement.";
    policy_name_length() => 400 "InvalidParameter.PolicyName.Length" "The policy name must be 1-128 characters.";
    policy_name_chars() => 400 "InvalidParameter.PolicyName.InvalidChars" "The policy name may contain letters, digits and '-'.";
    policy_exists() => 409 "EntityAlreadyExists.Policy" "The policy does already EXIST.";
    policy_not_found() => 404 "EntityNotExist.Policy" "The policy does not exist.";
    policy_already_attached() => 409 "EntityAlreadyExists.Role.Policy" "The policy has already been attached to the role.";

    // ---- STS
    role_arn_malformed() => 400 "InvalidParameter.RoleArn" "The parameter RoleArn is wrongly formed.";
    role_session_name_malformed() => 400 "InvalidParameter.RoleSessionName" "The parameter RoleSessionName is wrongly formed.";
    assume_role_not_found() => 404 "EntityNotExist.Role" "The specified Role not exists.";
    duration_seconds_invalid(max: u32) => 400 "InvalidParameter.DurationSeconds" "DurationSeconds must be 900-{max}.";
    session_policy_too_long() => 400 "InvalidParameter.PolicySize" "The policy is too long.";
    session_policy_not_json() => 400 "InvalidParameter.PolicyGrammar" "The policy is not valid JSON.";
    trust_policy_denies() => 403 "NoPermission" "You are not authorized to do this action. The role's trust policy does not allow this account to assume it.";
}

impl ApiError {
    /// Only the catalogue builds errors: a code is spelled in this file or nowhere.
    fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn missing(name: &str) -> Self {
        Self::new(
            400,
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// `InvalidParameter.<name>`: the family of codes named after the parameter.
    pub fn invalid(name: &str, why: impl std::fmt::Display) -> Self {
        Self::new(
            400,
            format!("InvalidParameter.{name}"),
            format!("The specified parameter \"{name}\" is not valid: {why}"),
        )
    }

    /// `Invalid<name>.Malformed`: a JSON-array parameter that is not one.
    pub fn malformed_list(name: &str) -> Self {
        Self::new(
            400,
            format!("Invalid{name}.Malformed"),
            format!("The specified parameter {name} is not a valid JSON array of strings."),
        )
    }

    /// `IncorrectInstanceStatus` with the status of the call that met it (400 or 403).
    pub fn incorrect_instance_status(status: u16) -> Self {
        Self::new(
            status,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogued_code_is_well_formed_and_named_once() {
        let mut names: Vec<&str> = CATALOGUE.iter().map(|(n, _, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len(), "a constructor name repeats");
        for (name, status, code) in CATALOGUE {
            assert!(
                [400, 403, 404, 409, 500, 503].contains(status),
                "{name}: {status}"
            );
            assert!(
                code.split('.').all(|part| part
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase())
                    && part.chars().all(|c| c.is_ascii_alphanumeric())),
                "{name}: {code}"
            );
        }
        let e = ApiError::incorrect_instance_status(400);
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "IncorrectInstanceStatus")
        );
        assert_eq!(
            ApiError::invalid("Timeout", "x").code,
            "InvalidParameter.Timeout"
        );
    }
}
