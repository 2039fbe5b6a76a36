#!/usr/bin/env bash
# Builds the metrics-relay sample as a git repository at DEST_DIR, one commit per folder of
# history/ (the files that commit adds or changes, and its message). A folder with an 'on' file
# commits on that branch (made from the current commit if new); a folder with a 'merge' file is
# a merge of that branch into main. Authors and dates are fixed, so every run yields the same
# commit ids. The first commit is tagged v1.0; 07-one-pass-unescape breaks escaped tag values.
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
export GIT_AUTHOR_NAME="Sam Okafor" GIT_AUTHOR_EMAIL="sam@metrics.example"
export GIT_COMMITTER_NAME="Sam Okafor" GIT_COMMITTER_EMAIL="sam@metrics.example"
export GIT_CONFIG_NOSYSTEM=1 HOME="$dest/.git/fake-home" # no user config may change the ids
git init -q -b main .
git config commit.gpgsign false
git config core.autocrlf false
day=0
for step in "$history"/*/; do
  day=$((day + 1))
  stamp="2025-06-$(printf %02d "$day")T09:00:00+00:00"
  export GIT_AUTHOR_DATE="$stamp" GIT_COMMITTER_DATE="$stamp"
  if [ -f "$step/merge" ]; then
    git checkout -q main
    git merge -q --no-ff -m "$(cat "$step/message")" "$(cat "$step/merge")"
    continue
  fi
  branch=main
  if [ -f "$step/on" ]; then
    branch="$(cat "$step/on")"
  fi
  if git rev-parse -q --verify "refs/heads/$branch" >/dev/null; then
    git checkout -q "$branch"
  else
    git checkout -q -b "$branch"
  fi
  (cd "$step" && find . -type f ! -name message ! -name on ! -name merge -print0 | tar --null -cf - -T -) | tar -xf -
  git add -A
  git commit -q -F "$step/message"
  if [ "$day" = 1 ]; then
    git tag v1.0
  fi
  git checkout -q main
done
git log --oneline --graph --decorate | cat
