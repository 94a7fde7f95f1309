//! The one switch for tests that need the real OS keyring, shared by every crate's
//! keyring tests (`test_support::keyring_gate::enabled()`). They run when
//! APPSNAP_KEYRING_TESTS=1, i.e. inside
//! `scripts/with-keyring.sh`; on a developer's machine they say why they skip; in CI (`CI`
//! set) they fail, so a plain `cargo test` there is never a false green.

/// Whether the keyring tests run; `Err` (the test fails with it) when they cannot run in CI.
fn gate(keyring_tests: Option<&str>, ci: Option<&str>) -> Result<bool, String> {
    const HOW: &str = "run under scripts/with-keyring.sh (sets APPSNAP_KEYRING_TESTS=1)";
    if keyring_tests == Some("1") {
        return Ok(true);
    }
    // CI=false (or empty) is what some runners set to say "not CI".
    let in_ci = ci.is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false") && v != "0");
    if in_ci {
        Err(format!(
            "CI is set but APPSNAP_KEYRING_TESTS is not 1: the OS keyring tests would be skipped; {HOW}"
        ))
    } else {
        eprintln!("skipped: {HOW}");
        Ok(false)
    }
}

pub fn enabled() -> bool {
    let var = |name| std::env::var(name).ok();
    gate(
        var("APPSNAP_KEYRING_TESTS").as_deref(),
        var("CI").as_deref(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_gate_skips_on_a_developer_machine_and_fails_in_ci() {
    assert_eq!(gate(Some("1"), Some("true")), Ok(true));
    assert_eq!(gate(Some("1"), None), Ok(true));
    assert_eq!(gate(None, None), Ok(false));
    assert_eq!(gate(Some("0"), Some("false")), Ok(false));
    for ci in ["true", "1", "yes"] {
        let err = gate(None, Some(ci)).unwrap_err();
        assert!(err.contains("scripts/with-keyring.sh"), "{err}");
        assert!(gate(Some("0"), Some(ci)).is_err());
    }
}
