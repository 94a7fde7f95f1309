//! The public commands served by DescribeCommands(Provider=AlibabaCloud).

use crate::world::model::account::WorldConfig;
use crate::world::model::command::{Command, ParamDef};
use crate::world::model::tags::Tags;

fn def(
    name: &str,
    description: &str,
    default: &str,
    required: bool,
    possible: &[&str],
) -> ParamDef {
    ParamDef {
        name: name.into(),
        description: description.into(),
        default: default.into(),
        required,
        possible_values: possible.iter().map(|s| s.to_string()).collect(),
        pattern: String::new(),
    }
}

/// Public commands served by DescribeCommands(Provider=AlibabaCloud). The app-consistent
/// snapshot ones are **sandbox-invented** (names configurable): their content runs the
/// in-guest plugin the way §4.5 observed it, so both trigger paths share one simulation.
pub fn public_commands(config: &WorldConfig) -> Vec<Command> {
    let common = |id: &str,
                  name: &str,
                  kind: &str,
                  description: &str,
                  content: String,
                  defs: Vec<ParamDef>,
                  category: &str| Command {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        content,
        working_dir: String::new(),
        timeout: 600,
        enable_parameter: !defs.is_empty(),
        parameter_definitions: defs,
        provider: Some("AlibabaCloud".into()),
        category: category.into(),
        version: 3,
        creation_time: 1_700_000_000_000,
        invoke_times: 0,
        launcher: String::new(),
        tags: Tags::default(),
    };
    let shared = |windows: bool| {
        let mut d = vec![def(
            "RamRoleName",
            "Instance RAM role the plug-in uses to create and tag snapshots.",
            "",
            true,
            &[],
        )];
        if windows {
            d.push(def("EnableWriters", "Include VSS application writers (application-consistent); false gives file-system consistency.", "true", false, &["true", "false"]));
        } else {
            d.push(def(
                "EnableFsFreeze",
                "Freeze file systems during the snapshot.",
                "true",
                false,
                &["true", "false"],
            ));
            d.push(def(
                "PreScriptPath",
                "Application freeze script (root, 0700).",
                "/tmp/prescript.sh",
                false,
                &[],
            ));
            d.push(def(
                "PostScriptPath",
                "Application thaw script (root, 0700).",
                "/tmp/postscript.sh",
                false,
                &[],
            ));
        }
        d.extend([
            def(
                "TimeoutInSeconds",
                "I/O freeze timeout in seconds.",
                "30",
                false,
                &[],
            ),
            def(
                "ExcludeDiskId",
                "Comma-separated disk ids to leave out.",
                "",
                false,
                &[],
            ),
            def(
                "Name",
                "Snapshot-consistent group name; default Created_At_YYYYMMDDHHMM.",
                "",
                false,
                &[],
            ),
            def(
                "Description",
                "Snapshot-consistent group description.",
                "",
                false,
                &[],
            ),
            def(
                "RetentionDays",
                "Days to keep the snapshots; empty keeps them until deleted.",
                "",
                false,
                &[],
            ),
            def(
                "InstantAccess",
                "Enable instant access.",
                "true",
                false,
                &["true", "false"],
            ),
            def(
                "InstantAccessRetentionDays",
                "Days instant access stays on.",
                "1",
                false,
                &[],
            ),
        ]);
        d
    };
    let linux_params = "--RamRoleName={{RamRoleName}} -EnableFsFreeze={{EnableFsFreeze}} -TimeoutInSeconds={{TimeoutInSeconds}} -PreScriptPath={{PreScriptPath}} -PostScriptPath={{PostScriptPath}} -ExcludeDiskId={{ExcludeDiskId}} -Name={{Name}} -Description={{Description}} -RetentionDays={{RetentionDays}} -InstantAccess={{InstantAccess}} -InstantAccessRetentionDays={{InstantAccessRetentionDays}}";
    let windows_params = "--RamRoleName={{RamRoleName}} -EnableWriters={{EnableWriters}} -TimeoutInSeconds={{TimeoutInSeconds}} -ExcludeDiskId={{ExcludeDiskId}} -Name={{Name}} -Description={{Description}} -RetentionDays={{RetentionDays}} -InstantAccess={{InstantAccess}} -InstantAccessRetentionDays={{InstantAccessRetentionDays}}";
    vec![
        common(
            "c-pub0appconsistlnx",
            &config.linux_command_name,
            "RunShellScript",
            "Create an application-consistent snapshot-consistent group (Linux). Sandbox-invented name and content.",
            format!("#!/bin/bash\n# sandbox-cloud: sandbox-invented public command; the real one is not documented.\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"{linux_params}\"\n"),
            shared(false),
            "AlibabaCloud.ECS.Snapshot",
        ),
        common(
            "c-pub0appconsistwin",
            &config.windows_command_name,
            "RunPowerShellScript",
            "Create an application-consistent snapshot-consistent group (Windows). Sandbox-invented name and content.",
            format!("# sandbox-cloud: sandbox-invented public command; the real one is not documented.\n& \"C:\\ProgramData\\aliyun\\assist\\plugin\\acs-plugin-manager.exe\" --exec --plugin app-snapshot-plugin --params \"{windows_params}\"\n"),
            shared(true),
            "AlibabaCloud.ECS.Snapshot",
        ),
        common(
            "c-pub0resetpwdlinux",
            "ACS-ECS-ResetPassword-for-linux.sh",
            "RunShellScript",
            "Reset the password of a user.",
            "#!/bin/bash\necho \"{{username}}:{{password}}\" | chpasswd\n".into(),
            vec![def("username", "User name.", "root", true, &[]), def("password", "New password.", "", true, &[])],
            "AlibabaCloud.ECS.GuestOS",
        ),
        common(
            "c-pub0imagerepairlx",
            "ACS-ECS-ImageRepair-for-linux.sh",
            "RunShellScript",
            "Repair common image problems.",
            "#!/bin/bash\n/usr/local/share/aliyun-assist/image-repair.sh\n".into(),
            vec![],
            "AlibabaCloud.ECS.GuestOSDiagnose",
        ),
    ]
}
