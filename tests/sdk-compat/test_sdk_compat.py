"""Alibaba Cloud's own Python SDKs, unchanged, against sandbox-cloud.

Run by tests/sdk-compat/run.sh, which starts `appsnap sandbox serve` and sets:
  SANDBOX_ENDPOINT  127.0.0.1:PORT (one host for ECS, RAM and STS)
  SANDBOX_AK_ID / SANDBOX_AK_SECRET  the demo administrator key

Two generations of SDK, two signature styles:
  * the tea / V2.0 SDKs (alibabacloud-*; darabonba-core), ACS3-HMAC-SHA256 by default;
  * the legacy aliyun-python-sdk-core `AcsClient` (+ aliyun-python-sdk-ecs), RPC v1
    (HMAC-SHA1), with a custom endpoint per request.
Nothing here signs or builds a request itself: every call goes through an SDK client.
"""

import base64
import json
import os
import time
import unittest
import urllib.request

# tea / V2.0 SDKs
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_tea_openapi import exceptions as tea_exceptions
from alibabacloud_tea_openapi import utils_models as open_api_models

# legacy SDK
from aliyunsdkcore.acs_exception.exceptions import ServerException as LegacyServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from aliyunsdkecs.request.v20140526 import (
    AttachInstanceRamRoleRequest,
    DescribeCloudAssistantStatusRequest,
    DescribeCommandsRequest,
    DescribeDisksRequest,
    DescribeInstancesRequest,
    DescribeInvocationResultsRequest,
    DescribeInvocationsRequest,
    DescribeRegionsRequest,
    DescribeSendFileResultsRequest,
    DescribeSnapshotGroupsRequest,
    DescribeSnapshotsRequest,
    InvokeCommandRequest,
    SendFileRequest,
)

ENDPOINT = os.environ["SANDBOX_ENDPOINT"]
AK_ID = os.environ["SANDBOX_AK_ID"]
AK_SECRET = os.environ["SANDBOX_AK_SECRET"]
# Wall-clock limit for each wait loop; the server runs with a fast simulated clock.
WAIT_S = float(os.environ.get("SDK_COMPAT_WAIT_S", "60"))

ROLE = "AppSnapshotRoleName"
POLICY = "AppSnapshotPolicy"
LEGACY_ROLE = "AppSnapshotRoleLegacy"
LEGACY_POLICY = "AppSnapshotPolicyLegacy"
TRUST = json.dumps({
    "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                   "Principal": {"Service": ["ecs.aliyuncs.com"]}}],
    "Version": "1",
})
POLICY_DOC = json.dumps({
    "Version": "1",
    "Statement": [{"Effect": "Allow",
                   "Action": ["ecs:DescribeSnapshots", "ecs:CreateSnapshotGroup",
                              "ecs:TagResources", "ecs:DescribeDisks"],
                   "Resource": ["*"]}],
})
PRESCRIPT = "#!/bin/bash\n# freeze the application\nmysql -e 'FLUSH TABLES WITH READ LOCK'\nexit 0\n"
POSTSCRIPT = "#!/bin/bash\n# thaw the application\nmysql -e 'UNLOCK TABLES'\nexit 0\n"
FINISHED = {"Success", "Failed", "Error", "Timeout", "Cancelled", "Stopped", "Terminated",
            "PartialFailed", "Aborted", "Invalid"}


def wait_for(what, probe):
    """Call probe() until it returns something truthy; fail after WAIT_S seconds."""
    deadline = time.monotonic() + WAIT_S
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; last answer: {last!r}")


def control(path):
    """GET the sandbox's control API (unsigned, not part of Alibaba Cloud): only to look at
    the simulated guest after the SDK calls, never to drive the flow."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://{ENDPOINT}/_sandbox/{path}", timeout=10) as r:
        return json.loads(r.read().decode())


def find_key(value, key):
    if isinstance(value, dict):
        if key in value:
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for v in value:
            found = find_key(v, key)
            if found is not None:
                return found
    return None


def tags_of(snapshot):
    return {t["TagKey"]: t["TagValue"] for t in snapshot.get("Tags", {}).get("Tag", [])}


# ---------------------------------------------------------------- tea / V2.0 (ACS3)

def tea_config(secret=AK_SECRET, ak_id=AK_ID, region="cn-hangzhou"):
    return open_api_models.Config(
        access_key_id=ak_id,
        access_key_secret=secret,
        region_id=region,
        endpoint=ENDPOINT,
        protocol="http",
    )


class TeaSdk(unittest.TestCase):
    """alibabacloud-ecs20140526 / -ram20150501 / -sts20150401 on tea-openapi (ACS3)."""

    @classmethod
    def setUpClass(cls):
        cls.ecs = EcsClient(tea_config())
        cls.ram = RamClient(tea_config())
        cls.sts = StsClient(tea_config())

    def instance_id(self, region, name):
        r = self.ecs.describe_instances(
            ecs_models.DescribeInstancesRequest(region_id=region, instance_name=name)).body.to_map()
        found = r["Instances"]["Instance"]
        self.assertEqual(len(found), 1, f"demo instance {name} in {region}")
        return found[0]["InstanceId"]

    def test_01_sts_get_caller_identity(self):
        r = self.sts.get_caller_identity().body.to_map()
        self.assertEqual(r["AccountId"], "1688000000000001")
        self.assertEqual(r["IdentityType"], "RAMUser")
        self.assertTrue(r["Arn"].startswith("acs:ram::1688000000000001:user/"), r["Arn"])
        self.assertTrue(r["RequestId"])

    def test_02_describe_regions(self):
        r = self.ecs.describe_regions(ecs_models.DescribeRegionsRequest()).body.to_map()
        regions = {x["RegionId"] for x in r["Regions"]["Region"]}
        self.assertTrue({"cn-hangzhou", "cn-shanghai", "ap-southeast-1", "cn-beijing"} <= regions,
                        regions)

    def test_03_describe_instances_paging(self):
        first = self.ecs.describe_instances(ecs_models.DescribeInstancesRequest(
            region_id="cn-hangzhou", page_size=100)).body.to_map()
        total = first["TotalCount"]
        everything = {i["InstanceId"] for i in first["Instances"]["Instance"]}
        self.assertEqual(total, len(everything))
        self.assertGreaterEqual(total, 10)

        # PageNumber/PageSize
        seen, page = [], 1
        while True:
            r = self.ecs.describe_instances(ecs_models.DescribeInstancesRequest(
                region_id="cn-hangzhou", page_number=page, page_size=3)).body.to_map()
            self.assertEqual(r["PageNumber"], page)
            self.assertEqual(r["PageSize"], 3)
            self.assertEqual(r["TotalCount"], total)
            batch = [i["InstanceId"] for i in r["Instances"]["Instance"]]
            if not batch:
                break
            self.assertLessEqual(len(batch), 3)
            seen += batch
            page += 1
        self.assertEqual(page - 1, -(-total // 3))
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen), everything)

        # NextToken/MaxResults
        seen, token, pages = [], None, 0
        while True:
            r = self.ecs.describe_instances(ecs_models.DescribeInstancesRequest(
                region_id="cn-hangzhou", max_results=4, next_token=token)).body.to_map()
            seen += [i["InstanceId"] for i in r["Instances"]["Instance"]]
            pages += 1
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, -(-total // 4))
        self.assertEqual(sorted(seen), sorted(everything))

    def test_04_describe_disks(self):
        iid = self.instance_id("cn-hangzhou", "app-ubuntu2204-postgres")
        r = self.ecs.describe_disks(ecs_models.DescribeDisksRequest(
            region_id="cn-hangzhou", instance_id=iid)).body.to_map()
        disks = r["Disks"]["Disk"]
        self.assertEqual(len(disks), 3)
        self.assertTrue(all(d["InstanceId"] == iid for d in disks))
        self.assertTrue(all(d["Category"].startswith("cloud_essd") for d in disks), disks)
        self.assertEqual(sum(d["Type"] == "system" for d in disks), 1)

    def test_05_cloud_assistant_status(self):
        ok = self.instance_id("cn-hangzhou", "app-centos79-mysql")
        none = self.instance_id("cn-hangzhou", "no-agent-ubuntu2204")
        r = self.ecs.describe_cloud_assistant_status(ecs_models.DescribeCloudAssistantStatusRequest(
            region_id="cn-hangzhou", instance_id=[ok, none])).body.to_map()
        status = {s["InstanceId"]: s["CloudAssistantStatus"]
                  for s in r["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"]}
        self.assertEqual(status, {ok: "true", none: "false"})

    def test_06_ram_role_and_policy(self):
        r = self.ram.create_role(ram_models.CreateRoleRequest(
            role_name=ROLE, assume_role_policy_document=TRUST,
            description="app-consistent snapshots")).body.to_map()
        self.assertEqual(r["Role"]["RoleName"], ROLE)
        got = self.ram.get_role(ram_models.GetRoleRequest(role_name=ROLE)).body.to_map()
        self.assertEqual(got["Role"]["RoleName"], ROLE)
        self.assertEqual(got["Role"]["Arn"], f"acs:ram::1688000000000001:role/{ROLE.lower()}")
        self.assertIn("ecs.aliyuncs.com", got["Role"]["AssumeRolePolicyDocument"])

        with self.assertRaises(tea_exceptions.ClientException) as e:
            self.ram.create_role(ram_models.CreateRoleRequest(
                role_name=ROLE, assume_role_policy_document=TRUST))
        self.assertEqual(e.exception.code, "EntityAlreadyExists.Role")
        self.assertEqual(e.exception.status_code, 409)

        with self.assertRaises(tea_exceptions.ClientException) as e:
            self.ram.get_role(ram_models.GetRoleRequest(role_name="NoSuchRole"))
        self.assertEqual(e.exception.code, "EntityNotExist.Role")

        p = self.ram.create_policy(ram_models.CreatePolicyRequest(
            policy_name=POLICY, policy_document=POLICY_DOC)).body.to_map()
        self.assertEqual(p["Policy"]["PolicyName"], POLICY)
        self.assertEqual(p["Policy"]["PolicyType"], "Custom")
        self.ram.attach_policy_to_role(ram_models.AttachPolicyToRoleRequest(
            policy_type="Custom", policy_name=POLICY, role_name=ROLE))
        listed = self.ram.list_policies_for_role(
            ram_models.ListPoliciesForRoleRequest(role_name=ROLE)).body.to_map()
        self.assertIn(POLICY, [x["PolicyName"] for x in listed["Policies"]["Policy"]])

    def send_scripts(self, region, iid):
        for name, content in (("prescript.sh", PRESCRIPT), ("postscript.sh", POSTSCRIPT)):
            r = self.ecs.send_file(ecs_models.SendFileRequest(
                region_id=region, instance_id=[iid], name=name, target_dir="/tmp",
                content=base64.b64encode(content.encode()).decode(), content_type="Base64",
                file_owner="root", file_group="root", file_mode="0700", overwrite=True,
            )).body.to_map()
            invoke_id = r["InvokeId"]
            self.assertTrue(invoke_id.startswith("f-"), invoke_id)

            def sent():
                res = self.ecs.describe_send_file_results(ecs_models.DescribeSendFileResultsRequest(
                    region_id=region, invoke_id=invoke_id)).body.to_map()
                inv = res["Invocations"]["Invocation"][0]
                status = inv["InvocationStatus"]
                if status in FINISHED or status == "Success":
                    return inv
                return None
            inv = wait_for(f"SendFile {name}", sent)
            self.assertEqual(inv["InvocationStatus"], "Success", inv)
            per = inv["InvokeInstances"]["InvokeInstance"][0]
            self.assertEqual(per["InstanceId"], iid)
            self.assertEqual(per["InvocationStatus"], "Success")
        files = {f["path"]: f for f in find_key(control(f"instances/{iid}"), "files")}
        for name, content in (("prescript.sh", PRESCRIPT), ("postscript.sh", POSTSCRIPT)):
            f = files[f"/tmp/{name}"]
            self.assertEqual((f["owner"], f["group"], f["mode"], f["size"], f["crlf"]),
                             ("root", "root", "0700", len(content), False), f)

    def attach_role(self, region, iid):
        r = self.ecs.attach_instance_ram_role(ecs_models.AttachInstanceRamRoleRequest(
            region_id=region, ram_role_name=ROLE, instance_ids=json.dumps([iid]))).body.to_map()
        res = r["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"]
        self.assertEqual([(x["InstanceId"], x["Success"]) for x in res], [(iid, True)], r)
        self.assertEqual(r["FailCount"], 0)

    def finish_invocation(self, region, invoke_id, iid):
        """DescribeInvocations until finished, then the per-instance result; the ssg- id."""
        def done():
            r = self.ecs.describe_invocations(ecs_models.DescribeInvocationsRequest(
                region_id=region, invoke_id=invoke_id)).body.to_map()
            inv = r["Invocations"]["Invocation"][0]
            return inv if inv["InvocationStatus"] in FINISHED else None
        inv = wait_for(f"invocation {invoke_id}", done)
        res = self.ecs.describe_invocation_results(ecs_models.DescribeInvocationResultsRequest(
            region_id=region, invoke_id=invoke_id)).body.to_map()
        result = res["Invocation"]["InvocationResults"]["InvocationResult"][0]
        output = base64.b64decode(result["Output"]).decode()
        self.assertEqual(result["InstanceId"], iid)
        self.assertEqual((inv["InvocationStatus"], result["ExitCode"]), ("Success", 0), output)
        group_id = output.strip().splitlines()[-1].strip()
        self.assertRegex(group_id, r"^ssg-[0-9a-z]+$", output)
        return group_id, output

    def assert_app_consistent_group(self, region, group_id, iid):
        def accomplished():
            r = self.ecs.describe_snapshot_groups(ecs_models.DescribeSnapshotGroupsRequest(
                region_id=region, snapshot_group_id=[group_id])).body.to_map()
            g = r["SnapshotGroups"]["SnapshotGroup"]
            return g[0] if g and g[0]["Status"] == "accomplished" else None
        group = wait_for(f"snapshot group {group_id}", accomplished)
        self.assertEqual(group["InstanceId"], iid)
        ids = [s["SnapshotId"] for s in group["Snapshots"]["Snapshot"]]
        self.assertTrue(ids)
        disks = self.ecs.describe_disks(ecs_models.DescribeDisksRequest(
            region_id=region, instance_id=iid)).body.to_map()["Disks"]["Disk"]
        self.assertEqual(len(ids), len(disks))

        snaps = self.ecs.describe_snapshots(ecs_models.DescribeSnapshotsRequest(
            region_id=region, snapshot_ids=json.dumps(ids))).body.to_map()["Snapshots"]["Snapshot"]
        self.assertEqual(sorted(s["SnapshotId"] for s in snaps), sorted(ids))
        for s in snaps:
            self.assertEqual(tags_of(s).get("APPConsistent"), "True", s)
            self.assertEqual(s["Status"], "accomplished")
        self.assertEqual({s["SourceDiskId"] for s in snaps}, {d["DiskId"] for d in disks})
        # The plugin froze the guest and thawed it again.
        self.assertEqual([f for f in control("state/frozen")["frozen"] if f["instance_id"] == iid], [])
        history = [h for h in control("state/freeze-history")["history"] if h["instance_id"] == iid]
        self.assertTrue(history and all(h["thawed_at"] for h in history), history)

    def test_07_app_consistent_via_plugin_run_command(self):
        region = "cn-hangzhou"
        iid = self.instance_id(region, "app-centos79-mysql")
        self.attach_role(region, iid)
        self.send_scripts(region, iid)
        script = (
            "#!/bin/bash\n"
            "acs-plugin-manager --exec --plugin app-snapshot-plugin --params "
            f"\"--RamRoleName={ROLE} -EnableFsFreeze=true -TimeoutInSeconds=30 "
            "-PreScriptPath=/tmp/prescript.sh -PostScriptPath=/tmp/postscript.sh "
            "-Name=sdk-compat-plugin\"\n"
        )
        r = self.ecs.run_command(ecs_models.RunCommandRequest(
            region_id=region, type="RunShellScript", instance_id=[iid],
            command_content=base64.b64encode(script.encode()).decode(),
            content_encoding="Base64", timeout=600, name="sdk-compat-plugin",
        )).body.to_map()
        self.assertTrue(r["InvokeId"].startswith("t-"), r)
        group_id, output = self.finish_invocation(region, r["InvokeId"], iid)
        self.assertIn("app-snapshot-plugin", output)
        self.assert_app_consistent_group(region, group_id, iid)

    def test_08_app_consistent_via_public_command(self):
        region = "ap-southeast-1"
        r = self.ecs.describe_commands(ecs_models.DescribeCommandsRequest(
            region_id=region, provider="AlibabaCloud", page_size=50)).body.to_map()
        commands = r["Commands"]["Command"]
        self.assertGreater(len(commands), 2)
        linux = [c for c in commands
                 if c["Type"] == "RunShellScript" and "AppConsistent" in c["Name"]]
        self.assertEqual(len(linux), 1, [c["Name"] for c in commands])
        cmd = linux[0]
        self.assertTrue(cmd["EnableParameter"])
        params = {p["ParameterName"]: p
                  for p in cmd["ParameterDefinitions"]["ParameterDefinition"]}
        self.assertTrue(params["RamRoleName"]["Required"])

        # Scripts are already in place on this demo guest (root, 0700).
        iid = self.instance_id(region, "sg-ubuntu2204-web")
        self.attach_role(region, iid)
        inv = self.ecs.invoke_command(ecs_models.InvokeCommandRequest(
            region_id=region, command_id=cmd["Name"], instance_id=[iid],
            parameters={"RamRoleName": ROLE, "Name": "sdk-compat-public"},
        )).body.to_map()
        group_id, _ = self.finish_invocation(region, inv["InvokeId"], iid)
        self.assert_app_consistent_group(region, group_id, iid)

    def test_09_bad_credentials(self):
        bad = EcsClient(tea_config(secret="not-the-secret"))
        with self.assertRaises(tea_exceptions.ClientException) as e:
            bad.describe_regions(ecs_models.DescribeRegionsRequest())
        self.assertEqual(e.exception.code, "SignatureDoesNotMatch")
        self.assertEqual(e.exception.status_code, 400)

        unknown = StsClient(tea_config(ak_id="LTAI5tNoSuchKey000000000"))
        with self.assertRaises(tea_exceptions.ClientException) as e:
            unknown.get_caller_identity()
        self.assertEqual(e.exception.code, "InvalidAccessKeyId.NotFound")

    def test_10_unknown_instance_is_typed_error(self):
        with self.assertRaises(tea_exceptions.ClientException) as e:
            self.ecs.attach_instance_ram_role(ecs_models.AttachInstanceRamRoleRequest(
                region_id="cn-hangzhou", ram_role_name=ROLE,
                instance_ids=json.dumps(["i-doesnotexist000000"])))
        self.assertEqual(e.exception.code, "InvalidInstanceId.NotFound")
        self.assertEqual(e.exception.status_code, 404)


# ---------------------------------------------------------------- legacy core (RPC v1)

class LegacySdk(unittest.TestCase):
    """aliyun-python-sdk-core AcsClient + aliyun-python-sdk-ecs request classes (RPC v1)."""

    @classmethod
    def setUpClass(cls):
        # The legacy SDK's way to pick a region: one AcsClient per region (it signs
        # RegionId from the client); the endpoint is set on each request.
        cls.clients = {}

    def client(self, region="cn-hangzhou"):
        if region not in self.clients:
            self.clients[region] = AcsClient(AK_ID, AK_SECRET, region, auto_retry=False)
        return self.clients[region]

    def call(self, request, client=None):
        request.set_endpoint(ENDPOINT)
        request.set_protocol_type("http")
        request.set_accept_format("JSON")
        return json.loads((client or self.client()).do_action_with_exception(request))

    def common(self, product, version, action, params=None, client=None, method="POST"):
        req = CommonRequest(domain=ENDPOINT, version=version, action_name=action, product=product)
        req.set_method(method)
        for k, v in (params or {}).items():
            req.add_query_param(k, v)
        return self.call(req, client)

    def ecs(self, cls, region="cn-hangzhou", **setters):
        req = cls()
        for name, value in setters.items():
            getattr(req, "set_" + name)(value)
        return self.call(req, self.client(region))

    def instance_id(self, region, name):
        r = self.ecs(DescribeInstancesRequest.DescribeInstancesRequest, region, InstanceName=name)
        self.assertEqual(len(r["Instances"]["Instance"]), 1, name)
        return r["Instances"]["Instance"][0]["InstanceId"]

    def test_01_sts_get_caller_identity(self):
        r = self.common("Sts", "2015-04-01", "GetCallerIdentity")
        self.assertEqual(r["AccountId"], "1688000000000001")
        self.assertTrue(r["Arn"].startswith("acs:ram::1688000000000001:user/"))

    def test_02_describe_regions(self):
        r = self.ecs(DescribeRegionsRequest.DescribeRegionsRequest)
        self.assertIn("cn-beijing", [x["RegionId"] for x in r["Regions"]["Region"]])
        # The same as a GET with everything in the query string.
        g = self.common("Ecs", "2014-05-26", "DescribeRegions", method="GET")
        self.assertEqual(g["Regions"], r["Regions"])

    def test_03_describe_instances_paging(self):
        seen, page, total = [], 1, None
        while True:
            r = self.ecs(DescribeInstancesRequest.DescribeInstancesRequest, "cn-shanghai",
                         PageNumber=page, PageSize=2)
            total = r["TotalCount"]
            batch = [i["InstanceId"] for i in r["Instances"]["Instance"]]
            if not batch:
                break
            seen += batch
            page += 1
        self.assertGreaterEqual(total, 5)
        self.assertEqual(len(seen), total)
        self.assertEqual(len(set(seen)), total)

    def test_04_describe_disks(self):
        iid = self.instance_id("cn-shanghai", "many-disks-centos79")
        r = self.ecs(DescribeDisksRequest.DescribeDisksRequest, "cn-shanghai",
                     InstanceId=iid, PageSize=100)
        self.assertEqual(len(r["Disks"]["Disk"]), 17)
        self.assertEqual(r["TotalCount"], 17)

    def test_05_cloud_assistant_status(self):
        iid = self.instance_id("cn-hangzhou", "agent-offline-alinux3")
        r = self.ecs(DescribeCloudAssistantStatusRequest.DescribeCloudAssistantStatusRequest,
                     InstanceIds=[iid])
        s = r["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]
        self.assertEqual((s["InstanceId"], s["CloudAssistantStatus"]), (iid, "false"))

    def test_06_ram_role_and_policy(self):
        ram = lambda action, **p: self.common("Ram", "2015-05-01", action, p)  # noqa: E731
        r = ram("CreateRole", RoleName=LEGACY_ROLE, AssumeRolePolicyDocument=TRUST)
        self.assertEqual(r["Role"]["RoleName"], LEGACY_ROLE)
        self.assertEqual(ram("GetRole", RoleName=LEGACY_ROLE)["Role"]["RoleName"], LEGACY_ROLE)
        with self.assertRaises(LegacyServerException) as e:
            ram("CreateRole", RoleName=LEGACY_ROLE, AssumeRolePolicyDocument=TRUST)
        self.assertEqual(e.exception.get_error_code(), "EntityAlreadyExists.Role")
        self.assertEqual(e.exception.get_http_status(), 409)
        ram("CreatePolicy", PolicyName=LEGACY_POLICY, PolicyDocument=POLICY_DOC)
        ram("AttachPolicyToRole", PolicyType="Custom", PolicyName=LEGACY_POLICY,
            RoleName=LEGACY_ROLE)

    def test_07_app_consistent_via_public_command(self):
        region = "cn-beijing"
        iid = self.instance_id(region, "bj-centos79-api")
        r = self.ecs(AttachInstanceRamRoleRequest.AttachInstanceRamRoleRequest, region,
                     RamRoleName=LEGACY_ROLE, InstanceIds=json.dumps([iid]))
        self.assertTrue(r["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"][0]["Success"])

        for name, content in (("prescript.sh", PRESCRIPT), ("postscript.sh", POSTSCRIPT)):
            r = self.ecs(SendFileRequest.SendFileRequest, region, InstanceIds=[iid], Name=name,
                         TargetDir="/tmp", Content=content, FileOwner="root", FileGroup="root",
                         FileMode="0700", Overwrite=True)
            fid = r["InvokeId"]

            def sent():
                res = self.ecs(DescribeSendFileResultsRequest.DescribeSendFileResultsRequest,
                               region, InvokeId=fid)
                inv = res["Invocations"]["Invocation"][0]
                return inv if inv["InvocationStatus"] in FINISHED else None
            self.assertEqual(wait_for(name, sent)["InvocationStatus"], "Success")

        cmds = self.ecs(DescribeCommandsRequest.DescribeCommandsRequest, region,
                        Provider="AlibabaCloud", PageSize=50)["Commands"]["Command"]
        linux = [c["Name"] for c in cmds
                 if c["Type"] == "RunShellScript" and "AppConsistent" in c["Name"]]
        self.assertEqual(len(linux), 1)
        inv = self.ecs(InvokeCommandRequest.InvokeCommandRequest, region, CommandId=linux[0],
                       InstanceIds=[iid], Parameters=json.dumps({"RamRoleName": LEGACY_ROLE}))
        invoke_id = inv["InvokeId"]

        def done():
            r = self.ecs(DescribeInvocationsRequest.DescribeInvocationsRequest, region,
                         InvokeId=invoke_id)
            i = r["Invocations"]["Invocation"][0]
            return i if i["InvocationStatus"] in FINISHED else None
        self.assertEqual(wait_for("invocation", done)["InvocationStatus"], "Success")
        res = self.ecs(DescribeInvocationResultsRequest.DescribeInvocationResultsRequest, region,
                       InvokeId=invoke_id)
        result = res["Invocation"]["InvocationResults"]["InvocationResult"][0]
        output = base64.b64decode(result["Output"]).decode()
        self.assertEqual(result["ExitCode"], 0, output)
        group_id = output.strip().splitlines()[-1].strip()
        self.assertRegex(group_id, r"^ssg-", output)

        def accomplished():
            r = self.ecs(DescribeSnapshotGroupsRequest.DescribeSnapshotGroupsRequest, region,
                         SnapshotGroupIds=[group_id])
            g = r["SnapshotGroups"]["SnapshotGroup"]
            return g[0] if g and g[0]["Status"] == "accomplished" else None
        group = wait_for("snapshot group", accomplished)
        ids = [s["SnapshotId"] for s in group["Snapshots"]["Snapshot"]]
        snaps = self.ecs(DescribeSnapshotsRequest.DescribeSnapshotsRequest, region,
                         SnapshotIds=json.dumps(ids))["Snapshots"]["Snapshot"]
        self.assertEqual(len(snaps), len(ids))
        for s in snaps:
            self.assertEqual(tags_of(s).get("APPConsistent"), "True", s)

    def test_08_bad_credentials(self):
        bad = AcsClient(AK_ID, "not-the-secret", "cn-hangzhou", auto_retry=False)
        with self.assertRaises(LegacyServerException) as e:
            req = DescribeRegionsRequest.DescribeRegionsRequest()
            self.call(req, bad)
        # The server answers SignatureDoesNotMatch with its string-to-sign in the message
        # (as Alibaba does); this SDK compares it with its own and, when they are equal,
        # reports InvalidAccessKeySecret. So this code also proves both sides computed the
        # same v1 string-to-sign.
        self.assertEqual(e.exception.get_http_status(), 400)
        self.assertEqual(e.exception.get_error_code(), "InvalidAccessKeySecret",
                         e.exception.get_error_msg())
        unknown = AcsClient("LTAI5tNoSuchKey000000000", AK_SECRET, "cn-hangzhou", auto_retry=False)
        with self.assertRaises(LegacyServerException) as e:
            self.common("Sts", "2015-04-01", "GetCallerIdentity", client=unknown)
        self.assertEqual(e.exception.get_error_code(), "InvalidAccessKeyId.NotFound")


if __name__ == "__main__":
    unittest.main(verbosity=2)
