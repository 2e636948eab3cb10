#!/usr/bin/env bash
# Style checks: clang-format on every C++ file, clang-tidy (naming, bug-prone patterns,
# performance) on every engine and binding source, using the release build's compile commands.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
mapfile -t all_files < <(git ls-files '*.h' '*.cc')
clang-format --dry-run --Werror "${all_files[@]}"
echo "lint: clang-format clean (${#all_files[@]} files)"
mapfile -t sources < <(git ls-files 'src/*.cc')
printf '%s\n' "${sources[@]}" |
  xargs -P "${JOBS:-2}" -n 4 clang-tidy --quiet -p "$build" --extra-arg=-Wno-unknown-warning-option 2>/dev/null
echo "lint: clang-tidy clean (${#sources[@]} sources)"
