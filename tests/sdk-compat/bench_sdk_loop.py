"""The loop an administrator writes with Alibaba Cloud's official Python SDK (the tea /
V2.0 alibabacloud-ecs20140526 client, ACS3 signatures) to learn, per instance, its disks,
its Cloud Assistant status and its RAM role: list every instance of every region, then
for each one DescribeDisks, DescribeCloudAssistantStatus and DescribeInstanceRamRole,
one call after the other.

Run by `make bench` (crates/appsnap-core/examples/bench_fleet.rs), which starts the
sandbox, injects the latency and sets:
  SANDBOX_ENDPOINT  127.0.0.1:PORT
  SANDBOX_AK_ID / SANDBOX_AK_SECRET  the demo administrator key
  BENCH_SDK_SAMPLE  how many instances get the three per-instance calls (the rest is
                    extrapolated by the caller; 0 = every instance)
Prints one JSON object on stdout: the listing's time and count, the sample's time and
size, and the calls made. Every answer is checked, so a broken loop cannot look fast.
"""

import json
import os
import sys
import time

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi import utils_models as open_api_models

ENDPOINT = os.environ["SANDBOX_ENDPOINT"]
SAMPLE = int(os.environ.get("BENCH_SDK_SAMPLE", "0"))


def client():
    return EcsClient(open_api_models.Config(
        access_key_id=os.environ["SANDBOX_AK_ID"],
        access_key_secret=os.environ["SANDBOX_AK_SECRET"],
        region_id="cn-hangzhou",
        endpoint=ENDPOINT,
        protocol="http",
    ))


def list_everything(ecs):
    """Every instance of every region, as (region, instance id), NextToken pages of 100."""
    regions = ecs.describe_regions(ecs_models.DescribeRegionsRequest()).body.to_map()
    calls = 1
    found = []
    for r in regions["Regions"]["Region"]:
        region, token = r["RegionId"], None
        while True:
            page = ecs.describe_instances(ecs_models.DescribeInstancesRequest(
                region_id=region, max_results=100, next_token=token)).body.to_map()
            calls += 1
            found += [(region, i["InstanceId"]) for i in page["Instances"]["Instance"]]
            token = page.get("NextToken")
            if not token:
                break
    return found, calls


def facts_of(ecs, region, instance_id):
    disks = ecs.describe_disks(ecs_models.DescribeDisksRequest(
        region_id=region, instance_id=instance_id)).body.to_map()["Disks"]["Disk"]
    assert disks and all(d["InstanceId"] == instance_id for d in disks), (instance_id, disks)
    agent = ecs.describe_cloud_assistant_status(ecs_models.DescribeCloudAssistantStatusRequest(
        region_id=region, instance_id=[instance_id])).body.to_map()
    statuses = agent["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"]
    assert [s["InstanceId"] for s in statuses] == [instance_id], (instance_id, agent)
    role = ecs.describe_instance_ram_role(ecs_models.DescribeInstanceRamRoleRequest(
        region_id=region, instance_ids=json.dumps([instance_id]))).body.to_map()
    assert "InstanceRamRoleSets" in role, (instance_id, role)
    return len(disks)


def main():
    ecs = client()
    started = time.monotonic()
    instances, listing_calls = list_everything(ecs)
    listing_s = time.monotonic() - started
    # An even spread over the listing, so every region is in the sample.
    n = len(instances) if SAMPLE <= 0 else min(SAMPLE, len(instances))
    step = len(instances) / n if n else 1
    sample = [instances[int(k * step)] for k in range(n)]
    started = time.monotonic()
    disks = sum(facts_of(ecs, region, iid) for region, iid in sample)
    sample_s = time.monotonic() - started
    json.dump({
        "listed": len(instances),
        "listing_s": listing_s,
        "listing_calls": listing_calls,
        "sample": len(sample),
        "sample_regions": len({r for r, _ in sample}),
        "sample_s": sample_s,
        "sample_calls": 3 * len(sample),
        "sample_disks": disks,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
