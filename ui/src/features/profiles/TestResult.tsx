// The outcome of "Test connection": the identity (account ID, ARN, identity type) or the
// error with its RequestId and what to do next.
import { Alert, Descriptions, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useIdentity } from "./useProfiles";

export function TestResult({ name }: { name: string }) {
  const { t } = useTranslation();
  const identity = useIdentity(name);
  const state = identity.isFetching ? "running" : identity.error ? "failed" : identity.data ? "ok" : "running";
  return (
    <div data-testid="profile-test-result" data-state={state} data-profile={name} className="profile-test-result">
      {state === "running" ? (
        <Spin size="small">
          <Typography.Text type="secondary">{t("profiles.testing", { name })}</Typography.Text>
        </Spin>
      ) : identity.error ? (
        <ErrorAlert error={identity.error} context={t("profiles.testFailed", { name })} />
      ) : identity.data ? (
        <Alert
          type="success"
          showIcon
          title={t("profiles.testOk", { name })}
          description={
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t("profiles.identity.accountId")}>
                <span data-testid="profile-test-account">{identity.data.accountId}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t("profiles.identity.arn")}>
                <Typography.Text code data-testid="profile-test-arn">
                  {identity.data.arn}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t("profiles.identity.identityType")}>
                <span data-testid="profile-test-type">{identity.data.identityType}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t("profiles.identity.requestId")}>
                <Typography.Text type="secondary">{identity.data.requestId}</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          }
        />
      ) : null}
    </div>
  );
}
