// An existing role or policy whose document differs: expected beside actual, the
// differences by JSON path, what the existing one grants, and "use it anyway" — offered
// only when the engine's evaluation says it grants everything needed.
import { Alert, Checkbox, Col, Row, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { PlanStep } from "../../bindings/PlanStep";
import { JsonBlock } from "./JsonBlock";

interface Props {
  step: PlanStep;
  useAnyway: boolean;
  onUseAnyway: (value: boolean) => void;
}

const show = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v));

export function ConflictDiff({ step, useAnyway, onUseAnyway }: Props) {
  const { t } = useTranslation();
  const diff = step.diff;
  if (!diff) return null;
  const sufficient = step.evaluation?.sufficient === true;
  return (
    <div className="ram-diff" data-testid={`ram-diff-${step.id}`}>
      <Row gutter={12}>
        <Col span={12}>
          <Typography.Text strong>{t("ram.review.expected")}</Typography.Text>
          <JsonBlock text={diff.expected} testId={`ram-diff-expected-${step.id}`} />
        </Col>
        <Col span={12}>
          <Typography.Text strong>{t("ram.review.actual")}</Typography.Text>
          <JsonBlock text={diff.actual} testId={`ram-diff-actual-${step.id}`} />
        </Col>
      </Row>
      <Typography.Text strong>{t("ram.review.changes")}</Typography.Text>
      <ul className="ram-rows">
        {diff.changes.map((c) => (
          <li key={`${c.path}-${c.change}`} data-testid="ram-diff-change" data-path={c.path} data-change={c.change}>
            <Typography.Text code>{c.path}</Typography.Text> <Tag>{c.change}</Tag> {show(c.expected)} → {show(c.actual)}
          </li>
        ))}
      </ul>
      {step.evaluation ? (
        <>
          <Typography.Text strong>{t("ram.review.findings")}</Typography.Text>
          <ul className="ram-rows">
            {step.evaluation.findings.map((f) => (
              <li key={f.subject} data-testid="ram-finding" data-holds={String(f.holds)}>
                <Tag color={f.holds ? "success" : "error"}>{f.subject}</Tag> {f.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Checkbox
        checked={useAnyway && sufficient}
        disabled={!sufficient}
        onChange={(e) => onUseAnyway(e.target.checked)}
      >
        <span data-testid={`ram-use-anyway-${step.id}`} data-enabled={String(sufficient)}>
          {t("ram.review.useAnyway")}
        </span>
      </Checkbox>
      <Alert
        type={sufficient ? "info" : "warning"}
        showIcon
        title={sufficient ? t("ram.review.useAnywayOk") : t("ram.review.useAnywayRefused")}
      />
    </div>
  );
}
