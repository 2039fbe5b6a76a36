// Talks to the workbench server. The access token arrives once as ?token=...; it is kept in
// sessionStorage (per tab) and sent as a Bearer header, so links without it keep working.
import type { CellOutput, NotebookSummary, NotebookView, ResultPage } from "./types.js";

const TOKEN_KEY = "tracefix.token";

/** Moves ?token= from the address bar into sessionStorage so it is not left in history. */
export function adoptTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.searchParams.delete("token");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return JSON.parse(await request(method, path, "application/json", body)) as T;
}

/** The response body as text; non-2xx answers become an ApiError. */
async function request(method: string, path: string, accept: string, body?: unknown): Promise<string> {
  const headers: Record<string, string> = { Accept: accept };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers["Authorization"] = `Bearer ${token}`;
  // Without a token in this tab the cookie authenticates; changes must echo the XSRF cookie.
  const xsrf = document.cookie.match(/(?:^|; )tracefix_xsrf=([^;]*)/);
  if (xsrf) headers["X-XSRF-Token"] = decodeURIComponent(xsrf[1]);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let error = `http-${response.status}`;
    let message = text || response.statusText;
    try {
      const parsed = JSON.parse(text) as { error?: string; message?: string };
      error = parsed.error ?? error;
      message = parsed.message ?? message;
    } catch {
      // Not JSON (e.g. a proxy page): keep the raw text as the message.
    }
    throw new ApiError(response.status, error, message);
  }
  return text;
}

const nb = (name: string) => `/api/notebooks/${encodeURIComponent(name)}`;

export const api = {
  list: () => call<NotebookSummary[]>("GET", "/api/notebooks"),
  open: (name: string) => call<NotebookView>("GET", nb(name)),
  runCell: (name: string, cellId: string) =>
    call<CellOutput>("POST", `${nb(name)}/cells/${encodeURIComponent(cellId)}/run`),
  runAll: (name: string) => call<NotebookView>("POST", `${nb(name)}/run-all`),
  /** Runs the stale cells (and the never-run cells they read) in dependency order. */
  runStale: (name: string) => call<NotebookView>("POST", `${nb(name)}/run-stale`),
  /** Stops the cell this notebook runs now; its own run request then answers with an error. */
  interrupt: (name: string) => call<{ notebook: string; interrupted: boolean }>("POST", `${nb(name)}/interrupt`),
  /** A page of a SQL cell's result, which the server keeps in DuckDB, sorted if asked. */
  rows: (name: string, cellId: string, offset: number, limit: number, sort: string | null, desc: boolean) =>
    call<ResultPage>(
      "GET",
      `${nb(name)}/cells/${encodeURIComponent(cellId)}/rows?offset=${offset}&limit=${limit}` +
        (sort === null ? "" : `&sort=${encodeURIComponent(sort)}&desc=${desc}`),
    ),
  updateCell: (name: string, cellId: string, source: string) =>
    call<NotebookView>("PUT", `${nb(name)}/cells/${encodeURIComponent(cellId)}`, { source }),
  /** The redacted postmortem report of the session's current outputs (the server re-runs nothing). */
  report: (name: string, format: "html" | "md") =>
    request("GET", `${nb(name)}/report?format=${format}`, format === "html" ? "text/html" : "text/markdown"),
};
