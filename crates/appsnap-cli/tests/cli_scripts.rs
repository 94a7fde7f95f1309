//! `appsnap scripts …` end to end: the real binary against the in-process sandbox's
//! `demo` scenario (clock at 20×), keys from the environment, HOME and the data dir in a
//! temporary directory (where appsnap.db lands). JSON outputs are pinned.

use std::path::Path;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::{Client, Credentials};
use appsnap_core::scripts::{render, sha256_hex};
use futures::TryStreamExt;
use sandbox_cloud::{RunningSandbox, SandboxOptions};
use serde_json::{json, Value};
use test_support::sandbox::demo_account;

mod common;
use common::{appsnap, Run};

async fn sandbox() -> RunningSandbox {
    sandbox_cloud::start(SandboxOptions {
        time_scale: 20.0,
        ..SandboxOptions::default()
    })
    .await
    .unwrap()
}

async fn instance_id(sb: &RunningSandbox, region: &str, name: &str) -> String {
    let admin = demo_account("admin");
    let client = Client::builder()
        .endpoint(sb.endpoint())
        .region(region)
        .static_credentials(Credentials::access_key(
            admin.access_key_id,
            admin.access_key_secret,
        ))
        .build()
        .unwrap();
    let list: Vec<_> = client
        .describe_instances_stream(region, DescribeInstancesRequest::default())
        .try_collect()
        .await
        .unwrap();
    list.into_iter()
        .find(|i| i.instance_name == name)
        .unwrap()
        .instance_id
}

async fn calls(sb: &RunningSandbox, action: &str) -> u64 {
    let v: Value = reqwest::get(format!("{}/_sandbox/state/calls", sb.endpoint()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["calls"][action].as_u64().unwrap_or(0)
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[tokio::test(flavor = "multi_thread")]
async fn list_show_and_validate_print_the_documented_json() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let run = appsnap(&sb, home.path(), &["scripts", "list", "--output", "json"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = json_of(&run)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["generic", "mysql", "postgresql", "redis", "mongodb"]
    );

    let run = appsnap(
        &sb,
        home.path(),
        &[
            "scripts",
            "show",
            "mysql",
            "--param",
            "watchdog_seconds=120",
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let params = [("watchdog_seconds".to_owned(), "120".to_owned())].into();
    let r = render("mysql", &params, 30).unwrap();
    assert_eq!(
        json_of(&run),
        json!({"name": "mysql", "freeze": r.freeze, "thaw": r.thaw, "params": r.params})
    );
    let run = appsnap(
        &sb,
        home.path(),
        &["scripts", "show", "mysql", "--param", "nope=1"],
    )
    .await;
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("UnknownParameter"), "{}", run.stderr);

    let dir = home.path();
    std::fs::write(dir.join("ok.sh"), "#!/bin/sh\nsync\n").unwrap();
    std::fs::write(dir.join("crlf.sh"), "#!/bin/sh\r\nsync\r\n").unwrap();
    std::fs::write(dir.join("bare.sh"), "sync\n").unwrap();
    let (ok, crlf, bare) = (dir.join("ok.sh"), dir.join("crlf.sh"), dir.join("bare.sh"));
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "scripts",
            "validate",
            ok.to_str().unwrap(),
            crlf.to_str().unwrap(),
            bare.to_str().unwrap(),
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 1, "one file is refused");
    assert_eq!(
        json_of(&run),
        json!([
            {"file": ok.to_str().unwrap(), "sendable": true, "problems": []},
            {"file": crlf.to_str().unwrap(), "sendable": true, "problems": [{
                "code": "CrlfConverted", "severity": "warning",
                "message": "2 line(s) ended in CRLF (Windows); converted to LF. Sent as they were, the shebang would name an interpreter ending in a carriage return and the guest would fail with `/bin/sh^M: bad interpreter: No such file or directory`"}]},
            {"file": bare.to_str().unwrap(), "sendable": false, "problems": [{
                "code": "NoShebang", "severity": "error", "line": 1,
                "message": "the first line must name the interpreter, e.g. `#!/bin/sh`; without it the guest cannot run the file"}]},
        ])
    );
    assert_eq!(calls(&sb, "SendFile").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn push_prints_each_instance_s_paths_hashes_and_verification() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let id = instance_id(&sb, "cn-hangzhou", "app-centos79-mysql").await;
    let target = format!("cn-hangzhou:{id}");
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "scripts",
            "push",
            "--template",
            "mysql",
            "--instance",
            &target,
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = render("mysql", &Default::default(), 30).unwrap();
    let v = json_of(&run);
    let file = |path: &str, text: &str, invoke: &Value| {
        let hash = sha256_hex(text.as_bytes());
        json!({"role": if path.contains("pre") {"Freeze"} else {"Thaw"}, "path": path,
               "sha256": hash, "size": text.len(), "invokeId": invoke, "sendStatus": "Success",
               "written": true,
               "found": {"owner": "root", "group": "root", "mode": "0700", "size": text.len(),
                         "crlf": false, "sha256": hash},
               "mismatches": []})
    };
    let i = &v["instances"][0];
    assert_eq!(
        v,
        json!({"source": "mysql", "mode": "0700", "owner": "root", "group": "root",
               "warnings": [],
               "instances": [{"instanceId": id, "regionId": "cn-hangzhou", "verified": true,
                 "files": [file("/tmp/prescript.sh", &r.freeze, &i["files"][0]["invokeId"]),
                           file("/tmp/postscript.sh", &r.thaw, &i["files"][1]["invokeId"])]}]})
    );
    assert!(i["files"][0]["invokeId"]
        .as_str()
        .unwrap()
        .starts_with("f-"));
    assert!(
        run.stderr.contains(&format!("{id}: verified")),
        "{}",
        run.stderr
    );
    // Recorded in the data dir's appsnap.db.
    let dbs: Vec<_> = walk(&home.path().join("data"))
        .into_iter()
        .filter(|p| p.ends_with("appsnap.db"))
        .collect();
    assert_eq!(dbs.len(), 1, "{dbs:?}");
    let mut store = appsnap_core::fleet::FleetStore::open(dbs[0].parent().unwrap()).unwrap();
    let rows = store.pushed_scripts("default", &[]).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].sha256,
        sha256_hex(r.thaw.as_bytes()),
        "ordered by path"
    );

    // Table output: one line per file with its hash and result.
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "scripts",
            "push",
            "--template",
            "generic",
            "--instance",
            &target,
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let g = render("generic", &Default::default(), 30).unwrap();
    let line = format!(
        "{id}  /tmp/prescript.sh   {}  verified",
        sha256_hex(g.freeze.as_bytes())
    );
    assert!(run.stdout.contains(&line), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_script_is_never_sent() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let id = instance_id(&sb, "cn-hangzhou", "app-centos79-mysql").await;
    let (freeze, thaw) = (home.path().join("f.sh"), home.path().join("t.sh"));
    std::fs::write(&freeze, b"echo \xff\n").unwrap();
    std::fs::write(&thaw, "#!/bin/sh\n").unwrap();
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "scripts",
            "push",
            "--freeze",
            freeze.to_str().unwrap(),
            "--thaw",
            thaw.to_str().unwrap(),
            "--instance",
            &format!("cn-hangzhou:{id}"),
        ],
    )
    .await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("appsnap: error: nothing was sent: NotUtf8: freeze script: "),
        "{}",
        run.stderr
    );
    assert_eq!(calls(&sb, "SendFile").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn test_reports_the_failing_prescript_of_freeze_fails_centos79() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let id = instance_id(&sb, "ap-southeast-1", "freeze-fails-centos79").await;
    let check = [
        "--output",
        "json",
        "instances",
        "--region",
        "ap-southeast-1",
        "--check",
        "--probe",
    ];
    let scripts_check = |run: &Run| {
        json_of(run)
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["instanceId"] == id.as_str())
            .and_then(|r| {
                r["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["id"] == "FreezeScripts")
                    .cloned()
            })
            .expect("a FreezeScripts check")
    };
    // Before the test run the probe sees the scripts in place, root 0700, LF.
    let before = appsnap(&sb, home.path(), &check).await;
    assert_eq!(
        scripts_check(&before)["reason"]["key"],
        "ScriptsOk",
        "{}",
        before.stderr
    );
    let run = appsnap(
        &sb,
        home.path(),
        &[
            "scripts",
            "test",
            "--instance",
            &format!("ap-southeast-1:{id}"),
            "--output",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 1, "a failed test exits 1: {}", run.stderr);
    assert_eq!(
        json_of(&run),
        json!([{
            "instanceId": id, "regionId": "ap-southeast-1", "verdict": "FreezeFailed",
            "freeze": {"path": "/tmp/prescript.sh", "exitCode": 1, "durationMs": 200, "timedOut": false,
                       "output": "ERROR 2013 (HY000): Lost connection to MySQL server during query\nFLUSH TABLES WITH READ LOCK failed"},
            "thaw": {"path": "/tmp/postscript.sh", "exitCode": 0, "durationMs": 300, "timedOut": false,
                     "output": "application thawed"},
            "freezeWindowMs": 500, "timeoutSeconds": 30, "snapshotAllowanceMs": 1000,
            "withinTimeout": true
        }])
    );
    // The verdict is kept: the next check names it (a snapshot would be file-system only).
    let after = appsnap(&sb, home.path(), &check).await;
    let c = scripts_check(&after);
    assert_eq!(
        (c["status"].clone(), c["reason"]["key"].clone()),
        (json!("fail"), json!("ScriptTestFreezeFailed"))
    );
    assert_eq!(c["reason"]["params"]["exit"], "1");
    assert_eq!(c["fix"], "PushScripts");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
