// Step 1 of the wizard: why the RAM role exists, and the role and policy names
// (RAM's name rules checked as you type, and again in Rust).
import { Button, Card, Form, Input, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { DEFAULT_POLICY_NAME, DEFAULT_ROLE_NAME, POLICY_NAME, ROLE_NAME, type RamNames } from "./ramNames";

interface Props {
  names: RamNames;
  onChange: (names: RamNames) => void;
}

export function NamesStep({ names, onChange }: Props) {
  const { t } = useTranslation();
  const roleOk = ROLE_NAME.test(names.roleName);
  const policyOk = POLICY_NAME.test(names.policyName);
  return (
    <Card size="small" data-testid="ram-why">
      <Typography.Paragraph data-testid="ram-why-text">{t("ram.why.text")}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item
          label={t("ram.why.roleName")}
          validateStatus={roleOk ? undefined : "error"}
          help={t("ram.why.roleRule")}
        >
          <Input
            data-testid="ram-role-name"
            aria-invalid={!roleOk}
            value={names.roleName}
            onChange={(e) => onChange({ ...names, roleName: e.target.value })}
          />
        </Form.Item>
        <Form.Item
          label={t("ram.why.policyName")}
          validateStatus={policyOk ? undefined : "error"}
          help={t("ram.why.policyRule")}
        >
          <Input
            data-testid="ram-policy-name"
            aria-invalid={!policyOk}
            value={names.policyName}
            onChange={(e) => onChange({ ...names, policyName: e.target.value })}
          />
        </Form.Item>
        <Button
          data-testid="ram-default-names"
          onClick={() => onChange({ roleName: DEFAULT_ROLE_NAME, policyName: DEFAULT_POLICY_NAME })}
        >
          {t("ram.why.defaults")}
        </Button>
      </Form>
    </Card>
  );
}
