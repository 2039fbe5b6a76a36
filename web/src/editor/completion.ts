// What the editors complete from: the notebook connection's live catalog (tables, views, named
// results, columns with types, function names) and the saved queries, fetched from the server
// and refreshed after every run, plus the Java cells' helper API.
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";
import type { SQLNamespace } from "@codemirror/lang-sql";
import { call } from "../api.js";
import type { SavedQuery, SqlCatalog } from "../types.js";

export interface CompletionData {
  catalog: SqlCatalog | null;
  queries: SavedQuery[];
}

type Listener = (data: CompletionData) => void;

/** The completion data of one open notebook; editors subscribe and reconfigure on change. */
export class CompletionStore {
  private data: CompletionData = { catalog: null, queries: [] };
  private readonly listeners = new Set<Listener>();

  constructor(private readonly notebook: string) {}

  get current(): CompletionData {
    return this.data;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the catalog again (after a run: named results come and go). Failures keep the old one. */
  async refresh(withQueries = false): Promise<void> {
    const [catalog, queries] = await Promise.all([
      call("GET /api/notebooks/{name}/catalog", { name: this.notebook }).catch(() => this.data.catalog),
      withQueries ? call("GET /api/queries", {}).catch(() => this.data.queries) : Promise.resolve(this.data.queries),
    ]);
    this.data = { catalog, queries };
    this.listeners.forEach((l) => l(this.data));
  }
}

/**
 * The catalog as lang-sql's schema namespace: qualified (store.events, scratch.by_peer) and
 * unqualified, since notebook connections search scratch, then the store.
 */
export function sqlNamespace(catalog: SqlCatalog | null): SQLNamespace {
  const ns: Record<string, SQLNamespace> = {};
  if (!catalog) return ns;
  const bySchema: Record<string, Record<string, SQLNamespace>> = {};
  for (const r of catalog.relations) {
    const columns: Completion[] = r.columns.map((c) => ({ label: c.name, type: "property", detail: c.type }));
    const self: Completion = {
      label: r.name,
      type: r.kind === "result" ? "variable" : "type",
      detail: r.kind === "view" ? "view" : `${r.kind} · ${r.rows.toLocaleString()} rows`,
    };
    const entry: SQLNamespace = { self, children: columns };
    (bySchema[r.schema] ??= {})[r.name] = entry;
    if (!(r.name in ns)) ns[r.name] = entry; // scratch sorts after store but is searched first
    if (r.schema === "scratch") ns[r.name] = entry;
  }
  for (const [schema, tables] of Object.entries(bySchema)) {
    if (!(schema in ns)) ns[schema] = { self: { label: schema, type: "namespace" }, children: tables };
  }
  return ns;
}

/** Function names (DuckDB's and macros) and saved queries, which lang-sql does not know. */
export function sqlExtrasSource(store: CompletionStore): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/[A-Za-z_][\w]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const { catalog, queries } = store.current;
    const options: Completion[] = (catalog?.functions ?? []).map((f) => ({
      label: f,
      type: "function",
      apply: `${f}(`,
      boost: -1,
    }));
    for (const q of queries) {
      options.push({
        label: q.name,
        type: "text",
        detail: "saved query",
        info: q.title,
        // The query's SQL with its default parameters, so the cell runs as the saved query does.
        apply: withParameters(q.sql, q.parameters),
        boost: -2,
      });
    }
    return { from: word.from, options, validFor: /^\w*$/ };
  };
}

/** A saved query's SQL with `$name` parameters replaced by the values given. */
export function withParameters(sqlText: string, values: Record<string, string>): string {
  return sqlText.replace(/\$([A-Za-z_]\w*)/g, (m, name: string) => (name in values ? values[name] : m));
}

const JAVA_HELPERS: Completion[] = [
  { label: "sql", type: "function", apply: 'sql("")', detail: "(String query) → SqlTable", info: "Runs SQL on the notebook's database; rows page in as you read them." },
  { label: "result", type: "function", apply: 'result("")', detail: "(String name) → SqlTable", info: "A named result of a SQL cell, as a table." },
  { label: "show", type: "function", apply: "show(", detail: "(Object value)", info: "Makes a table the cell's output: a SqlTable pages from the server; anything else is printed." },
  { label: "columns", type: "method", apply: "columns()", detail: "SqlTable → List<String>" },
  { label: "size", type: "method", apply: "size()", detail: "SqlTable → int (rows)" },
  { label: "get", type: "method", apply: "get(", detail: "SqlTable → Map<String,Object> (a row)" },
  { label: "truncated", type: "method", apply: "truncated()", detail: "SqlTable → boolean" },
  { label: "stream", type: "method", apply: "stream()", detail: "SqlTable → Stream<Map<String,Object>>" },
  { label: "System.out.println", type: "function", apply: "System.out.println(", detail: "shown as the cell's text output" },
];

/** The Java cells' helper API and the notebook's named results (as result("name")). */
export function javaHelperSource(store: CompletionStore): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const inString = context.matchBefore(/result\("\w*/);
    if (inString) {
      const from = inString.from + 'result("'.length;
      const names = (store.current.catalog?.relations ?? []).filter((r) => r.kind === "result");
      return { from, options: names.map((r) => ({ label: r.name, type: "variable", detail: `${r.rows.toLocaleString()} rows` })) };
    }
    const word = context.matchBefore(/[\w.]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const after = word.text.lastIndexOf(".");
    return { from: after >= 0 ? word.from + after + 1 : word.from, options: JAVA_HELPERS, validFor: /^\w*$/ };
  };
}
