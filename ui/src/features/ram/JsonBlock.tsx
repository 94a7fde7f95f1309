// A JSON text in a copyable code block; documents are shown pretty-printed but copied
// exactly as they are.
import { Typography } from "antd";

export function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function JsonBlock({ text, testId }: { text: string; testId?: string }) {
  return (
    <Typography.Paragraph className="ram-json" copyable={{ text }} data-testid={testId}>
      <pre>{pretty(text)}</pre>
    </Typography.Paragraph>
  );
}
