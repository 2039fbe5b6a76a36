package dev.tracefix.capture.privacy.identity;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of a cgroup path that container runtimes and systemd name themselves: slices, scopes,
 * session and user units, Kubernetes QoS classes and pod uids, 64-hex container ids. They say where
 * a process runs (which pod, which container, which unit) and carry no one's data. Any other
 * directory was named by whoever created it, and is treated as free text.
 */
final class CgroupSegments {
  private CgroupSegments() {}

  private static final Set<String> FIXED =
      Set.of(
          "system.slice",
          "user.slice",
          "machine.slice",
          "init.scope",
          "kubepods",
          "kubepods.slice",
          "burstable",
          "besteffort",
          "guaranteed",
          "docker",
          "containerd",
          "crio",
          "podman",
          "libpod_parent",
          "lxc",
          "lxc.payload",
          "lxc.monitor",
          "k8s.io",
          "moby",
          "buildkit",
          "system",
          "user",
          "app.slice",
          "background.slice",
          "session.slice");

  private static final String HEX64 = "[0-9a-f]{64}";
  private static final String POD_UID =
      "pod[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}";

  private static final Pattern RUNTIME =
      Pattern.compile(
          String.join(
              "|",
              HEX64,
              POD_UID,
              "user-[0-9]{1,10}\\.slice",
              "user@[0-9]{1,10}\\.service",
              "session-c?[0-9]{1,10}\\.scope",
              "kubepods(?:-(?:burstable|besteffort|guaranteed))?(?:-" + POD_UID + ")?\\.slice",
              "(?:docker|cri-containerd|crio|crio-conmon|libpod|libpod-conmon|containerd"
                  + "|lxc)-"
                  + HEX64
                  + "(?:\\.scope)?",
              "lxc\\.payload\\.[a-z0-9-]{1,63}+"));

  /** A systemd unit whose name part is free text: {@code nginx.service}, {@code run-u7.scope}. */
  private static final Pattern UNIT =
      Pattern.compile("(.{1,200})\\.(?:service|scope|slice|socket|mount|timer|swap)");

  static boolean isRuntimeName(String segment) {
    return FIXED.contains(segment) || RUNTIME.matcher(segment).matches();
  }

  /** The free-text part of a systemd unit name, or null if {@code segment} is not a unit. */
  static String unitStem(String segment) {
    var m = UNIT.matcher(segment);
    return m.matches() ? m.group(1) : null;
  }
}
