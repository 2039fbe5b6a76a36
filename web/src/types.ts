// The JSON the workbench server sends: mirrors dev.tracefix.server.run.{NotebookWorkspace,CellOutput}.

export interface NotebookSummary {
  name: string;
  title: string;
  cellCount: number;
}

export interface NotebookView {
  name: string;
  title: string;
  blocks: Block[];
  /** Values the SQL cells run with ($name): front-matter defaults, session values on top. */
  parameters: Record<string, string>;
}

/** Either prose (markdown) or a cell; exactly one of the two is set. */
export interface Block {
  markdown: string | null;
  cell: CellView | null;
}

export interface CellView {
  id: string;
  kind: string;
  name: string | null;
  source: string;
  output: CellOutput | null;
  stale: boolean;
}

export type Value = string | number | boolean | null | object;

export interface TableOutput {
  kind: "table";
  columns: string[];
  rows: Value[][];
  totalRows: number;
}

export interface TextOutput {
  kind: "text";
  text: string;
}

export interface Hypothesis {
  statement: string;
  evidence: string;
  checkSql: string;
}

export interface HypothesesOutput {
  kind: "hypotheses";
  items: Hypothesis[];
}

export interface MinimizedOutput {
  kind: "minimized";
  columns: string[];
  rows: Value[][];
  originalSize: number;
  oracleCalls: number;
  testScaffold: string;
  testPath: string;
  shrunk: string[];
  cacheHitsOnDisk: number;
}

export interface BisectStep {
  commit: string;
  verdict: string;
  exitCode: number;
  role: string;
  votes: string;
}

export interface BisectedOutput {
  kind: "bisected";
  culprit: string;
  subject: string;
  steps: BisectStep[];
  stepCount: number;
  disagreements: string[];
}

export interface Guardrail {
  name: string;
  status: string;
  detail: string;
}

export interface PatchCandidate {
  strategy: string;
  summary: string;
  branch: string;
  passed: boolean;
  guardrails: Guardrail[];
}

export interface PatchedOutput {
  kind: "patched";
  strategy: string;
  branch: string;
  diff: string;
  reproPasses: boolean;
  reviewPassed: boolean;
  log: string;
  candidates: PatchCandidate[];
  accepted: string | null;
  pullRequest: string | null;
}

export interface ErrorOutput {
  kind: "error";
  errorKind: string;
  message: string;
  detail: string;
}

export type CellOutput =
  | TableOutput
  | TextOutput
  | HypothesesOutput
  | MinimizedOutput
  | BisectedOutput
  | PatchedOutput
  | ErrorOutput;

/** The body of every non-2xx answer from /api. */
export interface ApiErrorBody {
  error: string;
  message: string;
}
