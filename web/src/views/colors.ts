// Colours the trace views share: a slice by its errno (success one calm colour, each error its
// own hue, the same in every view), a frame by its kind (kernel, JVM, user), a difference by sign.

const OK = "#8aa4c8";
const KNOWN: Record<string, string> = {
  ETIMEDOUT: "#d62728",
  ECONNRESET: "#e377c2",
  ECONNREFUSED: "#9467bd",
  EPIPE: "#8c564b",
  EAGAIN: "#ff7f0e",
  EINTR: "#bcbd22",
  ENOENT: "#17becf",
};

export function errnoColor(errno: number, name: string | null): string {
  if (!errno) return OK;
  if (name && KNOWN[name]) return KNOWN[name];
  const hue = (Math.abs(errno) * 47) % 360;
  return `hsl(${hue} 70% 50%)`;
}

/**
 * A JVM flight-recorder span by what it was (its name starts with the recorder's type): the whole
 * JVM stopped (GC pause, safepoint) amber, a thread blocked on a lock or parked purple, Java socket
 * and file I/O green; kernel calls keep the errno colours, so the two kinds never read alike.
 */
export function jvmColor(name: string): string {
  if (name.startsWith("jdk.GC") || name.startsWith("jdk.Safepoint")) return "#e5a50a";
  if (name.startsWith("jdk.JavaMonitor") || name.startsWith("jdk.ThreadPark")) return "#8e6cc0";
  if (name.startsWith("jdk.Socket") || name.startsWith("jdk.File")) return "#3a9e7a";
  if (name.startsWith("jdk.JavaExceptionThrow") || name.startsWith("jdk.JavaErrorThrow")) return "#c0392b";
  return "#7f7f7f";
}

/** flamegraph.pl's java palette in spirit: kernel orange, JVM green, user code warm yellow-red. */
export function frameColor(kind: string, name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const jitter = h % 20;
  if (kind === "kernel") return `hsl(${25 + jitter / 2} 85% ${55 + jitter / 4}%)`;
  if (kind === "jvm") return `hsl(${100 + jitter} 50% ${50 + jitter / 4}%)`;
  return `hsl(${45 + jitter} 90% ${58 + jitter / 5}%)`;
}

/** Red where a frame's share grew against the baseline, blue where it shrank; white unchanged. */
export function diffColor(delta: number): string {
  const strength = Math.min(1, Math.abs(delta) * 8);
  const light = 96 - 46 * strength;
  return delta >= 0 ? `hsl(0 80% ${light}%)` : `hsl(215 80% ${light}%)`;
}
