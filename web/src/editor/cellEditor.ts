// One CodeMirror 6 editor per cell: SQL (DuckDB dialect, completion from the live catalog),
// Java (helper API completion) or Markdown, with the notebook's run keys and an error-line mark
// for the failing SQL position.
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, completionStatus, startCompletion } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { PostgreSQL, SQLDialect, sql } from "@codemirror/lang-sql";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, Prec, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";
import { type CompletionStore, javaHelperSource, sqlExtrasSource, sqlNamespace } from "./completion.js";

/** DuckDB's words beyond PostgreSQL's, so they highlight and complete as keywords. */
const DUCKDB_KEYWORDS =
  " asof anti semi positional pivot unpivot qualify summarize describe pragma install load attach detach" +
  " macro replace exclude columns struct map list union sample using window filter within ilike glob" +
  " similar try_cast lambda returning";
const DUCKDB_TYPES =
  " hugeint uhugeint utinyint usmallint uinteger ubigint tinyint blob uuid interval timestamptz" +
  " timestamp_s timestamp_ms timestamp_ns varchar struct map list union enum bit";

export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: (PostgreSQL.spec.keywords ?? "") + DUCKDB_KEYWORDS,
  types: (PostgreSQL.spec.types ?? "") + DUCKDB_TYPES,
});

export interface CellKeys {
  /** Shift-Enter: run and move to the next cell. */
  runAndMove(): void;
  /** Ctrl/Cmd-Enter: run in place. */
  runInPlace(): void;
  /** Alt-Enter: run and insert a cell below. */
  runAndInsert(): void;
  /** Esc: leave the editor for command mode. */
  commandMode(): void;
  /** The text changed (to mark the cell unsaved). */
  changed(): void;
  /** Focus left the editor (to save). */
  blurred(): void;
}

const setErrorLine = StateEffect.define<number | null>();
const errorLineMark = Decoration.line({ class: "cm-error-line", attributes: { "data-testid": "error-line" } });

/** The line of the failing SQL position, marked until the text changes or the cell runs again. */
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    if (tr.docChanged) return Decoration.none;
    for (const e of tr.effects) {
      if (e.is(setErrorLine)) {
        if (e.value === null || e.value < 1 || e.value > tr.state.doc.lines) return Decoration.none;
        return Decoration.set([errorLineMark.range(tr.state.doc.line(e.value).from)]);
      }
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export class CellEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();
  private unsubscribe: () => void = () => {};

  constructor(
    parent: HTMLElement,
    readonly kind: string,
    doc: string,
    keys: CellKeys,
    private readonly store: CompletionStore,
  ) {
    const runKeys = Prec.highest(
      keymap.of([
        { key: "Shift-Enter", run: () => (keys.runAndMove(), true) },
        { key: "Mod-Enter", run: () => (keys.runInPlace(), true) },
        { key: "Alt-Enter", run: () => (keys.runAndInsert(), true) },
        // Esc closes an open completion list first (as in JupyterLab), else leaves the editor.
        // It sits here, above completion's own Esc, because that one also claims Esc while a
        // completion is merely pending, with no list on screen.
        { key: "Escape", run: (view) => (completionStatus(view.state) === "active" ? false : (keys.commandMode(), true)) },
      ]),
    );
    const extensions: Extension[] = [
      runKeys,
      kind === "markdown" ? [] : lineNumbers(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      autocompletion({ activateOnTyping: true, icons: false }),
      keymap.of([...completionKeymap, ...closeBracketsKeymap]),
      keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
      this.language.of(kind === "sql" ? this.languageFor(kind) : []),
      errorLine,
      placeholder(kind === "markdown" ? "Markdown…" : `${kind.toUpperCase()}…`),
      EditorView.lineWrapping,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) keys.changed();
        if (u.focusChanged && !u.view.hasFocus) keys.blurred();
      }),
      EditorView.contentAttributes.of({ "data-testid": "cell-source", "aria-label": `source of ${kind} cell` }),
    ];
    this.view = new EditorView({ state: EditorState.create({ doc, extensions }), parent });
    if (kind === "java" || kind === "markdown") {
      // Java and Markdown support load on first use (their own chunks): most notebooks are SQL.
      void lazyLanguage(kind, store).then((ext) => {
        if (!this.destroyed) this.view.dispatch({ effects: this.language.reconfigure(ext) });
      });
    }
    if (kind === "sql") {
      // The catalog changes as cells run; the SQL language is rebuilt with the new schema.
      this.unsubscribe = store.subscribe(() => {
        this.view.dispatch({ effects: this.language.reconfigure(this.languageFor(kind)) });
        // A person typing when the catalog arrives (the first one takes a moment: the notebook's
        // database opens) gets the list as it is now, without typing again.
        if (this.view.hasFocus && /\w$/.test(this.view.state.sliceDoc(0, this.view.state.selection.main.head))) {
          startCompletion(this.view);
        }
      });
    }
  }

  private languageFor(kind: string): Extension {
    switch (kind) {
      case "sql":
        return [
          sql({ dialect: DuckDB, schema: sqlNamespace(this.store.current.catalog), upperCaseKeywords: false }),
          DuckDB.language.data.of({ autocomplete: sqlExtrasSource(this.store) }),
        ];
      default:
        return []; // action cells: key: value lines
    }
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  set text(value: string) {
    if (value === this.text) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: value } });
  }

  focus(): void {
    this.view.focus();
  }

  hasFocus(): boolean {
    return this.view.hasFocus;
  }

  /** Marks the failing line (1-based), or clears the mark. */
  markError(line: number | null): void {
    this.view.dispatch({ effects: setErrorLine.of(line) });
  }

  private destroyed = false;

  destroy(): void {
    this.destroyed = true;
    this.unsubscribe();
    this.view.destroy();
  }
}

async function lazyLanguage(kind: "java" | "markdown", store: CompletionStore): Promise<Extension> {
  if (kind === "java") {
    const { java, javaLanguage } = await import("@codemirror/lang-java");
    return [java(), javaLanguage.data.of({ autocomplete: javaHelperSource(store) })];
  }
  const { markdown } = await import("@codemirror/lang-markdown");
  return markdown();
}
