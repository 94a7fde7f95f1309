// A screen that a later version fills: it says what it will do, and shows no data.
import { Card, Result, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { PageHeader } from "./PageHeader";
import type { ScreenKey } from "../app/routes";
import { SCREEN_ICONS } from "../app/icons";

type PlannedKey = Exclude<ScreenKey, "settings">;

export function PlannedScreen({ screen }: { screen: PlannedKey }) {
  const { t } = useTranslation();
  const Icon = SCREEN_ICONS[screen];
  return (
    <>
      <PageHeader title={t(`nav.${screen}`)} />
      <Card className="planned-card" data-testid="planned-screen">
        <Result
          icon={<Icon className="planned-icon" aria-hidden />}
          title={t("planned.title")}
          subTitle={
            <Typography.Paragraph className="planned-description">
              {t(`screens.${screen}.description`)}
            </Typography.Paragraph>
          }
          extra={<Typography.Text type="secondary">{t("planned.note")}</Typography.Text>}
        />
      </Card>
    </>
  );
}
