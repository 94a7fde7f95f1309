import { describe, expect, it } from "vitest";
import { EMPTY_FORM, formFromProfile, toProfileInput, validateProfileForm, type ProfileFormValues } from "./validation";

const adding = { adding: true, sandboxName: "Sandbox" };
const good: ProfileFormValues = { ...EMPTY_FORM, name: "work", accessKeyId: "LTAI5tExample", accessKeySecret: "s3cr3t" };

describe("profile form rules (the same as core's)", () => {
  it("accepts a complete AccessKey profile and sends its secret", () => {
    expect(validateProfileForm(good, adding)).toEqual({});
    expect(toProfileInput(good)).toEqual({
      profile: { name: "work", kind: { type: "accessKey" }, region: undefined, signature: "acs3", endpoint: undefined, network: "public" },
      secret: { accessKeyId: "LTAI5tExample", accessKeySecret: "s3cr3t", securityToken: undefined },
    });
  });

  it("names each broken rule", () => {
    const v: ProfileFormValues = {
      ...good,
      name: "a b",
      region: "CN Hangzhou",
      endpoint: "http://10.0.0.5:8080",
      kind: "ramRoleArn",
      roleArn: "arn:aws:iam::1:role/r",
      roleSessionName: "a",
      durationSeconds: "60",
      accessKeySecret: "",
    };
    expect(validateProfileForm(v, adding)).toEqual({
      name: "name",
      region: "region",
      endpoint: "endpoint",
      roleArn: "roleArn",
      roleSessionName: "roleSessionName",
      durationSeconds: "duration",
      accessKeySecret: "accessKeySecret",
    });
    expect(validateProfileForm({ ...good, name: "SANDBOX" }, adding)).toEqual({ name: "sandboxName" });
    expect(validateProfileForm({ ...good, kind: "stsToken" }, adding)).toEqual({ securityToken: "securityToken" });
    for (const endpoint of ["https://ecs.example.com", "http://127.0.0.1:41234", "http://localhost:9000"]) {
      expect(validateProfileForm({ ...good, endpoint }, adding), endpoint).toEqual({});
    }
    expect(validateProfileForm({ ...good, endpoint: "https://ecs.example.com/path" }, adding)).toEqual({ endpoint: "endpoint" });
  });

  it("lets an edit keep the saved secret unless the kind moves into or out of STS token", () => {
    const edit = { adding: false, sandboxName: "Sandbox", previousKind: "accessKey" as const };
    const settingsOnly = { ...good, accessKeyId: "", accessKeySecret: "", region: "cn-beijing" };
    expect(validateProfileForm(settingsOnly, edit)).toEqual({});
    expect(toProfileInput(settingsOnly).secret).toBeUndefined();
    expect(validateProfileForm({ ...settingsOnly, kind: "stsToken" }, edit)).toEqual({
      accessKeyId: "accessKeyId",
      accessKeySecret: "accessKeySecret",
      securityToken: "securityToken",
    });
  });

  it("fills an edit form from a stored role profile with empty secret fields", () => {
    const form = formFromProfile({
      name: "ops",
      kind: { type: "ramRoleArn", roleArn: "acs:ram::1:role/r", roleSessionName: "desk", durationSeconds: 7200 },
      signature: "v1",
      network: "vpc",
      region: "cn-shanghai",
    });
    expect(form).toMatchObject({ kind: "ramRoleArn", roleArn: "acs:ram::1:role/r", durationSeconds: "7200", accessKeySecret: "", signature: "v1", network: "vpc" });
  });
});
