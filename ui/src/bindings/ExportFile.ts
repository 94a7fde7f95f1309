import type { ExportFormat } from "./ExportFormat";
export type ExportFile = { path: string, format: ExportFormat, rows: number, };
