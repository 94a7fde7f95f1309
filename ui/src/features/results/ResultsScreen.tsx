// Snapshot results; `#/results/JOB_ID` opens one run (the job id survives reloads and links).
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import { PlannedScreen } from "../../components/PlannedScreen";

export function ResultsScreen({ jobId }: { jobId?: string }) {
  const { t } = useTranslation();
  return (
    <>
      {jobId ? (
        <Tag className="results-job" data-testid="results-job-id" data-job-id={jobId}>
          {t("results.job", { jobId })}
        </Tag>
      ) : null}
      <PlannedScreen screen="results" />
    </>
  );
}
