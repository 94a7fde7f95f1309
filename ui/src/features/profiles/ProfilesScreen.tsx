// The Profiles screen: the built-in Sandbox first, then the stored profiles; use, test
// connection, edit and remove per row; add and import above the list.
import { CheckCircleFilled, CloudServerOutlined, ImportOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { ButtonProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { ProfileEntry } from "../../bindings/ProfileEntry";
import type { ProfileListing } from "../../bindings/ProfileListing";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PageHeader } from "../../components/PageHeader";
import { toAppError } from "../../ipc";
import { ImportDialog } from "./ImportDialog";
import { ProfileForm } from "./ProfileForm";
import { TestResult } from "./TestResult";
import { useProfileListing, useSwitchProfile } from "./useProfiles";

/** One row: the Sandbox (no stored settings) or a stored profile. */
interface Row {
  name: string;
  entry?: ProfileEntry;
}

type Dialog = { kind: "add" } | { kind: "edit"; entry: ProfileEntry } | { kind: "import" } | null;

export function ProfilesScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const listing = useProfileListing();
  const switching = useSwitchProfile();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tested, setTested] = useState<string>();
  const remove = useMutation<ProfileListing, AppError, string>({
    mutationFn: (name) => backend.profileRemove({ name }).catch((e) => Promise.reject(toAppError(e))),
    onSuccess: async (after, name) => {
      client.setQueryData(queryKeys.profiles, after);
      client.removeQueries({ queryKey: queryKeys.identity(name) });
      if (tested === name) setTested(undefined);
      // A removed current profile falls back to the Sandbox: everything follows.
      await client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.identity("")[0] });
    },
  });

  const data = listing.data;
  const rows: Row[] = data ? [{ name: data.sandbox }, ...data.profiles.map((entry) => ({ name: entry.profile.name, entry }))] : [];
  const test = (name: string) => {
    setTested(name);
    void client.invalidateQueries({ queryKey: queryKeys.identity(name) });
  };

  return (
    <section data-testid="profiles-screen">
      <PageHeader
        title={t("nav.profiles")}
        description={t("screens.profiles.description")}
        extra={
          <Space>
            <Button icon={<ImportOutlined />} data-testid="profile-import-open" onClick={() => setDialog({ kind: "import" })}>
              {t("profiles.import")}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} data-testid="profile-add" onClick={() => setDialog({ kind: "add" })}>
              {t("profiles.add")}
            </Button>
          </Space>
        }
      />
      {listing.error ? <ErrorAlert error={listing.error} context={t("profiles.listFailed")} /> : null}
      {switching.error ? <ErrorAlert error={switching.error} context={t("profiles.switchFailed")} /> : null}
      {remove.error ? <ErrorAlert error={remove.error} context={t("profiles.removeFailed")} /> : null}
      <Card size="small">
        <Table<Row>
          rowKey="name"
          size="middle"
          loading={listing.isLoading}
          pagination={false}
          dataSource={rows}
          onRow={(row) =>
            ({
              "data-testid": `profile-row-${row.name}`,
              "data-current": String(row.name === data?.current),
            }) as object
          }
          columns={[
            {
              key: "name",
              title: t("profiles.columns.name"),
              render: (_, row) => (
                <Space direction="vertical" size={0}>
                  <Space size="small">
                    {row.entry ? null : <CloudServerOutlined aria-hidden />}
                    <Typography.Text strong>{row.name}</Typography.Text>
                    {row.name === data?.current ? (
                      <Tag color="blue" icon={<CheckCircleFilled />} data-testid="profile-current">
                        {t("profiles.current")}
                      </Tag>
                    ) : null}
                  </Space>
                  {row.entry ? null : (
                    <Typography.Text type="secondary" data-testid="profile-sandbox-note">
                      {t("profiles.sandboxNote")}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              key: "kind",
              title: t("profiles.columns.kind"),
              render: (_, row) => (
                <Tag data-testid={`profile-kind-tag-${row.name}`}>
                  {row.entry ? t(`profiles.kind.${row.entry.profile.kind?.type ?? "accessKey"}`) : t("profiles.kind.sandbox")}
                </Tag>
              ),
            },
            {
              key: "key",
              title: t("profiles.columns.key"),
              render: (_, row) => {
                const key = row.entry?.key;
                if (!key) return "—";
                if (key.state === "stored") return <Typography.Text code>{key.accessKeyId}</Typography.Text>;
                return (
                  <Typography.Text type="warning">
                    {key.state === "missing" ? t("profiles.keyMissing") : t("profiles.keyUnavailable")}
                  </Typography.Text>
                );
              },
            },
            {
              key: "region",
              title: t("profiles.columns.region"),
              render: (_, row) => row.entry?.profile.region ?? (row.entry ? t("profiles.defaultRegion") : "—"),
            },
            {
              key: "endpoint",
              title: t("profiles.columns.endpoint"),
              render: (_, row) =>
                row.entry ? (row.entry.profile.endpoint ?? t("profiles.defaultEndpoint")) : "127.0.0.1",
            },
            {
              key: "actions",
              title: t("profiles.columns.actions"),
              render: (_, row) => (
                <Space size={4} wrap>
                  <Button
                    size="small"
                    type="link"
                    data-testid={`profile-use-${row.name}`}
                    disabled={row.name === data?.current}
                    loading={switching.isPending && switching.variables === row.name}
                    onClick={() => switching.mutate(row.name)}
                  >
                    {t("profiles.use")}
                  </Button>
                  <Button size="small" type="link" data-testid={`profile-test-${row.name}`} onClick={() => test(row.name)}>
                    {t("profiles.test")}
                  </Button>
                  {row.entry ? (
                    <>
                      <Button
                        size="small"
                        type="link"
                        data-testid={`profile-edit-${row.name}`}
                        onClick={() => setDialog({ kind: "edit", entry: row.entry! })}
                      >
                        {t("profiles.edit")}
                      </Button>
                      <Popconfirm
                        title={t("profiles.removeConfirm", { name: row.name })}
                        okText={t("profiles.removeOk")}
                        cancelText={t("profiles.cancel")}
                        okButtonProps={{ danger: true, "data-testid": "profile-remove-confirm" } as ButtonProps}
                        onConfirm={() => remove.mutate(row.name)}
                      >
                        <Button size="small" type="link" danger data-testid={`profile-remove-${row.name}`}>
                          {t("profiles.remove")}
                        </Button>
                      </Popconfirm>
                    </>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {tested ? (
        <Card size="small" className="profile-test-card">
          <TestResult name={tested} />
        </Card>
      ) : null}
      {dialog?.kind === "add" || dialog?.kind === "edit" ? (
        <ProfileForm
          editing={dialog.kind === "edit" ? dialog.entry : undefined}
          sandboxName={data?.sandbox ?? ""}
          onClose={() => setDialog(null)}
          onSaved={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === "import" ? <ImportDialog onClose={() => setDialog(null)} onImported={() => setDialog(null)} /> : null}
    </section>
  );
}
