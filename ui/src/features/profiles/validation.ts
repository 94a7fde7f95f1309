// The profile form's rules, the same as core's (profiles.rs, profiles/kind.rs): the UI
// checks first for quick feedback, the backend checks again at the IPC boundary.
import type { ProfileInput } from "../../bindings/ProfileInput";
import type { ProfileKind } from "../../bindings/ProfileKind";
import type { ProfileNetwork } from "../../bindings/ProfileNetwork";
import type { ProfileSignature } from "../../bindings/ProfileSignature";

export type KindType = ProfileKind["type"];
export const KIND_TYPES: KindType[] = ["accessKey", "stsToken", "ramRoleArn"];
export const DURATION_MIN = 900;
export const DURATION_MAX = 43200;
export const DEFAULT_DURATION = 3600;

export interface ProfileFormValues {
  name: string;
  kind: KindType;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds: string;
  region: string;
  network: ProfileNetwork;
  endpoint: string;
  signature: ProfileSignature;
}

export type FieldName = keyof ProfileFormValues;
/** Which rule a field breaks: the key of its message under `profiles.form.errors`. */
export type FieldErrors = Partial<Record<FieldName, string>>;

export const EMPTY_FORM: ProfileFormValues = {
  name: "",
  kind: "accessKey",
  accessKeyId: "",
  accessKeySecret: "",
  securityToken: "",
  roleArn: "",
  roleSessionName: "appsnap",
  durationSeconds: String(DEFAULT_DURATION),
  region: "",
  network: "public",
  endpoint: "",
  signature: "acs3",
};

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const REGION = /^[a-z0-9-]{1,64}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;
const ROLE_ARN = /^acs:ram::[0-9]+:role\/[A-Za-z0-9._-]{1,64}$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function endpointOk(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

const token = (s: string, max: number) => s.length >= 1 && s.length <= max && PRINTABLE.test(s);

/**
 * Every broken rule, by field. `adding` needs the secret; when editing, an empty secret
 * keeps the one in the keyring (unless the kind moves into or out of STS token).
 */
export function validateProfileForm(
  v: ProfileFormValues,
  options: { adding: boolean; sandboxName: string; previousKind?: KindType },
): FieldErrors {
  const errors: FieldErrors = {};
  if (!NAME.test(v.name)) errors.name = "name";
  else if (options.adding && v.name.toLowerCase() === options.sandboxName.toLowerCase()) errors.name = "sandboxName";
  if (v.region && !REGION.test(v.region)) errors.region = "region";
  if (v.endpoint && !endpointOk(v.endpoint)) errors.endpoint = "endpoint";
  if (v.kind === "ramRoleArn") {
    if (!ROLE_ARN.test(v.roleArn)) errors.roleArn = "roleArn";
    if (!SESSION_NAME.test(v.roleSessionName)) errors.roleSessionName = "roleSessionName";
    const d = Number(v.durationSeconds);
    if (!/^[0-9]+$/.test(v.durationSeconds) || d < DURATION_MIN || d > DURATION_MAX) errors.durationSeconds = "duration";
  }
  const tokenMoves =
    options.previousKind !== undefined && (options.previousKind === "stsToken") !== (v.kind === "stsToken");
  const secretEntered = v.accessKeyId !== "" || v.accessKeySecret !== "" || v.securityToken !== "";
  if (options.adding || secretEntered || tokenMoves) {
    if (!token(v.accessKeyId, 256)) errors.accessKeyId = "accessKeyId";
    if (!token(v.accessKeySecret, 256)) errors.accessKeySecret = "accessKeySecret";
    if (v.kind === "stsToken" && !token(v.securityToken, 8192)) errors.securityToken = "securityToken";
  }
  return errors;
}

/** What the backend is sent; the secret only when one was entered. */
export function toProfileInput(v: ProfileFormValues): ProfileInput {
  const kind: ProfileKind =
    v.kind === "ramRoleArn"
      ? {
          type: "ramRoleArn",
          roleArn: v.roleArn,
          roleSessionName: v.roleSessionName,
          durationSeconds: Number(v.durationSeconds),
        }
      : { type: v.kind };
  const input: ProfileInput = {
    profile: {
      name: v.name,
      kind,
      region: v.region || undefined,
      signature: v.signature,
      endpoint: v.endpoint || undefined,
      network: v.network,
    },
  };
  if (v.accessKeyId || v.accessKeySecret || v.securityToken) {
    input.secret = {
      accessKeyId: v.accessKeyId,
      accessKeySecret: v.accessKeySecret,
      securityToken: v.kind === "stsToken" ? v.securityToken : undefined,
    };
  }
  return input;
}

/** The form for editing a stored profile: its settings, the secret fields empty. */
export function formFromProfile(profile: ProfileInput["profile"]): ProfileFormValues {
  const kind = profile.kind ?? { type: "accessKey" };
  return {
    ...EMPTY_FORM,
    name: profile.name,
    kind: kind.type,
    roleArn: kind.type === "ramRoleArn" ? kind.roleArn : "",
    roleSessionName: kind.type === "ramRoleArn" ? kind.roleSessionName : EMPTY_FORM.roleSessionName,
    durationSeconds: kind.type === "ramRoleArn" ? String(kind.durationSeconds) : EMPTY_FORM.durationSeconds,
    region: profile.region ?? "",
    network: profile.network,
    endpoint: profile.endpoint ?? "",
    signature: profile.signature,
  };
}
