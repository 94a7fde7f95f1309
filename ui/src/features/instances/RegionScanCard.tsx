// Counts the current profile's instances region by region, live, with Cancel: the
// `regions_scan` task through `useTask`. `data-status` is read by tests.
import { Alert, Button, Card, Progress, Space, Table, Typography } from "antd";
import type { HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { RegionCount } from "../../bindings/RegionCount";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useTask } from "../../backend/useTask";
import { scanProgress } from "./regionScan";

export function RegionScanCard() {
  const { t } = useTranslation();
  const task = useTask((b) => b.regionsScan, "regions-scan");
  const progress = scanProgress(task.events);
  const running = task.status === "running";

  return (
    <Card
      size="small"
      className="region-scan"
      data-testid="region-scan"
      data-status={task.status}
      title={t("regionScan.title")}
      extra={
        <Space>
          {running ? (
            <Button data-testid="region-scan-cancel" onClick={() => void task.cancel()} loading={task.cancelling}>
              {t("regionScan.cancel")}
            </Button>
          ) : null}
          <Button type="primary" data-testid="region-scan-start" onClick={() => void task.start({})} disabled={running}>
            {task.status === "idle" ? t("regionScan.start") : t("regionScan.again")}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("regionScan.description")}</Typography.Paragraph>
      {progress.total !== undefined ? (
        <div data-testid="region-scan-progress" data-done={progress.counted.length} data-total={progress.total}>
          <Progress
            percent={progress.total === 0 ? 100 : Math.round((progress.counted.length / progress.total) * 100)}
            status={task.status === "failed" ? "exception" : running ? "active" : "normal"}
            format={() => t("regionScan.progress", { done: progress.counted.length, total: progress.total })}
          />
        </div>
      ) : null}
      {task.status === "cancelled" ? (
        <Alert
          type="info"
          showIcon
          data-testid="region-scan-cancelled"
          title={t("regionScan.cancelled", { done: progress.counted.length, total: progress.total ?? 0 })}
        />
      ) : null}
      {task.status === "failed" && task.error ? <ErrorAlert error={task.error} context={t("regionScan.failed")} /> : null}
      {progress.counted.length > 0 ? (
        <Table<RegionCount>
          size="small"
          pagination={false}
          rowKey="regionId"
          dataSource={progress.counted}
          onRow={(r) => ({ "data-testid": `region-row-${r.regionId}` }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: "region", title: t("regionScan.region"), render: (_, r) => `${r.localName} (${r.regionId})` },
            { key: "instances", title: t("regionScan.instances"), dataIndex: "instances", align: "right" },
          ]}
          summary={() =>
            task.status === "done" ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t("regionScan.total")}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <span data-testid="region-scan-total">{progress.instances}</span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      ) : null}
    </Card>
  );
}
