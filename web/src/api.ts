// Talks to the workbench server through the routes of its OpenAPI document only: a route is named
// as "METHOD /path" (a key of the generated Routes), its path parameters, body and answer are
// typed from it, so calling a route or sending a body the server does not document fails the
// build's type check. The access token arrives once as ?token=...; it is kept in sessionStorage
// (per tab) and sent as a Bearer header, so links without it keep working.
import type { Routes } from "./types.js";

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

export type RouteKey = keyof Routes;
type PathOf<K> = K extends `${string} ${infer P}` ? P : never;
type ParamNames<P> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
/** The path parameters a route names, e.g. {name, id} for ".../{name}/cells/{id}/rows". */
export type Params<K extends RouteKey> = { [N in ParamNames<PathOf<K>>]: string };
export type Query = Record<string, string | number | boolean | null | undefined>;
export type Answer<K extends RouteKey> = Routes[K]["response"];

/** The URL of a route with its parameters filled in (encoded) and a query string. */
export function url<K extends RouteKey>(key: K, params: Params<K>, query: Query = {}): string {
  const path = key.slice(key.indexOf(" ") + 1).replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name]),
  );
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

function headers(accept: string): Record<string, string> {
  const h: Record<string, string> = { Accept: accept };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) h["Authorization"] = `Bearer ${token}`;
  // Without a token in this tab the cookie authenticates; changes must echo the XSRF cookie.
  const xsrf = document.cookie.match(/(?:^|; )tracefix_xsrf=([^;]*)/);
  if (xsrf) h["X-XSRF-Token"] = decodeURIComponent(xsrf[1]);
  return h;
}

export interface CallOptions<K extends RouteKey> {
  query?: Query;
  body?: Routes[K]["body"];
  signal?: AbortSignal;
}

/** Calls a documented route; JSON answers are parsed, text answers returned as text. */
export async function call<K extends RouteKey>(key: K, params: Params<K>, options: CallOptions<K> = {}): Promise<Answer<K>> {
  const method = key.slice(0, key.indexOf(" "));
  const h = headers("application/json, text/*");
  if (options.body !== undefined) h["Content-Type"] = "application/json";
  const response = await fetch(url(key, params, options.query), {
    method,
    headers: h,
    credentials: "same-origin",
    signal: options.signal,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
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
  const json = (response.headers.get("Content-Type") ?? "").includes("json") && !key.endsWith(".ipynb");
  return (json ? JSON.parse(text) : text) as Answer<K>;
}

export function describe(error: unknown, what: string): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return `${what}: not authorized. Open the URL that \`tracefix serve\` printed (it carries ?token=…).`;
    return `${what}: ${error.message}`;
  }
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}
