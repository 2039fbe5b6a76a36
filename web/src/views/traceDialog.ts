// The trace views of one SQL cell's result, in a dialog over the notebook: the timeline and the
// flame graph (with its differential form). Opened from the buttons above a result.
import { el } from "../dom.js";
import { FlameView } from "./flame.js";
import { TimelineView } from "./timeline.js";

export type TraceTab = "timeline" | "flame";

let open: { dialog: HTMLDialogElement; dispose(): void } | null = null;

export function openTraceView(notebook: string, cellId: string, tab: TraceTab): void {
  open?.dispose();
  const dialog = el("dialog", { class: "trace-dialog", "data-testid": "trace-dialog" });
  const body = el("div", { class: "trace-body" });
  const close = el("button", { type: "button", "data-testid": "trace-close", "aria-label": "close" }, "Close");
  const tabs = el("div", { class: "trace-tabs", role: "tablist" });
  let current: { dispose(): void } | null = null;
  const show = (which: TraceTab) => {
    current?.dispose();
    body.replaceChildren();
    for (const b of Array.from(tabs.children)) b.classList.toggle("active", (b as HTMLElement).dataset.tab === which);
    current = which === "timeline" ? new TimelineView(body, notebook, cellId) : new FlameView(body, notebook, cellId);
  };
  for (const [id, title] of [["timeline", "Timeline"], ["flame", "Flame graph"]] as const) {
    const b = el("button", { type: "button", role: "tab", "data-tab": id, "data-testid": `trace-tab-${id}` }, title);
    b.addEventListener("click", () => show(id));
    tabs.append(b);
  }
  dialog.append(el("div", { class: "trace-head" }, el("strong", {}, `${cellId}`), tabs, close), body);
  document.body.append(dialog);
  const dispose = () => {
    current?.dispose();
    dialog.close();
    dialog.remove();
    open = null;
  };
  close.addEventListener("click", dispose);
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    dispose();
  });
  open = { dialog, dispose };
  dialog.showModal();
  show(tab);
}
