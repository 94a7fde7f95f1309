//! Every status the sandbox answers, as enums rendered to the cloud's exact strings here and
//! nowhere else (reference §3.10, §3.13, §3.14, §2.2, §3.3).

/// `Name { Variant => "text", ... }`: an enum with `as_str`, `parse`, `ALL`, `Display` and a
/// `Serialize` that writes the text.
macro_rules! wire_strings {
    ($($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? })*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// The value whose text is exactly `s`.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    )*};
}

wire_strings! {
    /// ECS instance `Status`.
    InstanceStatus {
        Pending => "Pending",
        Starting => "Starting",
        Running => "Running",
        Stopping => "Stopping",
        Stopped => "Stopped",
    }

    /// ECS disk `Status`.
    DiskStatus {
        InUse => "In_use",
        Available => "Available",
    }

    /// Snapshot and snapshot-consistent group `Status` (lowercase on the wire).
    SnapshotStatus {
        Progressing => "progressing",
        Accomplished => "accomplished",
        Failed => "failed",
    }

    /// Per-instance `InvocationStatus` of a command run or a file send.
    TaskStatus {
        Pending => "Pending",
        Scheduled => "Scheduled",
        Running => "Running",
        Stopping => "Stopping",
        Stopped => "Stopped",
        Cancelled => "Cancelled",
        Terminated => "Terminated",
        Success => "Success",
        Failed => "Failed",
        Timeout => "Timeout",
        Aborted => "Aborted",
        Invalid => "Invalid",
        Error => "Error",
    }

    /// Legacy per-instance status (`InstanceInvokeStatus` / `InvokeRecordStatus`).
    RecordStatus {
        Pending => "Pending",
        Running => "Running",
        Stopping => "Stopping",
        Stopped => "Stopped",
        Finished => "Finished",
        Failed => "Failed",
    }

    /// Overall `InvocationStatus` of an invocation or a file send.
    InvocationStatus {
        Pending => "Pending",
        Scheduled => "Scheduled",
        Running => "Running",
        Stopping => "Stopping",
        Success => "Success",
        Stopped => "Stopped",
        Failed => "Failed",
        PartialFailed => "PartialFailed",
    }

    /// Legacy overall `InvokeStatus`.
    InvokeStatus {
        Running => "Running",
        Finished => "Finished",
        Stopped => "Stopped",
        Failed => "Failed",
        PartialFailed => "PartialFailed",
    }

    /// Why a guest was thawed, as the control API's freeze history says it (sandbox words).
    ThawReason {
        Completed => "completed",
        FreezeTimeout => "freeze timeout",
        FreezeFailed => "freeze failed",
        SnapshotFailed => "snapshot failed",
        InvocationTimeout => "invocation timeout",
        InstanceStopped => "instance stopped",
        InvocationStopped => "invocation stopped",
    }
}

impl TaskStatus {
    /// Still moving: not a final status.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::Running | Self::Scheduled | Self::Stopping
        )
    }

    /// Ended by a stop rather than by the task itself.
    pub fn is_stopped(self) -> bool {
        matches!(self, Self::Stopped | Self::Cancelled | Self::Terminated)
    }

    pub fn record(self) -> RecordStatus {
        match self {
            Self::Pending | Self::Scheduled => RecordStatus::Pending,
            Self::Running => RecordStatus::Running,
            Self::Stopping => RecordStatus::Stopping,
            Self::Stopped | Self::Cancelled | Self::Terminated => RecordStatus::Stopped,
            Self::Success => RecordStatus::Finished,
            Self::Failed | Self::Timeout | Self::Aborted | Self::Invalid | Self::Error => {
                RecordStatus::Failed
            }
        }
    }
}

impl InvocationStatus {
    /// The documented aggregation of per-instance statuses (reference §3.10).
    pub fn of(statuses: &[TaskStatus]) -> Self {
        for (live, overall) in [
            (TaskStatus::Pending, Self::Pending),
            (TaskStatus::Scheduled, Self::Scheduled),
            (TaskStatus::Running, Self::Running),
            (TaskStatus::Stopping, Self::Stopping),
        ] {
            if statuses.contains(&live) {
                return overall;
            }
        }
        let success = statuses
            .iter()
            .filter(|s| **s == TaskStatus::Success)
            .count();
        let stopped = statuses.iter().filter(|s| s.is_stopped()).count();
        if success == statuses.len() || (success > 0 && success + stopped == statuses.len()) {
            Self::Success
        } else if stopped == statuses.len() {
            Self::Stopped
        } else if success == 0 {
            Self::Failed
        } else {
            Self::PartialFailed
        }
    }

    /// The simpler aggregation of a file send (reference §3.13).
    pub fn of_file_send(statuses: &[TaskStatus]) -> Self {
        if statuses.contains(&TaskStatus::Pending) {
            Self::Pending
        } else if statuses.contains(&TaskStatus::Running) {
            Self::Running
        } else if statuses.iter().all(|s| *s == TaskStatus::Success) {
            Self::Success
        } else if statuses.contains(&TaskStatus::Success) {
            Self::PartialFailed
        } else {
            Self::Failed
        }
    }

    pub fn legacy(self) -> InvokeStatus {
        match self {
            Self::Pending | Self::Scheduled | Self::Running | Self::Stopping => {
                InvokeStatus::Running
            }
            Self::Success => InvokeStatus::Finished,
            Self::Stopped => InvokeStatus::Stopped,
            Self::PartialFailed => InvokeStatus::PartialFailed,
            Self::Failed => InvokeStatus::Failed,
        }
    }
}

/// A task's `ErrorCode` with its `ErrorInfo` (reference §3.11, §3.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskError {
    InstanceNotExists,
    InstanceNotRunning,
    ClientNotRunning,
    ClientNotResponse,
    ExecutionTimeout,
    ExecutionInterrupted,
    ExitCodeNonzero,
    DeliveryTimeout,
    FileCreateFail,
    FilePathInvalid,
    FileNameInvalid,
    FileOwnerMissing,
    FileGroupMissing,
    FileModeInvalid,
    FileAlreadyExists,
}

impl TaskError {
    pub fn code(self) -> &'static str {
        match self {
            Self::InstanceNotExists => "InstanceNotExists",
            Self::InstanceNotRunning => "InstanceNotRunning",
            Self::ClientNotRunning => "ClientNotRunning",
            Self::ClientNotResponse => "ClientNotResponse",
            Self::ExecutionTimeout => "ExecutionTimeout",
            Self::ExecutionInterrupted => "ExecutionInterrupted",
            Self::ExitCodeNonzero => "ExitCodeNonzero",
            Self::DeliveryTimeout => "DeliveryTimeout",
            Self::FileCreateFail => "FileCreateFail",
            Self::FilePathInvalid => "FilePathInvalid",
            Self::FileNameInvalid => "FileNameInvalid",
            Self::FileOwnerMissing | Self::FileGroupMissing | Self::FileModeInvalid => {
                "FileAuthorityInvalid"
            }
            Self::FileAlreadyExists => "FileAlreadyExists",
        }
    }

    pub fn info(self) -> &'static str {
        match self {
            Self::InstanceNotExists => "the specified instance does not exists",
            Self::InstanceNotRunning => "the instance is not running when create task",
            Self::ClientNotRunning => "the aliyun service is not running on the instance",
            Self::ClientNotResponse => "the aliyun service in the instance does not response",
            Self::ExecutionTimeout => "the command execution has been timeout",
            Self::ExecutionInterrupted => "the command execution has been interrupted",
            Self::ExitCodeNonzero => "the command execution exit code is not zero",
            Self::DeliveryTimeout => "the command delivery has been timeout",
            Self::FileCreateFail => "Unexpected error during creating",
            Self::FilePathInvalid => "File path is invalid",
            Self::FileNameInvalid => "File name is invalid",
            Self::FileOwnerMissing => "Owner not exists",
            Self::FileGroupMissing => "Group not exists",
            Self::FileModeInvalid => "Mode is invalid",
            Self::FileAlreadyExists => "File already exists",
        }
    }
}

/// `ErrorCode` and `ErrorInfo` of a task, empty strings when it has none.
pub fn error_fields(error: Option<TaskError>) -> (&'static str, &'static str) {
    error.map_or(("", ""), |e| (e.code(), e.info()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus::*;

    #[test]
    fn overall_status_follows_the_documented_aggregation() {
        let of = InvocationStatus::of;
        assert_eq!(of(&[Pending, Running]).as_str(), "Pending");
        assert_eq!(of(&[Success, Running]).as_str(), "Running");
        assert_eq!(of(&[Success, Success]).as_str(), "Success");
        assert_eq!(of(&[Success, Stopped]).as_str(), "Success");
        assert_eq!(of(&[Failed, Timeout]).as_str(), "Failed");
        assert_eq!(of(&[Success, Aborted]).as_str(), "PartialFailed");
        assert_eq!(of(&[Stopped]).as_str(), "Stopped");
        assert_eq!(of(&[Success]).legacy().as_str(), "Finished");
        assert_eq!(of(&[Failed, Success]).legacy().as_str(), "PartialFailed");
        assert_eq!(
            InvocationStatus::of_file_send(&[Success, Aborted]).as_str(),
            "PartialFailed"
        );
    }

    #[test]
    fn texts_parse_back_and_serialise_as_the_cloud_spells_them() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(DiskStatus::InUse.as_str(), "In_use");
        assert_eq!(SnapshotStatus::parse("Accomplished"), None);
        assert_eq!(
            serde_json::to_value(ThawReason::InstanceStopped).unwrap(),
            "instance stopped"
        );
        assert_eq!(Timeout.record().as_str(), "Failed");
        assert_eq!(
            error_fields(Some(TaskError::FileModeInvalid)),
            ("FileAuthorityInvalid", "Mode is invalid")
        );
    }
}
