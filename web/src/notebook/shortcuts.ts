// The keyboard habits of Jupyter, in one table: the command-mode dispatcher reads it and the `?`
// overlay lists it, so the two cannot disagree.
import { el } from "../dom.js";

export type Command =
  | "edit"
  | "insertAbove"
  | "insertBelow"
  | "delete"
  | "toMarkdown"
  | "toCode"
  | "down"
  | "up"
  | "undoDelete"
  | "runAndMove"
  | "runInPlace"
  | "runAndInsert"
  | "help";

export interface Shortcut {
  keys: string;
  what: string;
  /** Set for command-mode keys; edit-mode keys are bound by the editor. */
  command?: Command;
  match?: (e: KeyboardEvent) => boolean;
}

const plain = (key: string) => (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey && e.key === key;

export const SHORTCUTS: Shortcut[] = [
  { keys: "Shift-Enter", what: "run the cell and select the next (a new one at the end)", command: "runAndMove", match: (e) => e.key === "Enter" && e.shiftKey },
  { keys: "Ctrl/Cmd-Enter", what: "run the cell in place", command: "runInPlace", match: (e) => e.key === "Enter" && (e.ctrlKey || e.metaKey) },
  { keys: "Alt-Enter", what: "run the cell and insert one below", command: "runAndInsert", match: (e) => e.key === "Enter" && e.altKey },
  { keys: "Esc", what: "leave the editor: command mode" },
  { keys: "Enter", what: "edit the selected cell", command: "edit", match: plain("Enter") },
  { keys: "A", what: "insert a cell above", command: "insertAbove", match: plain("a") },
  { keys: "B", what: "insert a cell below", command: "insertBelow", match: plain("b") },
  { keys: "D, D", what: "delete the selected cell", command: "delete" },
  { keys: "Z", what: "undo the last delete", command: "undoDelete", match: plain("z") },
  { keys: "M", what: "make the cell Markdown", command: "toMarkdown", match: plain("m") },
  { keys: "Y", what: "make the cell code (SQL)", command: "toCode", match: plain("y") },
  { keys: "J / ↓", what: "select the cell below", command: "down", match: (e) => plain("j")(e) || plain("ArrowDown")(e) },
  { keys: "K / ↑", what: "select the cell above", command: "up", match: (e) => plain("k")(e) || plain("ArrowUp")(e) },
  { keys: "?", what: "show this list", command: "help", match: (e) => e.key === "?" },
];

/** The `?` overlay: every shortcut above; Esc or a click closes it. */
export function shortcutOverlay(): HTMLElement {
  const overlay = el(
    "div",
    { class: "overlay", "data-testid": "shortcuts", role: "dialog", "aria-label": "Keyboard shortcuts" },
    el(
      "div",
      { class: "overlay-box" },
      el("h2", {}, "Keyboard shortcuts"),
      el("p", { class: "muted" }, "Edit mode is inside a cell's editor; command mode is after Esc (the selected cell has a blue bar)."),
      el("table", { class: "data" }, el("tbody", {}, ...SHORTCUTS.map((s) => el("tr", {}, el("td", {}, el("kbd", {}, s.keys)), el("td", {}, s.what))))),
    ),
  );
  const close = () => overlay.remove();
  overlay.addEventListener("click", close);
  overlay.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  return overlay;
}
