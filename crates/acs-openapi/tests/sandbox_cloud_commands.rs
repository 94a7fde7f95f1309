//! Typed Cloud Assistant actions against the sandbox cloud over real HTTP: commands,
//! invocations and file sends. Every client decodes strictly.

mod common;

use acs_openapi::actions::cloud_assistant::{
    DescribeCommandsRequest, DescribeInvocationResultsRequest, DescribeInvocationsRequest,
    DescribeSendFileResultsRequest, InvokeCommandRequest, RunCommandRequest, SendFileRequest,
    StopInvocationRequest,
};
use base64::Engine as _;
use common::{instance, Sandbox, HZ};
use futures::TryStreamExt;

#[tokio::test]
async fn commands_invocations_and_file_sends() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let public: Vec<_> = client
        .describe_commands_stream(
            HZ,
            DescribeCommandsRequest {
                provider: Some("AlibabaCloud".into()),
                max_results: Some(2),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    // The sandbox's four public commands, over two pages of two.
    let mut ids: Vec<&str> = public.iter().map(|c| c.command_id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "c-pub0appconsistlnx",
            "c-pub0appconsistwin",
            "c-pub0imagerepairlx",
            "c-pub0resetpwdlinux"
        ]
    );
    assert!(
        public.iter().all(|c| c.provider == "AlibabaCloud"),
        "{public:?}"
    );

    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let ids = vec![mysql.instance_id.clone()];
    let run = client
        .run_command(
            HZ,
            &RunCommandRequest {
                command_type: "RunShellScript".into(),
                command_content: "echo hello".into(),
                instance_ids: ids.clone(),
                keep_command: Some(true),
                name: Some("appsnap-test".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        run.invoke_id.starts_with("t-") && run.command_id.starts_with("c-"),
        "{run:?}"
    );
    sb.step(120.0).await;
    let invs: Vec<_> = client
        .describe_invocations_stream(
            HZ,
            DescribeInvocationsRequest {
                invoke_id: Some(run.invoke_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(invs[0].invoke_id, run.invoke_id);
    // The simulated guest runs only its documented scripts (GUEST_SCRIPTS.md): `echo`
    // finishes with 127, so the invocation fails with ExitCodeNonzero.
    let on_mysql = &invs[0].invoke_instances.invoke_instance[0];
    assert_eq!(invs[0].invocation_status, "Failed", "{:?}", invs[0]);
    assert_eq!(
        (on_mysql.instance_id.as_str(), on_mysql.exit_code),
        (mysql.instance_id.as_str(), Some(127))
    );
    assert_eq!(on_mysql.error_code, "ExitCodeNonzero");
    let results: Vec<_> = client
        .describe_invocation_results_stream(
            HZ,
            DescribeInvocationResultsRequest {
                invoke_id: Some(run.invoke_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(results[0].instance_id, mysql.instance_id);
    assert_eq!(results[0].invocation_status, "Failed", "{:?}", results[0]);
    assert_eq!(results[0].exit_code, Some(127));
    // Base64 by default (alibaba-api.md §3.11).
    let output = base64::engine::general_purpose::STANDARD
        .decode(&results[0].output)
        .expect("Base64 output");
    let output = String::from_utf8(output).unwrap();
    assert!(
        output.starts_with("sandbox-cloud: this simulated guest does not run arbitrary scripts."),
        "{output}"
    );

    let own: Vec<_> = client
        .describe_commands_stream(HZ, DescribeCommandsRequest::default())
        .try_collect()
        .await
        .unwrap();
    assert!(own.iter().any(|c| c.command_id == run.command_id));
    let invoked = client
        .invoke_command(
            HZ,
            &InvokeCommandRequest {
                command_id: run.command_id.clone(),
                instance_ids: ids.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(invoked.invoke_id.starts_with("t-"));

    let sent = client
        .send_file(
            HZ,
            &SendFileRequest {
                instance_ids: ids.clone(),
                name: "prescript.sh".into(),
                target_dir: "/tmp".into(),
                content: "#!/bin/sh\nexit 0\n".into(),
                file_mode: Some("0700".into()),
                overwrite: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(sent.invoke_id.starts_with("f-"), "{sent:?}");
    sb.step(60.0).await;
    let sends: Vec<_> = client
        .describe_send_file_results_stream(
            HZ,
            DescribeSendFileResultsRequest {
                invoke_id: Some(sent.invoke_id.clone()),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sends[0].file_mode, "0700");
}

#[tokio::test]
async fn stop_invocation_cancels_a_part_not_yet_started_and_names_unknown_ids() {
    let sb = Sandbox::start().await;
    let client = sb.admin();
    let mysql = instance(&client, HZ, "app-centos79-mysql").await;
    let run = client
        .run_command(
            HZ,
            &RunCommandRequest {
                command_type: "RunShellScript".into(),
                command_content: "echo hello".into(),
                instance_ids: vec![mysql.instance_id.clone()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Before the agent picks it up: cancelled, and it never runs.
    let stopped = client
        .stop_invocation(
            HZ,
            &StopInvocationRequest {
                invoke_id: run.invoke_id.clone(),
                instance_ids: vec![mysql.instance_id.clone()],
            },
        )
        .await
        .unwrap();
    common::assert_request_id(&stopped.request_id);
    sb.step(5.0).await;
    let inv = client
        .describe_invocations(
            HZ,
            &DescribeInvocationsRequest {
                invoke_id: Some(run.invoke_id.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let inv = &inv.invocations.invocation[0];
    assert_eq!(inv.invocation_status, "Stopped", "{inv:?}");
    assert_eq!(inv.invoke_status, "Stopped");
    let part = &inv.invoke_instances.invoke_instance[0];
    assert_eq!(part.invocation_status, "Cancelled");
    assert_eq!(part.instance_invoke_status, "Stopped");
    assert_eq!(sb.calls("StopInvocation").await, 1);

    let err = client
        .stop_invocation(
            HZ,
            &StopInvocationRequest {
                invoke_id: "t-hz0000000000000000".into(),
                instance_ids: vec![],
            },
        )
        .await
        .unwrap_err();
    let service = err.service().expect("a service error");
    assert_eq!(
        (service.code.as_str(), service.http_status),
        ("InvalidInvokeId.NotFound", 404),
        "{err}"
    );
}
