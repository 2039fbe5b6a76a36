// Renders one cell output per kind. Every renderer sets a data-testid of output-<kind>.
import { ResultGrid } from "../grid/resultGrid.js";
import { el, formatValue } from "../dom.js";
import type {
  BisectedOutput,
  CellOutput,
  ErrorOutput,
  HypothesesOutput,
  MinimizedOutput,
  PatchCandidate,
  PatchedOutput,
  TableOutput,
  TextOutput,
  Value,
} from "../types.js";

/** Where an output sits: the grid pages through the cell's result when the server keeps it. */
export interface OutputPlace {
  notebook: string;
  cellId: string;
  /** SQL cells' results are kept server-side and page; other tables are whole. */
  paged: boolean;
}

/** The built-in renderer of each output kind (views may take over a kind: shell/registry.ts). */
export function renderOutput(output: CellOutput, place: OutputPlace): HTMLElement {
  switch (output.kind) {
    case "table":
      return renderTable(output, place);
    case "text":
      return renderText(output);
    case "hypotheses":
      return renderHypotheses(output);
    case "minimized":
      return renderMinimized(output);
    case "bisected":
      return renderBisected(output);
    case "patched":
      return renderPatched(output);
    case "error":
      return renderError(output);
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
}

function dataTable(columns: string[], rows: Value[][]): HTMLElement {
  const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)));
  const body = rows.map((row) =>
    el(
      "tr",
      {},
      ...row.map((v) =>
        el("td", { class: v === null ? "null" : typeof v === "number" ? "num" : undefined }, formatValue(v)),
      ),
    ),
  );
  return el("div", { class: "table-scroll" }, el("table", { class: "data" }, el("thead", {}, head), el("tbody", {}, ...body)));
}

/** A result table as a virtualized grid over the server's pages; attached once in the page. */
function renderTable(out: TableOutput, place: OutputPlace): HTMLElement {
  if (!out.columns.length) {
    return el("div", { class: "output output-table", "data-testid": "output-table" },
      el("div", { class: "output-meta", "data-testid": "row-count" }, plural(out.totalRows, "row")),
      el("p", { class: "muted" }, "No columns."));
  }
  const grid = new ResultGrid({
    notebook: place.notebook,
    cellId: place.cellId,
    columns: out.columns,
    totalRows: place.paged ? out.totalRows : out.rows.length,
    firstRows: out.rows,
    paged: place.paged,
  });
  // Sizes are known once the grid is in the document: attach on the next frame.
  requestAnimationFrame(() => {
    if (grid.root.isConnected) grid.attach();
  });
  return grid.root;
}

function renderText(out: TextOutput): HTMLElement {
  return el("pre", { class: "output output-text", "data-testid": "output-text" }, out.text || "(no output)");
}

function copyButton(text: string, label: string): HTMLButtonElement {
  const button = el("button", { type: "button", class: "small", "data-testid": "copy-sql" }, label);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed";
    }
    setTimeout(() => (button.textContent = label), 1500);
  });
  return button;
}

function renderHypotheses(out: HypothesesOutput): HTMLElement {
  const provenance = renderProvenance(out);
  if (out.items.length === 0) {
    return el("div", { class: "output", "data-testid": "output-hypotheses" }, provenance, el("p", { class: "muted" }, "No hypotheses."));
  }
  return el(
    "div",
    { class: "output output-hypotheses", "data-testid": "output-hypotheses" },
    provenance,
    el(
      "ol",
      {},
      ...out.items.map((h) =>
        el(
          "li",
          { class: "hypothesis" },
          el("p", { class: "statement" }, h.statement),
          el("p", { class: "evidence" }, h.evidence),
          renderVerdict(h),
          el(
            "div",
            { class: "check" },
            el("div", { class: "check-head" }, el("span", { class: "label" }, "Check with"), copyButton(h.checkSql ?? "", "Copy SQL")),
            el("pre", { class: "sql" }, h.checkSql ?? "(no check query)"),
          ),
        ),
      ),
    ),
  );
}

/** Who answered; says so plainly when no model is configured and the analyst answered. */
function renderProvenance(out: HypothesesOutput): HTMLElement {
  const p = out.provenance;
  if (p === null) {
    return el("span", {});
  }
  const who = p.model === null ? `Answered by the ${p.answeredBy}` : `Answered by ${p.provider} ${p.model} (prompt sha256 ${(p.promptSha256 ?? "").slice(0, 12)}, ${p.requests} requests)`;
  return el("p", { class: "muted provenance", "data-testid": "hypotheses-provenance" }, p.note === null ? who + "." : `${who}: ${p.note}.`);
}

/** The workbench's verdict from running the check itself, with the first rows it returned. */
function renderVerdict(h: HypothesesOutput["items"][number]): HTMLElement {
  if (h.check === null) {
    return el("span", {});
  }
  const c = h.check;
  const verdict = el("p", { class: `hypothesis-verdict hv-${c.verdict.replace(/ /g, "-")}`, "data-testid": "hypothesis-verdict" },
    el("span", { class: "label" }, "Verdict (checked by the workbench): "), c.verdict, c.message ? ` — ${c.message}` : "");
  if (c.rows.length === 0) {
    return verdict;
  }
  // The check's rows are a prefix kept in the output itself: a plain table, not a paging grid.
  return el("div", {}, verdict, el("div", { class: "output-meta" }, plural(c.totalRows, "row")), dataTable(c.columns, c.rows));
}

function renderMinimized(out: MinimizedOutput): HTMLElement {
  return el(
    "div",
    { class: "output output-minimized", "data-testid": "output-minimized" },
    el(
      "div",
      { class: "output-meta" },
      `Minimal failing input: ${plural(out.rows.length, "row")} of ${out.originalSize.toLocaleString()} ` +
        `(${plural(out.oracleCalls, "repro run")})`,
    ),
    dataTable(out.columns, out.rows),
    out.shrunk.length
      ? el("ul", { class: "shrunk", "data-testid": "shrunk" }, ...out.shrunk.map((line) => el("li", {}, line)))
      : null,
    el(
      "details",
      {},
      el("summary", {}, `Regression test for ${out.testPath}`),
      el("pre", { class: "code" }, out.testScaffold),
    ),
  );
}

function shortCommit(commit: string): string {
  return commit.length > 12 ? commit.slice(0, 12) : commit;
}

function renderBisected(out: BisectedOutput): HTMLElement {
  const rows = out.steps.map((s) =>
    el(
      "tr",
      {},
      el("td", {}, el("code", { title: s.commit }, shortCommit(s.commit))),
      el("td", {}, el("span", { class: `verdict verdict-${s.verdict}` }, s.verdict)),
      el("td", { class: "num" }, String(s.exitCode)),
      el("td", {}, s.role === "probe" ? "" : s.role),
      el("td", {}, s.votes.includes("of") ? s.votes : ""),
    ),
  );
  return el(
    "div",
    { class: "output output-bisected", "data-testid": "output-bisected" },
    el(
      "div",
      { class: "culprit" },
      el("span", { class: "label" }, "First bad commit"),
      el("code", { "data-testid": "culprit", title: out.culprit }, shortCommit(out.culprit)),
      el("span", { class: "subject" }, out.subject),
      el("span", { class: "label" }, `${plural(out.stepCount, "step")}`),
    ),
    out.disagreements.length
      ? el("div", { class: "output-meta" }, `Runs disagreed on: ${out.disagreements.join("; ")}`)
      : null,
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { class: "data" },
        el(
          "thead",
          {},
          el("tr", {}, el("th", {}, "commit"), el("th", {}, "verdict"), el("th", {}, "exit"), el("th", {}, "role"), el("th", {}, "votes")),
        ),
        el("tbody", {}, ...rows),
      ),
    ),
  );
}

function renderDiff(diff: string): HTMLElement {
  const pre = el("pre", { class: "diff", "data-testid": "diff" });
  for (const line of diff.replace(/\n$/, "").split("\n")) {
    let cls = "ctx";
    if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) cls = "file";
    else if (line.startsWith("@@")) cls = "hunk";
    else if (line.startsWith("+")) cls = "add";
    else if (line.startsWith("-")) cls = "del";
    pre.append(el("span", { class: `diff-line diff-${cls}` }, line + "\n"));
  }
  return pre;
}

function renderPatched(out: PatchedOutput): HTMLElement {
  return el(
    "div",
    { class: "output output-patched", "data-testid": "output-patched" },
    el(
      "div",
      { class: "patch-head" },
      el(
        "span",
        { class: `verdict ${out.reproPasses ? "verdict-good" : "verdict-bad"}`, "data-testid": "patch-verdict" },
        out.reviewPassed ? "passed the review gate" : out.reproPasses ? "repro passes, review gate refused" : "repro still fails",
      ),
      el("span", {}, "strategy ", el("code", {}, out.strategy)),
      el("span", {}, "branch ", el("code", {}, out.branch)),
      out.accepted ? el("span", {}, "accepted ", el("code", { title: out.accepted }, shortCommit(out.accepted))) : null,
    ),
    renderDiff(out.diff),
    renderCandidates(out.candidates),
    out.pullRequest
      ? el("details", {}, el("summary", {}, "Pull-request description"), el("pre", { class: "code" }, out.pullRequest))
      : null,
    out.log ? el("details", {}, el("summary", {}, "Check log"), el("pre", { class: "code" }, out.log)) : null,
  );
}

function renderCandidates(candidates: PatchCandidate[]): HTMLElement | null {
  if (candidates.length === 0) return null;
  const rows = candidates.map((c) =>
    el(
      "tr",
      {},
      el("td", {}, el("code", {}, c.strategy)),
      el("td", {}, c.summary),
      el("td", {}, c.branch ? el("code", {}, c.branch) : "(no branch)"),
      el("td", {}, el("span", { class: `verdict ${c.passed ? "verdict-good" : "verdict-bad"}` }, c.passed ? "passed" : "refused")),
      el("td", {}, c.guardrails.filter((g) => g.status !== "pass").map((g) => `${g.name}: ${g.status}${g.detail ? " (" + g.detail + ")" : ""}`).join("; ")),
    ),
  );
  return el(
    "details",
    { "data-testid": "patch-candidates" },
    el("summary", {}, `Candidates and guardrails (${candidates.length})`),
    el(
      "table",
      { class: "data" },
      el("thead", {}, el("tr", {}, el("th", {}, "strategy"), el("th", {}, "candidate"), el("th", {}, "branch"), el("th", {}, "review"), el("th", {}, "not passed"))),
      el("tbody", {}, ...rows),
    ),
  );
}

/** The failing SQL position in DuckDB's message ("LINE 2: ..." then a caret line), if any. */
export function errorPosition(out: ErrorOutput): { line: number; column: number } | null {
  const text = `${out.message}\n${out.detail}`;
  const m = /LINE (\d+): (.*)\n( *)\^/.exec(text);
  if (!m) return null;
  const prefix = `LINE ${m[1]}: `.length;
  return { line: Number(m[1]), column: Math.max(1, m[3].length - prefix + 1) };
}

function renderError(out: ErrorOutput): HTMLElement {
  const position = errorPosition(out);
  return el(
    "div",
    { class: "output output-error", "data-testid": "output-error", role: "alert" },
    el("div", { class: "error-message" }, el("span", { class: "error-kind" }, out.errorKind), out.message),
    position
      ? el("div", { class: "error-position", "data-testid": "error-position" }, `at line ${position.line}, column ${position.column}`)
      : null,
    out.detail ? el("details", {}, el("summary", {}, "Details"), el("pre", {}, out.detail)) : null,
  );
}
