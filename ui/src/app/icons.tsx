import {
  CameraOutlined,
  CloudServerOutlined,
  CodeOutlined,
  HistoryOutlined,
  IdcardOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
} from "@ant-design/icons";
import type { ComponentType } from "react";
import type { ScreenKey } from "./routes";

export const SCREEN_ICONS: Record<ScreenKey, ComponentType<{ className?: string; "aria-hidden"?: boolean }>> = {
  profiles: IdcardOutlined,
  ram: SafetyCertificateOutlined,
  instances: CloudServerOutlined,
  scripts: CodeOutlined,
  results: CameraOutlined,
  history: HistoryOutlined,
  settings: SettingOutlined,
};
