// The two mount points other features plug into without touching the notebook code:
//  - output renderers, by cell output kind (a chart view can take "table" outputs of cells whose
//    attributes ask for a chart, or a new kind the server adds);
//  - side panels, listed as tabs in the sidebar (schema browser, saved queries, a timeline...).
// Register at module load (import the module from main.ts); the shell reads the registries when
// it renders, so registration order does not matter.
import type { CellOutput, CellView } from "../types.js";

/** What a renderer knows about where its output sits. */
export interface OutputContext {
  notebook: string;
  cell: CellView;
  /** Inserts a new cell after this one (e.g. "open in timeline" from a table). */
  insertCellAfter(kind: string, source: string): Promise<void>;
}

/**
 * Renders one output. Return null to decline (the next renderer registered for the kind, then
 * the built-in one, is tried), e.g. a chart renderer for tables without chart attributes.
 */
export type OutputRenderer = (output: CellOutput, context: OutputContext) => HTMLElement | null;

const renderers = new Map<string, OutputRenderer[]>();

export function registerOutputRenderer(kind: string, renderer: OutputRenderer): void {
  const list = renderers.get(kind) ?? [];
  list.unshift(renderer); // the latest registration is asked first
  renderers.set(kind, list);
}

export function customRendering(output: CellOutput, context: OutputContext): HTMLElement | null {
  for (const renderer of renderers.get(output.kind) ?? []) {
    const node = renderer(output, context);
    if (node) return node;
  }
  return null;
}

/** What a side panel is given: the open notebook (if any) and ways to act on it. */
export interface PanelContext {
  notebook(): string | null;
  /** Appends a cell to the open notebook (after the focused cell when there is one). */
  insertCell(kind: string, source: string): Promise<void>;
  /** Shows a message in the banner (null clears it). */
  report(message: string | null): void;
}

export interface SidePanel {
  id: string;
  title: string;
  /** Called once when the panel is first shown; fill `root`. */
  mount(root: HTMLElement, context: PanelContext): void;
  /** Called whenever another notebook opens or the open one ran a cell (refresh what depends on it). */
  refresh?(): void;
  /** Lower comes first in the tab bar. */
  order?: number;
}

const panels = new Map<string, SidePanel>();

export function registerPanel(panel: SidePanel): void {
  panels.set(panel.id, panel);
}

export function registeredPanels(): SidePanel[] {
  return [...panels.values()].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
