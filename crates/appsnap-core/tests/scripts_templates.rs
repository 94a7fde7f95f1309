//! The template library: the catalogue, rendering with parameters (defaults, rules, the
//! watchdog bound) and that what renders is exactly what validation would send.

use std::collections::BTreeMap;

use appsnap_core::scripts::{
    check_params, check_value, render, templates, validate_script, ParamRule,
    ScriptProblemCode as Code, DEFAULT_FREEZE_TIMEOUT_SECONDS,
};
use appsnap_core::ErrorCode;

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn problem_codes(name: &str, pairs: &[(&str, &str)], timeout: u32) -> Vec<(Code, Option<String>)> {
    check_params(name, &params(pairs), timeout)
        .into_iter()
        .map(|p| (p.code, p.param))
        .collect()
}

#[test]
fn scripts_catalogue_lists_the_five_templates_with_what_they_hold() {
    let all = templates();
    let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["generic", "mysql", "postgresql", "redis", "mongodb"]
    );
    let by = |n: &str| all.iter().find(|t| t.name == n).unwrap().clone();
    assert_eq!(by("generic").params.len(), 0);
    assert_eq!(by("generic").holds, "nothing");
    assert!(by("mysql").holds.contains("global read lock"));
    assert!(by("mysql")
        .holds_for
        .contains("watchdog_seconds (default 60 s)"));
    assert!(by("postgresql")
        .proof
        .starts_with("proven on PostgreSQL 15"));
    assert!(by("mongodb")
        .proof
        .starts_with("UNTESTED against a MongoDB server"));
    let mysql_params = by("mysql").params;
    let mysql: Vec<&str> = mysql_params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        mysql,
        [
            "client",
            "defaults_file",
            "socket",
            "watchdog_seconds",
            "lock_wait_seconds",
            "replica",
            "state_dir"
        ]
    );
    let wd = by("mysql")
        .params
        .into_iter()
        .find(|p| p.name == "watchdog_seconds")
        .unwrap();
    assert_eq!(wd.default, "60");
    assert_eq!(wd.rule, ParamRule::Seconds { min: 1, max: 3600 });
    // Descriptions are single-spaced (the wrapped source texts are squashed).
    for t in &all {
        assert!(!t.description.contains("  "), "{}", t.name);
    }
}

#[test]
fn scripts_every_template_renders_with_defaults_into_sendable_scripts() {
    for t in templates() {
        let pair = render(&t.name, &BTreeMap::new(), DEFAULT_FREEZE_TIMEOUT_SECONDS)
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!(pair.name, t.name);
        assert!(pair.warnings.is_empty(), "{}: {:?}", t.name, pair.warnings);
        assert_eq!(pair.params.len(), t.params.len());
        for (role, text) in [("freeze", &pair.freeze), ("thaw", &pair.thaw)] {
            assert!(text.starts_with("#!/bin/sh\n"), "{} {role}", t.name);
            assert!(
                text.contains(&format!("appsnap-template: {}/1 {role}", t.name)),
                "{} {role}",
                t.name
            );
            assert!(!text.contains("{{"), "{} {role} left a placeholder", t.name);
            let v = validate_script(text.as_bytes());
            assert!(
                v.sendable && v.problems.is_empty(),
                "{} {role}: {:?}",
                t.name,
                v.problems
            );
            assert_eq!(v.content.as_deref(), Some(text.as_str()));
        }
        for p in &t.params {
            assert_eq!(pair.params[&p.name], p.default, "{} {}", t.name, p.name);
        }
    }
}

#[test]
fn scripts_render_fills_given_values_and_defaults_the_rest() {
    let pair = render(
        "mysql",
        &params(&[("socket", "/run/mysqld/mysqld.sock"), ("replica", "on")]),
        30,
    )
    .unwrap();
    assert!(pair.freeze.contains("\nSOCKET='/run/mysqld/mysqld.sock'\n"));
    assert!(pair.freeze.contains("\nREPLICA='on'\n"));
    assert!(pair.freeze.contains("\nDEFAULTS_FILE='/root/.my.cnf'\n"));
    assert!(pair.freeze.contains("\nWATCHDOG_SECONDS='60'\n"));
    assert!(pair.thaw.contains("\nSOCKET='/run/mysqld/mysqld.sock'\n"));
    assert!(pair.thaw.contains("\nSTATE_DIR='/run/appsnap/mysql'\n"));
    assert_eq!(pair.params["socket"], "/run/mysqld/mysqld.sock");
    assert_eq!(pair.params["client"], "mysql");
    // Socket auth: an empty option file is allowed.
    let socket_auth = render("mysql", &params(&[("defaults_file", "")]), 30).unwrap();
    assert!(socket_auth.freeze.contains("\nDEFAULTS_FILE=''\n"));
    let json = serde_json::to_value(&pair).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["freeze", "name", "params", "thaw"]);
}

#[test]
fn scripts_postgresql_picks_the_backup_functions_at_run_time() {
    let pair = render("postgresql", &BTreeMap::new(), 30).unwrap();
    assert!(pair.freeze.contains("if [ \"$version\" -ge 150000 ]; then"));
    assert!(pair.freeze.contains("pg_backup_start('$label', true)"));
    assert!(pair
        .freeze
        .contains("pg_start_backup('$label', true, false)"));
    assert!(pair.freeze.contains("pg_backup_stop(false)"));
    assert!(pair.freeze.contains("pg_stop_backup(false, false)"));
}

#[test]
fn scripts_unknown_template_and_parameter_are_refused_by_name() {
    let e = render("oracle", &BTreeMap::new(), 30).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("UnknownTemplate: no template named `oracle` (there are: generic, mysql, postgresql, redis, mongodb)"), "{}", e.message);
    assert_eq!(
        problem_codes("oracle", &[], 30),
        [(Code::UnknownTemplate, None)]
    );
    assert_eq!(
        problem_codes("generic", &[("socket", "/x")], 30),
        [(Code::UnknownParameter, Some("socket".into()))]
    );
    let e = render("redis", &params(&[("sockt", "/x")]), 30).unwrap_err();
    assert!(
        e.message
            .contains("has no parameter `sockt` (it has: cli, socket, host"),
        "{}",
        e.message
    );
}

#[test]
fn scripts_values_that_could_break_the_script_are_refused() {
    let bad = [
        ("socket", "/run/my sql.sock"),
        ("socket", "/run/it's"),
        ("socket", "run/mysqld.sock"),
        ("socket", "/run/../etc/x"),
        ("socket", "/run/$(reboot)"),
        ("client", "-e"),
        ("client", "my;sql"),
        ("state_dir", ""),
        ("watchdog_seconds", "0"),
        ("watchdog_seconds", "3601"),
        ("watchdog_seconds", "060"),
        ("watchdog_seconds", "sixty"),
        ("lock_wait_seconds", "21"),
        ("replica", "yes"),
    ];
    for (k, v) in bad {
        assert_eq!(
            problem_codes("mysql", &[(k, v)], 30),
            [(Code::InvalidParameter, Some(k.to_string()))],
            "{k}={v}"
        );
        let e = render("mysql", &params(&[(k, v)]), 30).unwrap_err();
        assert!(
            e.message.contains(&format!("InvalidParameter: {k}: ")),
            "{}",
            e.message
        );
    }
    assert_eq!(
        check_value(ParamRule::AbsolutePath { optional: false }, "/run/my sql"),
        Err("`/run/my sql` holds ` `: use letters, digits and ._-/ only".into())
    );
    assert_eq!(
        check_value(ParamRule::Port, "0"),
        Err("`0` is not a port from 1 to 65535".into())
    );
    assert!(check_value(ParamRule::Port, "65536").is_err());
    assert_eq!(check_value(ParamRule::Port, "5432"), Ok(()));
    assert_eq!(check_value(ParamRule::Flag, "off"), Ok(()));
    let uri = ParamRule::ConnectionUri;
    assert_eq!(
        check_value(uri, "mongodb://10.0.0.5:27017/admin?replicaSet=rs0"),
        Ok(())
    );
    assert!(check_value(uri, "mongodb://root:secret@10.0.0.5/admin")
        .unwrap_err()
        .contains("uri_file"));
    assert!(check_value(uri, "http://x").is_err());
    assert!(check_value(uri, "mongodb://x'y").is_err());
}

#[test]
fn scripts_watchdog_must_be_at_least_twice_the_freeze_timeout() {
    assert_eq!(
        problem_codes("mysql", &[("watchdog_seconds", "59")], 30),
        [(Code::WatchdogTooShort, Some("watchdog_seconds".into()))]
    );
    assert!(problem_codes("mysql", &[("watchdog_seconds", "60")], 30).is_empty());
    assert!(problem_codes("postgresql", &[("watchdog_seconds", "4")], 2).is_empty());
    assert_eq!(
        problem_codes("mongodb", &[("watchdog_seconds", "100")], 60)[0].0,
        Code::WatchdogTooShort
    );
    // Templates that hold nothing have no watchdog to bound.
    assert!(problem_codes("redis", &[], 600).is_empty());
    let e = render("mysql", &params(&[("watchdog_seconds", "45")]), 30).unwrap_err();
    assert!(
        e.message
            .contains("45 s is less than twice the 30 s freeze timeout (60 s)"),
        "{}",
        e.message
    );
}
