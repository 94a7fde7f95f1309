// Add or edit a profile. Checks every field before sending (the backend checks again);
// the secret fields start empty, are never filled from the backend, and are gone once
// the dialog closes (it unmounts).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Form, Input, InputNumber, Modal, Radio } from "antd";
import type { ButtonProps } from "antd";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { ProfileEntry } from "../../bindings/ProfileEntry";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";
import {
  DURATION_MAX,
  DURATION_MIN,
  EMPTY_FORM,
  formFromProfile,
  KIND_TYPES,
  toProfileInput,
  validateProfileForm,
  type FieldErrors,
  type FieldName,
  type ProfileFormValues,
} from "./validation";

interface Props {
  /** The profile being edited; absent when adding. */
  editing?: ProfileEntry;
  sandboxName: string;
  onClose(): void;
  onSaved(entry: ProfileEntry): void;
}

export function ProfileForm({ editing, sandboxName, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const adding = editing === undefined;
  const [values, setValues] = useState<ProfileFormValues>(editing ? formFromProfile(editing.profile) : EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const previousKind = editing ? (editing.profile.kind?.type ?? "accessKey") : undefined;

  const save = useMutation<ProfileEntry, AppError, ProfileFormValues>({
    mutationFn: (v) => {
      const input = toProfileInput(v);
      const call = adding ? backend.profileAdd({ input }) : backend.profileUpdate({ input });
      return call.catch((e) => Promise.reject(toAppError(e)));
    },
    onSuccess: async (entry) => {
      // The secret leaves the form's state as soon as it is saved.
      setValues((v) => ({ ...v, accessKeyId: "", accessKeySecret: "", securityToken: "" }));
      client.removeQueries({ queryKey: queryKeys.identity(entry.profile.name) });
      await client.invalidateQueries({ queryKey: queryKeys.profiles });
      onSaved(entry);
    },
  });

  const set = (field: FieldName) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const submit = () => {
    const found = validateProfileForm(values, { adding, sandboxName, previousKind });
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    save.mutate(values);
  };
  const item = (field: FieldName, label: ReactNode, control: ReactNode, help?: ReactNode) => (
    <Form.Item
      label={label}
      validateStatus={errors[field] ? "error" : undefined}
      help={
        errors[field] ? (
          <span data-testid={`profile-error-${field}`}>{t(`profiles.form.errors.${errors[field]}` as "profiles.form.errors.name")}</span>
        ) : (
          help
        )
      }
    >
      {control}
    </Form.Item>
  );
  const text = (field: FieldName, testId: string, secret = false) => {
    const Control = secret ? Input.Password : Input;
    return (
      <Control
        data-testid={testId}
        value={values[field]}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => set(field)(e.target.value)}
      />
    );
  };

  return (
    <Modal
      open
      destroyOnHidden
      title={adding ? t("profiles.form.addTitle") : t("profiles.form.editTitle", { name: editing.profile.name })}
      okText={t("profiles.form.save")}
      cancelText={t("profiles.form.cancel")}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ "data-testid": "profile-form-save" } as ButtonProps}
      width={620}
    >
      <Form layout="vertical" data-testid="profile-form" onFinish={submit}>
        {item("name", t("profiles.form.name"), <Input data-testid="profile-name" value={values.name} disabled={!adding} onChange={(e) => set("name")(e.target.value)} />, t("profiles.form.nameHelp"))}
        {item(
          "kind",
          t("profiles.form.kind"),
          <Radio.Group value={values.kind} onChange={(e) => set("kind")(e.target.value)}>
            {KIND_TYPES.map((k) => (
              <Radio.Button key={k} value={k} data-testid={`profile-kind-${k}`}>
                {t(`profiles.kind.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>,
        )}
        {item("accessKeyId", t("profiles.form.accessKeyId"), text("accessKeyId", "profile-access-key-id"))}
        {item(
          "accessKeySecret",
          t("profiles.form.accessKeySecret"),
          text("accessKeySecret", "profile-access-key-secret", true),
          adding ? t("profiles.form.secretHelp") : t("profiles.form.keepSecret"),
        )}
        {values.kind === "stsToken"
          ? item("securityToken", t("profiles.form.securityToken"), text("securityToken", "profile-security-token", true))
          : null}
        {values.kind === "ramRoleArn" ? (
          <>
            {item("roleArn", t("profiles.form.roleArn"), text("roleArn", "profile-role-arn"), t("profiles.form.roleArnHelp"))}
            {item("roleSessionName", t("profiles.form.roleSessionName"), text("roleSessionName", "profile-role-session-name"))}
            {item(
              "durationSeconds",
              t("profiles.form.durationSeconds"),
              <InputNumber
                data-testid="profile-duration"
                min={DURATION_MIN}
                max={DURATION_MAX}
                step={900}
                value={values.durationSeconds === "" ? null : Number(values.durationSeconds)}
                onChange={(n) => set("durationSeconds")(n === null ? "" : String(n))}
              />,
            )}
          </>
        ) : null}
        {item("region", t("profiles.form.region"), text("region", "profile-region"), t("profiles.form.regionHelp"))}
        {item(
          "network",
          t("profiles.form.network"),
          <Radio.Group value={values.network} onChange={(e) => set("network")(e.target.value)}>
            <Radio value="public" data-testid="profile-network-public">
              {t("profiles.form.networkPublic")}
            </Radio>
            <Radio value="vpc" data-testid="profile-network-vpc">
              {t("profiles.form.networkVpc")}
            </Radio>
          </Radio.Group>,
        )}
        {item("endpoint", t("profiles.form.endpoint"), text("endpoint", "profile-endpoint"), t("profiles.form.endpointHelp"))}
        {item(
          "signature",
          t("profiles.form.signature"),
          <Radio.Group value={values.signature} onChange={(e) => set("signature")(e.target.value)}>
            <Radio value="acs3" data-testid="profile-signature-acs3">
              ACS3-HMAC-SHA256
            </Radio>
            <Radio value="v1" data-testid="profile-signature-v1">
              HMAC-SHA1 (v1)
            </Radio>
          </Radio.Group>,
        )}
        {save.error ? <ErrorAlert error={save.error} context={t("profiles.form.saveFailed")} /> : null}
        {Object.values(errors).some(Boolean) ? <Alert type="warning" showIcon data-testid="profile-form-invalid" title={t("profiles.form.saveFailed")} /> : null}
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
