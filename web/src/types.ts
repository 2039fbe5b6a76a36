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
  /** What parses but was probably not meant, e.g. a misspelt cell kind ("nb.md:12: ..."). */
  warnings: string[];
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

/** A page of a result the server keeps: rows offset .. offset + rows.length of totalRows. */
export interface ResultPage {
  columns: string[];
  rows: Value[][];
  offset: number;
  totalRows: number;
}

export interface TextOutput {
  kind: "text";
  text: string;
}

export interface Hypothesis {
  statement: string;
  evidence: string;
  /** A read-only query: rows when the hypothesis holds, none when it does not. */
  checkSql: string | null;
  /** The rows it rests on, by key (process_token=..., time=...). */
  evidenceKeys: string[];
  /** The workbench's own run of checkSql; null until it ran. */
  check: Check | null;
}

/** verdict: "supported" (rows came back), "refuted" (none did) or "not checkable". */
export interface Check {
  verdict: string;
  columns: string[];
  rows: Value[][];
  totalRows: number;
  message: string;
}

/** Who answered: "deterministic analyst" or "model", with what, so a rerun is comparable. */
export interface Provenance {
  answeredBy: string;
  provider: string;
  model: string | null;
  promptSha256: string | null;
  requests: number;
  note: string | null;
}

export interface HypothesesOutput {
  kind: "hypotheses";
  items: Hypothesis[];
  provenance: Provenance | null;
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
