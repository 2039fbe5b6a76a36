#!/usr/bin/env bash
# Compiles every bpf/*.bpf.c into OUT_DIR, against a vmlinux.h generated from this machine's BTF
# into GEN_DIR (default: OUT_DIR/../../bpf-gen, i.e. target/bpf-gen, so it never lands in a jar).
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR [GEN_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
gen=${2:-"$out/../../bpf-gen"}
shopt -s nullglob
srcs=("$here"/*.bpf.c)
[ ${#srcs[@]} -eq 0 ] && exit 0
for tool in clang bpftool; do
  command -v "$tool" >/dev/null || { echo "bpf/build.sh: '$tool' is missing; install clang llvm libbpf-dev bpftool (./tracefix installs them as root)" >&2; exit 1; }
done
[ -r /sys/kernel/btf/vmlinux ] || { echo "bpf/build.sh: /sys/kernel/btf/vmlinux is missing; this kernel has no BTF (CONFIG_DEBUG_INFO_BTF)" >&2; exit 1; }
mkdir -p "$gen"
if [ ! -s "$gen/vmlinux.h" ]; then
  bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$gen/vmlinux.h.tmp"
  mv "$gen/vmlinux.h.tmp" "$gen/vmlinux.h"
fi
for src in "${srcs[@]}"; do
  name=$(basename "$src" .c)
  # Rebuild only when the source, a shared header or vmlinux.h changed.
  if [ -s "$out/$name.o" ] && [ -z "$(find "$src" "$here"/*.h "$gen/vmlinux.h" -newer "$out/$name.o" 2>/dev/null)" ]; then
    continue
  fi
  clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -I"$gen" -I"$here" -c "$src" -o "$out/$name.o.tmp"
  mv "$out/$name.o.tmp" "$out/$name.o"
done
