// Live capture: start a bounded capture of a pid or cgroup, watch its rates, drops and queue depth
// (from the capture's own snapshots, pushed as `capture` events of /api/events), stop it, and once
// it is stored insert a SQL cell that reads it (catalog live_N, attached to every notebook). With
// the JVM flight recorder box ticked, a target pid that runs a JVM also streams its recorder into
// the capture's jvm_events; a pid that runs no JVM is refused with the server's reason.
import { call, describe } from "../api.js";
import { el } from "../dom.js";
import { registerPanel, type PanelContext } from "../shell/registry.js";
import type { LiveCaptureStatus } from "../types.js";

const PROBES = ["default", "full", "stats", "socket", "syscalls", "tcp", "process"];

registerPanel({
  id: "capture",
  title: "Live capture",
  order: 40,
  mount(root: HTMLElement, context: PanelContext) {
    const probes = PROBES.map((name) => {
      const box = el("input", { type: "checkbox", value: name, "data-testid": `probe-${name}` });
      if (name === "default") box.checked = true;
      return { name, box, label: el("label", { class: "param" }, box, name) };
    });
    const target = el("input", { type: "text", placeholder: "pid or /cgroup/path", "data-testid": "capture-target", "aria-label": "pid or cgroup" });
    const seconds = el("input", { type: "number", min: "1", value: "10", "data-testid": "capture-seconds", "aria-label": "seconds" });
    const jfr = el("input", { type: "checkbox", "data-testid": "capture-jfr" });
    const start = el("button", { type: "submit", class: "small", "data-testid": "capture-start" }, "Start");
    const stop = el("button", { type: "button", class: "small", "data-testid": "capture-stop", disabled: "" }, "Stop");
    const form = el(
      "form",
      {},
      el("div", { class: "probe-groups" }, ...probes.map((p) => p.label)),
      el("label", { class: "param" }, "target", target),
      el("label", { class: "param" }, "seconds", seconds),
      el("label", { class: "param" }, jfr, "JVM flight recorder (target must be a JVM)"),
      el("div", { class: "panel-tools" }, start, stop),
    );
    const status = el("div", { class: "capture-status", "data-testid": "capture-status", "aria-live": "polite" });
    root.replaceChildren(el("div", { class: "query-preview" }, form), status);

    let current: string | null = null;
    let events: EventSource | null = null;

    const show = (s: LiveCaptureStatus) => {
      if (s.id !== current) return;
      const remaining = Math.max(0, s.seconds - Math.floor(s.elapsedMs / 1000));
      const rows = s.types.map((t) =>
        el(
          "tr",
          { "data-testid": "capture-rate", "data-type": t.type },
          el("td", {}, t.type),
          el("td", { class: "num", "data-testid": "capture-per-second" }, t.perSecond.toFixed(1)),
          el("td", { class: "num" }, String(t.stored)),
          el("td", { class: "num" }, String(t.dropped)),
        ),
      );
      const parts: (HTMLElement | string)[] = [
        el("p", { "data-testid": "capture-state", "data-state": s.state }, `${s.id}: ${s.state}`),
        el(
          "p",
          { class: "muted" },
          `${(s.elapsedMs / 1000).toFixed(1)} s elapsed` + (s.state === "running" ? `, ${remaining} s left` : "") +
            ` · stored ${s.stored} · dropped ${s.dropped} · queue ${s.queueDepth}`,
        ),
        el("table", { class: "capture-rates" }, el("tr", {}, el("th", {}, "type"), el("th", {}, "events/s"), el("th", {}, "stored"), el("th", {}, "dropped")), ...rows),
      ];
      if (s.error) parts.push(el("p", { class: "output-error", role: "alert" }, s.error));
      if (s.state === "stored") {
        const insert = el("button", { type: "button", class: "link", "data-testid": "capture-insert" }, `Query ${s.catalog}.events`);
        insert.addEventListener("click", () => {
          void context.insertCell(
            "sql",
            `-- live capture ${s.id} (${s.captureId ?? ""}): ${s.stored} events stored\nselect count(*) as events, count(distinct type) as types, min(time) as first, max(time) as last\nfrom ${s.catalog}.events`,
          );
        });
        parts.push(insert);
      }
      status.replaceChildren(...parts);
      if (s.state !== "running") finish();
    };

    const finish = () => {
      events?.close();
      events = null;
      start.disabled = false;
      stop.disabled = true;
    };

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const chosen = probes.filter((p) => p.box.checked).map((p) => p.name);
      const t = target.value.trim();
      const body = {
        probes: chosen,
        pid: /^\d+$/.test(t) ? Number(t) : null,
        cgroups: t && !/^\d+$/.test(t) ? [t] : null,
        seconds: Number(seconds.value),
        jfr: jfr.checked,
      };
      start.disabled = true;
      // Subscribed before the start, so no snapshot is missed.
      if (typeof EventSource !== "undefined") {
        events = new EventSource("/api/events");
        events.addEventListener("capture", (event) => show(JSON.parse((event as MessageEvent<string>).data) as LiveCaptureStatus));
      }
      call("POST /api/captures", {}, { body })
        .then((s) => {
          current = s.id;
          stop.disabled = false;
          context.report(null);
          show(s);
          // The final state may have been pushed before this answer named the capture.
          return call("GET /api/captures/{id}", { id: s.id }).then(show);
        })
        .catch((error) => {
          finish();
          const message = describe(error, "Starting the capture failed");
          // In the panel too, beside the form it is about (e.g. a pid that runs no JVM).
          status.replaceChildren(el("p", { class: "output-error", role: "alert", "data-testid": "capture-error" }, message));
          context.report(message);
        });
    });
    stop.addEventListener("click", () => {
      if (!current) return;
      call("DELETE /api/captures/{id}", { id: current })
        .then(show)
        .catch((error) => context.report(describe(error, "Stopping the capture failed")));
    });
  },
});
