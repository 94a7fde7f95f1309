//! The plugin's parameter parsing and consistency decision.

use super::consistency::{decide, Level};
use super::params::{extract_plugin_call, parse_params};
use crate::world::model::guest::{Guest, Mount};
use crate::world::model::os::OsType;

#[test]
fn finds_the_params_of_a_plugin_call() {
    let s = "#!/bin/bash\nacs-plugin-manager --exec --plugin app-snapshot-plugin --params \"--RamRoleName=R -Name=x\"\n";
    assert_eq!(
        extract_plugin_call(s).as_deref(),
        Some("--RamRoleName=R -Name=x")
    );
    let s = "& \"C:\\x\\acs-plugin-manager.exe\" --exec --plugin app-snapshot-plugin --params '-RamRoleName=R'";
    assert_eq!(extract_plugin_call(s).as_deref(), Some("-RamRoleName=R"));
    assert_eq!(extract_plugin_call("echo acs-plugin-manager"), None);
}

#[test]
fn values_may_contain_spaces_and_defaults_apply() {
    let p = parse_params("--RamRoleName=AppSnapshotRoleName -Description=nightly db run -ExcludeDiskId=d-1,d-2 -TimeoutInSeconds=", OsType::Linux, 0).unwrap();
    assert_eq!(p.description, "nightly db run");
    assert_eq!(p.exclude_disk_ids, vec!["d-1", "d-2"]);
    assert_eq!(p.timeout_secs, 30);
    assert!(p.enable_fs_freeze && p.instant_access);
    assert_eq!(p.name, "Created_At_197001010000");
    assert!(parse_params("-EnableFsFreeze=true", OsType::Linux, 0)
        .unwrap_err()
        .contains("RamRoleName"));
    assert!(parse_params("-RamRoleName=R -Bogus=1", OsType::Linux, 0).is_err());
    assert!(parse_params("-RamRoleName=R -EnableFsFreeze=yes", OsType::Linux, 0).is_err());
    assert!(
        parse_params("-RamRoleName=R -TimeoutInSeconds=0", OsType::Linux, 0)
            .unwrap_err()
            .contains("TimeoutInSeconds")
    );
}

fn linux_guest(pre_mode: u32) -> Guest {
    let mut g = Guest::new(
        OsType::Linux,
        vec![Mount {
            mount_point: "/".into(),
            fs_type: "ext4".into(),
            device: "/dev/vda1".into(),
        }],
    );
    g.write_file(
        "/tmp/prescript.sh",
        b"#!/bin/bash\n".to_vec(),
        "root",
        "root",
        pre_mode,
        0,
    );
    g.write_file(
        "/tmp/postscript.sh",
        b"#!/bin/bash\n".to_vec(),
        "root",
        "root",
        0o700,
        0,
    );
    g
}

fn params(extra: &str) -> super::params::PluginParams {
    parse_params(
        &format!("-RamRoleName=R -PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh {extra}"),
        OsType::Linux,
        0,
    )
    .unwrap()
}

#[test]
fn scripts_in_place_as_root_0700_allow_application_consistency() {
    let d = decide(&linux_guest(0o700), OsType::Linux, &params(""));
    assert!(d.freeze && d.app);
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

#[test]
fn a_script_with_the_wrong_mode_falls_back_to_file_system_consistency() {
    let d = decide(&linux_guest(0o755), OsType::Linux, &params(""));
    assert!(d.freeze && !d.app);
    assert_eq!(
        d.notes[0],
        (
            Level::Warn,
            "/tmp/prescript.sh: owner root mode 0755, expected owner root mode 0700".to_string()
        )
    );
    assert_eq!(d.notes[1].1, "Pre/Post-Script have no Expected Permission");
    assert_eq!(d.notes.len(), 3);
}

#[test]
fn no_freeze_means_neither_freeze_nor_scripts() {
    let d = decide(
        &linux_guest(0o700),
        OsType::Linux,
        &params("-EnableFsFreeze=false"),
    );
    assert!(!d.freeze && !d.app);
    assert_eq!(d.notes.len(), 1);
    assert!(d.notes[0].1.starts_with("EnableFsFreeze is false"));
}

#[test]
fn a_failing_vss_writer_keeps_the_freeze_but_not_the_application() {
    let mut g = Guest::new(OsType::Windows, vec![]);
    g.behaviour.vss_writer_fails = Some("SqlServerWriter".into());
    let p = parse_params("-RamRoleName=R", OsType::Windows, 0).unwrap();
    let d = decide(&g, OsType::Windows, &p);
    assert!(d.freeze && !d.app);
    assert_eq!(d.notes[0].0, Level::Warn);
    assert!(d.notes[0]
        .1
        .contains("'SqlServerWriter' is in state [8] Failed"));
    g.behaviour.vss_writer_fails = None;
    let d = decide(&g, OsType::Windows, &p);
    assert!(d.app);
    assert_eq!(
        d.notes,
        vec![(
            Level::Info,
            "VSS writers included: System Writer, Registry Writer, WMI Writer".to_string()
        )]
    );
}
