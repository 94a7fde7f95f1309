import { Typography } from "antd";
import type { ReactNode } from "react";

interface Props {
  title: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
}

/** The console-style page heading; the e2e suite reads `page-title`. */
export function PageHeader({ title, description, extra }: Props) {
  return (
    <header className="page-header">
      <div className="page-header-row">
        <Typography.Title level={4} data-testid="page-title" className="page-title" tabIndex={-1}>
          {title}
        </Typography.Title>
        {extra}
      </div>
      {description ? (
        <Typography.Paragraph type="secondary" className="page-description">
          {description}
        </Typography.Paragraph>
      ) : null}
    </header>
  );
}
