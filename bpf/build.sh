#!/usr/bin/env bash
# Compiles every bpf/*.bpf.c into OUT_DIR, against a vmlinux.h generated from this machine's BTF.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
shopt -s nullglob
srcs=("$here"/*.bpf.c)
[ ${#srcs[@]} -eq 0 ] && exit 0
for tool in clang bpftool; do
  command -v "$tool" >/dev/null || { echo "bpf/build.sh: '$tool' is missing; install clang llvm libbpf-dev bpftool (./tracefix installs them as root)" >&2; exit 1; }
done
gen="$out/../bpf-gen"; mkdir -p "$gen"
if [ ! -s "$gen/vmlinux.h" ]; then
  bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$gen/vmlinux.h.tmp"
  mv "$gen/vmlinux.h.tmp" "$gen/vmlinux.h"
fi
for src in "${srcs[@]}"; do
  name=$(basename "$src" .c)
  clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$gen" -I"$here" -c "$src" -o "$out/$name.o"
done
