// One instance's checks: status, the reason worded from its key and parameters, and the
// fix button, which runs `fleet_fix` with live progress and then reloads the inventory.
// Another RAM role comes back as a conflict: the user picks extend or replace.
import { Alert, Button, Descriptions, Drawer, List, Space, Tag, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Assessed } from "../../bindings/Assessed";
import type { Check } from "../../bindings/Check";
import type { CheckStatus } from "../../bindings/CheckStatus";
import type { FixAction } from "../../bindings/FixAction";
import type { FixEvent } from "../../bindings/FixEvent";
import type { InstanceResolution } from "../../bindings/InstanceResolution";
import { buildRoute } from "../../app/routes";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useTask } from "../../backend/useTask";
import { CONSISTENCY_COLOR } from "./fleetView";

const STATUS_COLOR: Record<CheckStatus, string> = { pass: "green", fail: "red", warn: "gold", unknown: "default" };

interface Props {
  row?: Assessed;
  onClose(): void;
  /** After a fix ended: the inventory changed. */
  onFixed(): void;
}

export function InstanceDrawer({ row, onClose, onFixed }: Props) {
  const { t } = useTranslation();
  const fix = useTask((b) => b.fleetFix, "fleet-fix");
  const id = row?.instance.instanceId;
  const running = fix.status === "running";

  useEffect(() => {
    if (fix.status === "done") onFixed();
    // Only the end of a run matters, not a new callback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fix.status]);

  const start = (action: FixAction, onConflict?: InstanceResolution) => {
    if (!id) return;
    void fix.start({ request: { action, instanceIds: [id], ...(onConflict ? { onConflict } : {}) } });
  };
  const outcome = fix.result?.outcomes.find((o) => o.instanceId === id);
  const reason = (c: Check) => t(`fleet.reason.${c.reason.key}`, { ...c.reason.params, defaultValue: c.reason.text });

  return (
    <Drawer
      open={row !== undefined}
      onClose={onClose}
      size="large"
      title={row ? t("instances.drawer.title", { name: row.instance.name, id: row.instance.instanceId }) : null}
      rootClassName="instance-drawer"
    >
      {row ? (
        <div data-testid="instance-drawer" data-instance-id={id}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t("instances.col.predicted")}>
              <Tag color={CONSISTENCY_COLOR[row.prediction.consistency]} data-testid="drawer-prediction" data-consistency={row.prediction.consistency}>
                {t(`fleet.consistency.${row.prediction.consistency}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t("instances.col.region")}>{row.instance.regionId}</Descriptions.Item>
            <Descriptions.Item label={t("instances.col.os")}>{row.instance.osNameEn || row.instance.osName}</Descriptions.Item>
            <Descriptions.Item label={t("instances.col.status")}>{row.instance.status}</Descriptions.Item>
          </Descriptions>
          {row.prediction.decidedBy.length ? (
            <Typography.Paragraph data-testid="drawer-decided-by">
              {t("instances.drawer.decidedBy", { checks: row.prediction.decidedBy.map((c) => t(`fleet.check.${c}`)).join(", ") })}
            </Typography.Paragraph>
          ) : null}
          {row.prediction.confirmed ? null : <Typography.Paragraph type="secondary">{t("instances.drawer.unconfirmed")}</Typography.Paragraph>}
          <FixProgress status={fix.status} events={fix.events} />
          {outcome ? (
            <Alert
              data-testid={`fix-outcome-${outcome.instanceId}`}
              data-state={outcome.state}
              type={outcome.state === "done" ? "success" : outcome.state === "failed" ? "error" : "warning"}
              showIcon
              title={t(`fleet.state.${outcome.state}`)}
              description={
                <>
                  <Typography.Paragraph>{outcome.detail}</Typography.Paragraph>
                  {outcome.state === "conflict" ? (
                    <Space>
                      {t("instances.drawer.conflictChoose")}
                      <Button data-testid="fix-conflict-extend" onClick={() => start("AttachRole", "extend")} disabled={running}>
                        {t("instances.drawer.extend")}
                      </Button>
                      <Button danger data-testid="fix-conflict-replace" onClick={() => start("AttachRole", "replace")} disabled={running}>
                        {t("instances.drawer.replace")}
                      </Button>
                    </Space>
                  ) : null}
                </>
              }
            />
          ) : null}
          {fix.status === "failed" && fix.error ? <ErrorAlert error={fix.error} context={t("instances.fixFailed")} /> : null}
          <Typography.Title level={5}>{t("instances.drawer.checks")}</Typography.Title>
          <List<Check>
            size="small"
            dataSource={row.checks}
            rowKey="id"
            renderItem={(c) => (
              <List.Item
                data-testid={`check-${c.id}`}
                data-status={c.status}
                data-reason={c.reason.key}
                extra={
                  c.fix === "PushScripts" ? (
                    // The scripts are pushed from the Scripts screen, with this instance selected.
                    <Button size="small" data-testid={`fix-${c.id}`} data-action={c.fix} href={buildRoute({ screen: "scripts", instanceId: id })} disabled={running}>
                      {t(`fleet.fix.${c.fix}`)}
                    </Button>
                  ) : c.fix ? (
                    <Button
                      size="small"
                      data-testid={`fix-${c.id}`}
                      data-action={c.fix}
                      loading={running}
                      disabled={running}
                      onClick={() => c.fix && start(c.fix)}
                    >
                      {t(`fleet.fix.${c.fix}`)}
                    </Button>
                  ) : null
                }
              >
                <List.Item.Meta
                  title={
                    <Space>
                      <Tag color={STATUS_COLOR[c.status]}>{t(`fleet.status.${c.status}`)}</Tag>
                      {t(`fleet.check.${c.id}`)}
                    </Space>
                  }
                  description={<span data-testid={`check-reason-${c.id}`}>{reason(c)}</span>}
                />
              </List.Item>
            )}
          />
        </div>
      ) : null}
    </Drawer>
  );
}

function FixProgress({ status, events }: { status: string; events: FixEvent[] }) {
  const { t } = useTranslation();
  if (status === "idle") return null;
  const lines = events.flatMap((e): string[] => {
    switch (e.kind) {
      case "sent":
        return [t("fleet.event.sent", { action: e.action, region: e.regionId, count: e.instanceIds.length })];
      case "waiting":
        return [t("fleet.event.waiting", { count: e.pending, attempt: e.attempt })];
      case "ram":
        return "stepId" in e.event ? [t("fleet.event.ram", { event: e.event.event, step: e.event.stepId })] : [];
      case "fleet":
        if (e.event.kind === "regionDone") return [t("fleet.event.region", { region: e.event.regionId })];
        if (e.event.kind === "probeSent") return [t("fleet.event.probe", { region: e.event.regionId })];
        return [];
      case "instanceDone":
        return [];
    }
  });
  return (
    <div data-testid="fix-status" data-status={status} className="fix-status">
      {status === "running" ? <Typography.Text type="secondary">{t("instances.drawer.fixing")}</Typography.Text> : null}
      <ul className="fix-events">
        {lines.map((line, i) => (
          <li key={i} data-testid="fix-event">
            {line}
          </li>
        ))}
      </ul>
    </div>
  );
}
