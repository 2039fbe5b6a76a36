// Renders one cell output per kind. Every renderer sets a data-testid of output-<kind>.
import { el, formatValue } from "./dom.js";
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
} from "./types.js";

export function renderOutput(output: CellOutput): HTMLElement {
  switch (output.kind) {
    case "table":
      return renderTable(output);
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

function renderTable(out: TableOutput): HTMLElement {
  const shown = out.rows.length;
  const meta =
    shown < out.totalRows
      ? `${plural(out.totalRows, "row")} (showing first ${shown.toLocaleString()})`
      : plural(out.totalRows, "row");
  return el(
    "div",
    { class: "output output-table", "data-testid": "output-table" },
    el("div", { class: "output-meta", "data-testid": "row-count" }, meta),
    out.columns.length ? dataTable(out.columns, out.rows) : el("p", { class: "muted" }, "No columns."),
  );
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
  if (out.items.length === 0) {
    return el("div", { class: "output", "data-testid": "output-hypotheses" }, el("p", { class: "muted" }, "No hypotheses."));
  }
  return el(
    "ol",
    { class: "output output-hypotheses", "data-testid": "output-hypotheses" },
    ...out.items.map((h) =>
      el(
        "li",
        { class: "hypothesis" },
        el("p", { class: "statement" }, h.statement),
        el("p", { class: "evidence" }, h.evidence),
        el(
          "div",
          { class: "check" },
          el("div", { class: "check-head" }, el("span", { class: "label" }, "Check with"), copyButton(h.checkSql, "Copy SQL")),
          el("pre", { class: "sql" }, h.checkSql),
        ),
      ),
    ),
  );
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

function renderError(out: ErrorOutput): HTMLElement {
  return el(
    "div",
    { class: "output output-error", "data-testid": "output-error", role: "alert" },
    el("div", { class: "error-message" }, el("span", { class: "error-kind" }, out.errorKind), out.message),
    out.detail ? el("details", {}, el("summary", {}, "Details"), el("pre", {}, out.detail)) : null,
  );
}
