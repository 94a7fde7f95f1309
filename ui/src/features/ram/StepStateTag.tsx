// A plan step's state as the console colours it: done green, to do blue, conflict
// orange, blocked red.
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { StepState } from "../../bindings/StepState";

const COLOURS: Record<StepState, string> = {
  done: "success",
  todo: "processing",
  conflict: "warning",
  blocked: "error",
};

export function StepStateTag({ state }: { state: StepState }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOURS[state]} data-testid="ram-state-tag" data-state={state}>
      {t(`ram.state.${state}`)}
    </Tag>
  );
}
