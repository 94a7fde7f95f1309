// Import from the aliyun CLI: its profiles (never their secrets), pick which; the backend
// copies their secrets into the keyring.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Checkbox, Modal, Space, Table, Typography } from "antd";
import type { ButtonProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../bindings/AppError";
import type { CliImportCandidate } from "../../bindings/CliImportCandidate";
import type { CliImportListing } from "../../bindings/CliImportListing";
import { queryKeys } from "../../app/queryKeys";
import { useBackend } from "../../backend/BackendContext";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toAppError } from "../../ipc";

interface Props {
  onClose(): void;
  onImported(names: string[]): void;
}

export function ImportDialog({ onClose, onImported }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const [chosen, setChosen] = useState<string[]>([]);
  const listing = useQuery<CliImportListing, AppError>({
    queryKey: queryKeys.cliImport,
    queryFn: () => backend.profileImportList().catch((e) => Promise.reject(toAppError(e))),
    retry: false,
    staleTime: 0,
  });
  const run = useMutation<string[], AppError, string[]>({
    mutationFn: (names) => backend.profileImport({ names }).catch((e) => Promise.reject(toAppError(e))),
    onSuccess: async (names) => {
      await client.invalidateQueries({ queryKey: queryKeys.profiles });
      client.removeQueries({ queryKey: queryKeys.cliImport });
      onImported(names);
    },
  });
  const toggle = (name: string, on: boolean) =>
    setChosen((c) => (on ? [...c.filter((n) => n !== name), name] : c.filter((n) => n !== name)));

  return (
    <Modal
      open
      destroyOnHidden
      title={t("profiles.importDialog.title")}
      okText={t("profiles.importDialog.confirm")}
      cancelText={t("profiles.cancel")}
      onOk={() => run.mutate(chosen)}
      onCancel={onClose}
      okButtonProps={{ disabled: chosen.length === 0, "data-testid": "profile-import-confirm" } as ButtonProps}
      confirmLoading={run.isPending}
      width={720}
    >
      <Space direction="vertical" style={{ width: "100%" }} data-testid="profile-import">
        {listing.error ? <ErrorAlert error={listing.error} context={t("profiles.importDialog.listFailed")} /> : null}
        {listing.data ? (
          <>
            <Typography.Text type="secondary">
              {listing.data.found
                ? t("profiles.importDialog.file", { path: listing.data.path })
                : t("profiles.importDialog.notFound", { path: listing.data.path })}
            </Typography.Text>
            {listing.data.found && listing.data.profiles.length === 0 ? <Alert type="info" title={t("profiles.importDialog.empty")} /> : null}
            {listing.data.profiles.length > 0 ? (
              <Table<CliImportCandidate>
                size="small"
                rowKey="name"
                pagination={false}
                dataSource={listing.data.profiles}
                onRow={(p) => ({ "data-testid": `profile-import-row-${p.name}` }) as object}
                columns={[
                  {
                    key: "pick",
                    width: 40,
                    render: (_, p) => (
                      <Checkbox
                        data-testid={`profile-import-pick-${p.name}`}
                        disabled={p.problem !== undefined}
                        checked={chosen.includes(p.name)}
                        onChange={(e) => toggle(p.name, e.target.checked)}
                      />
                    ),
                  },
                  { key: "name", title: t("profiles.columns.name"), dataIndex: "name" },
                  { key: "mode", title: t("profiles.importDialog.mode"), dataIndex: "mode" },
                  { key: "region", title: t("profiles.columns.region"), render: (_, p) => p.region ?? "—" },
                  {
                    key: "key",
                    title: t("profiles.columns.key"),
                    render: (_, p) => (
                      <Space direction="vertical" size={0}>
                        <Typography.Text code>{p.accessKeyId ?? "—"}</Typography.Text>
                        {p.roleArn ? <Typography.Text type="secondary">{p.roleArn}</Typography.Text> : null}
                        {p.problem ? <Typography.Text type="warning" data-testid={`profile-import-problem-${p.name}`}>{p.problem}</Typography.Text> : null}
                      </Space>
                    ),
                  },
                ]}
              />
            ) : null}
            <Typography.Text type="secondary">{t("profiles.importDialog.secretsNote")}</Typography.Text>
          </>
        ) : null}
        {run.error ? <ErrorAlert error={run.error} context={t("profiles.importDialog.failed")} /> : null}
      </Space>
    </Modal>
  );
}
