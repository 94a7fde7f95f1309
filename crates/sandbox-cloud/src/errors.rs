//! Alibaba Cloud's error shape: `RequestId`, `HostId`, `Code`, `Message`, `Recommend`, with
//! the HTTP status the real gateway uses for that code (reference §1.3, §2.3, §2.5, §5.3).

/// An API error as the gateway answers it. `status` is the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
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

    pub fn invalid(name: &str, why: impl std::fmt::Display) -> Self {
        Self::new(
            400,
            format!("InvalidParameter.{name}"),
            format!("The specified parameter \"{name}\" is not valid: {why}"),
        )
    }

    pub fn invalid_plain(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidParameter", message)
    }

    pub fn instance_not_found(id: &str) -> Self {
        Self::new(
            404,
            "InvalidInstanceId.NotFound",
            format!("The specified InstanceId does not exist. ({id})"),
        )
    }

    /// Cloud Assistant's spelling of a missing instance (reference §3.4, §3.6).
    pub fn assistant_instance_not_found(id: &str) -> Self {
        Self::new(
            404,
            "InvalidInstance.NotFound",
            format!("The specified instance does not exist ({id})."),
        )
    }

    pub fn disk_not_found(id: &str) -> Self {
        Self::new(
            404,
            "InvalidDiskId.NotFound",
            format!("The specified disk does not exist. ({id})"),
        )
    }

    pub fn snapshot_not_found(id: &str) -> Self {
        Self::new(
            404,
            "InvalidSnapshotId.NotFound",
            format!("The specified SnapshotId does not exist. ({id})"),
        )
    }

    pub fn incorrect_instance_status(status: u16) -> Self {
        Self::new(
            status,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
        )
    }

    /// ECS answer when the caller's RAM policy does not allow the action.
    pub fn forbidden_ram() -> Self {
        Self::new(
            403,
            "Forbidden.RAM",
            "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
        )
    }

    /// RAM/STS answer when the caller may not do the action.
    pub fn no_permission() -> Self {
        Self::new(
            403,
            "NoPermission",
            "You are not authorized to do this action. You should be authorized by RAM.",
        )
    }

    pub fn throttled() -> Self {
        Self::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        )
    }

    pub fn unavailable() -> Self {
        Self::new(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
        )
    }

    pub fn unsupported(product: &str, action: &str, version: &str) -> Self {
        Self::new(
            400,
            "UnsupportedOperation",
            format!(
                "The sandbox cloud does not implement {product} action {action} (version {version}); \
                 see crates/sandbox-cloud/README.md for the implemented actions."
            ),
        )
    }
}
