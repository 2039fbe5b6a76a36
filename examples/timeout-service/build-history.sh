#!/usr/bin/env bash
# Builds the checkout/inventory sample as a git repository at DEST_DIR, one commit per folder
# of history/ (the folder holds the files that commit adds or changes, and its message).
# Authors and dates are fixed, so every run yields the same commit ids. The first commit is
# tagged v1.0; 07-tighten-timeout lowers the client timeout from 500 ms to 50 ms.
# Usage: build-history.sh DEST_DIR   (DEST_DIR must not exist or be empty)
set -euo pipefail
dest="${1:?usage: build-history.sh DEST_DIR}"
history="$(cd "$(dirname "$0")" && pwd)/history"
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "build-history.sh: $dest exists and is not empty" >&2
  exit 2
fi
mkdir -p "$dest"
cd "$dest"
export GIT_AUTHOR_NAME="Dana Reyes" GIT_AUTHOR_EMAIL="dana@checkout.example"
export GIT_COMMITTER_NAME="Dana Reyes" GIT_COMMITTER_EMAIL="dana@checkout.example"
export GIT_CONFIG_NOSYSTEM=1 HOME="$dest/.git/fake-home" # no user config may change the ids
git init -q -b main .
git config commit.gpgsign false
git config core.autocrlf false
day=0
for step in "$history"/*/; do
  day=$((day + 1))
  (cd "$step" && find . -type f ! -name message -print0 | tar --null -cf - -T -) | tar -xf -
  git add -A
  stamp="2025-03-$(printf %02d "$day")T10:00:00+00:00"
  GIT_AUTHOR_DATE="$stamp" GIT_COMMITTER_DATE="$stamp" git commit -q -F "$step/message"
  if [ "$day" = 1 ]; then
    GIT_COMMITTER_DATE="$stamp" git tag v1.0
  fi
done
git log --oneline --decorate | cat
