// A prose (Markdown) block: rendered when not edited; a double click (or Enter in command mode)
// opens it in a Markdown editor, and leaving the editor renders it again and saves a change.
import { el } from "../dom.js";
import { CellEditor } from "../editor/cellEditor.js";
import type { CompletionStore } from "../editor/completion.js";
import { renderMarkdown } from "../markdown.js";

export class ProseUi {
  readonly section: HTMLElement;
  private readonly rendered: HTMLElement;
  private editor: CellEditor | null = null;

  constructor(
    private text: string,
    readonly blockIndex: number,
    private readonly store: CompletionStore,
    /** Saves the edited text; resolves when the server has it. */
    private readonly save: (text: string) => Promise<void>,
    private readonly commandMode: () => void,
  ) {
    this.rendered = el("div", { class: "prose-rendered" });
    this.section = el("div", { class: "prose block", "data-testid": "prose", "data-block": String(blockIndex), tabindex: "-1" }, this.rendered);
    this.render();
    this.section.addEventListener("dblclick", () => this.edit());
  }

  private render(): void {
    this.rendered.innerHTML = renderMarkdown(this.text); // escaped by the renderer
  }

  get editing(): boolean {
    return this.editor !== null;
  }

  edit(): void {
    if (this.editor) {
      this.editor.focus();
      return;
    }
    const box = el("div", { class: "prose-editor", "data-testid": "prose-editor" });
    this.section.classList.add("editing");
    this.rendered.hidden = true;
    this.section.append(box);
    const leave = () => void this.leave();
    // Prose has no completion list for Esc to close first: leaving is decided here, before any
    // editor keymap, so it works whatever the Markdown extensions bind.
    box.addEventListener(
      "keydown",
      (e) => {
        if (e.key === "Escape" || (e.key === "Enter" && (e.shiftKey || e.ctrlKey || e.metaKey || e.altKey))) {
          e.preventDefault();
          e.stopPropagation();
          leave();
          if (e.key === "Escape") this.commandMode();
        }
      },
      true,
    );
    this.editor = new CellEditor(
      box,
      "markdown",
      this.text.trim(),
      {
        runAndMove: leave,
        runInPlace: leave,
        runAndInsert: leave,
        commandMode: () => {
          leave();
          this.commandMode();
        },
        changed: () => {},
        blurred: leave,
      },
      this.store,
    );
    this.editor.focus();
  }

  /** Renders the edited text and saves it if it changed. */
  async leave(): Promise<void> {
    const editor = this.editor;
    if (!editor) return;
    this.editor = null;
    const text = editor.text;
    editor.destroy();
    this.section.querySelector(".prose-editor")?.remove();
    this.section.classList.remove("editing");
    this.rendered.hidden = false;
    if (text.trim() !== this.text.trim()) {
      this.text = text;
      this.render();
      await this.save(text);
    }
  }

  destroy(): void {
    this.editor?.destroy();
  }
}
