#!/usr/bin/env bash
# Static checks the compiler we build with does not make:
#   - clang's thread-safety analysis (-Wthread-safety as an error), which
#     checks every ABSL_GUARDED_BY / ABSL_EXCLUSIVE_LOCKS_REQUIRED that g++
#     only parses;
#   - clang-tidy with the repository's .clang-tidy, warnings as errors, on
#     our own sources and headers (not generated code, not system headers).
#
#   scripts/check_static.sh [--thread-safety-only] [build dir]
#
# Reads the compile database of a build that is done (the generated headers
# must exist): by default build/asan, which scripts/test.sh builds. Both
# checks share one parse per translation unit: clang-tidy runs with the
# thread-safety flags, so its compiler errors are the analysis's findings.
# --thread-safety-only runs just `clang++ -fsyntax-only` (about a quarter of
# the time).
#
# A translation unit that passed is remembered by a hash of everything its
# result depends on (its command, its own and every non-system header's
# contents, .clang-tidy, the tools' versions), in $CLIENTELE_CACHE_DIR
# (default ~/.cache/clientele, beside ccache's; not the build dir, since CI
# builds in a fresh clone), so a rerun checks only what changed. Installs
# clang and clang-tidy when they are missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=all
build_dir="$ROOT/build/asan"
for arg in "$@"; do
  case "$arg" in
    --thread-safety-only) mode=thread-safety ;;
    -h | --help) sed -n '2,/^set -e/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg" ;;
    *) build_dir="$(cd "$arg" && pwd)" ;;
  esac
done

ensure_debian_packages clang clang-tidy
[[ -f "$build_dir/compile_commands.json" ]] ||
  die "no compile_commands.json in ${build_dir#$ROOT/}: build first (scripts/test.sh)"

work="$build_dir/static-check"
if [[ -n "${CLIENTELE_CACHE_DIR:-}" ]]; then
  cache="$CLIENTELE_CACHE_DIR/static-check"
elif [[ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]]; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/clientele/static-check"
else
  cache="$work/cache"
fi
mkdir -p "$work/logs" "$work/rsp" "$cache"
rm -f "$work"/logs/* "$work"/rsp/* "$work/times.txt"

# A compile database for clang with only our translation units (generated
# *.pb.cc are not ours): g++'s sanitizer and warning flags dropped, the
# thread-safety analysis added as an error. Then, per unit, the key of its
# result: ninja's record of what the object was built from names its
# headers.
start=$(date +%s)
ninja -C "$build_dir" -t deps >"$work/deps.txt" 2>/dev/null || : >"$work/deps.txt"
tools="$(clang++ --version | head -n 1) / $(clang-tidy --version | grep -i version | head -n 1)"
python3 - "$ROOT" "$build_dir" "$work" "$mode" "$tools" <<'EOF'
import hashlib, json, os, shlex, sys

root, build, work, mode, tools = sys.argv[1:]
entries = json.load(open(os.path.join(build, "compile_commands.json")))

deps, current = {}, None
for line in open(os.path.join(work, "deps.txt")):
    if not line.startswith(" "):
        current = line.split(":")[0].strip()
        deps[current] = [] if "(VALID)" in line else None
    elif current is not None and deps[current] is not None:
        # Relative to the build directory when the compiler was given
        # relative paths (ccache's base_dir rewrites them).
        deps[current].append(os.path.normpath(os.path.join(build, line.strip())))

def ours(path):
    path = os.path.realpath(path)
    return path.startswith(root + os.sep) and not path.startswith(build + os.sep)

digests = {}
def digest(path, h):
    if path not in digests:
        try:
            with open(path, "rb") as f:
                digests[path] = hashlib.sha256(f.read()).digest()
        except OSError:
            digests[path] = b"missing"
    h.update(os.path.relpath(path, root).encode() + b"\0" + digests[path])

stamps = {}
def stamp(path):
    if path not in stamps:
        try:
            st = os.stat(path)
            stamps[path] = f"{st.st_size} {st.st_mtime_ns}"
        except OSError:
            stamps[path] = "missing"
    return stamps[path]

config = open(os.path.join(root, ".clang-tidy"), "rb").read()
database, todo = [], []
for entry in entries:
    source = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    if not ours(source):
        continue
    args = entry.get("arguments") or shlex.split(entry["command"])
    command, output, skip = ["clang++"], None, False
    for arg in args[1:]:
        if skip:
            output, skip = arg, False
        elif arg == "-o":
            skip = True
        elif arg.startswith(("-fsanitize", "-fno-sanitize", "-W")):
            pass
        else:
            command.append(arg)
    command += ["-Wthread-safety", "-Werror=thread-safety"]
    database.append({"directory": entry["directory"], "file": source,
                     "arguments": command})
    # The same command as a response file, for clang++ @file.
    rsp = os.path.join(work, "rsp", os.path.relpath(source, root)
                       .replace(os.sep, "_") + ".rsp")
    with open(rsp, "w") as f:
        f.write(" ".join(shlex.quote(arg) for arg in command[1:]) + "\n")
    h = hashlib.sha256()
    for part in (mode, tools, " ".join(command).replace(root, "<root>")):
        h.update(part.encode() + b"\0")
    h.update(config)
    headers = deps.get(output) if output else None
    if headers is None:
        key = "-"  # not built yet, or rebuilt since: always check
    else:
        for path in [source] + headers:
            if ours(path) or path.startswith(build + os.sep):
                digest(path, h)
            else:  # a system header: changed by a package upgrade
                h.update(f"{path} {stamp(path)}\0".encode())
        key = h.hexdigest()
    todo.append(f"{key} {source}")

json.dump(database, open(os.path.join(work, "compile_commands.json"), "w"),
          indent=1)
with open(os.path.join(work, "units.txt"), "w") as f:
    f.write("\n".join(todo) + "\n")
EOF

# One unit: "<key> <file>" ("-" for no key). Runs the check unless the key
# has passed before; keeps the output of a failure in logs/.
check_unit() {
  local key="$1" file="$2"
  if [[ "$key" != - && -e "$CACHE/$key" ]]; then return 0; fi
  local log began
  log="$WORK/logs/$(echo "${file#$ROOT/}" | tr / _).log"
  began=$(date +%s%N)
  if [[ "$MODE" == thread-safety ]]; then
    local rsp
    rsp="$WORK/rsp/$(echo "${file#$ROOT/}" | tr / _).rsp"
    (cd "$BUILD" && clang++ "@$rsp" -fsyntax-only) >"$log" 2>&1 || return 1
  else
    # --quiet drops the counts of suppressed warnings; errors still print.
    clang-tidy --quiet -p "$WORK" \
      --header-filter="^$ROOT_RE/(common|services|tests|bench)/" \
      "$file" >"$log" 2>&1 || return 1
  fi
  if [[ "$key" != - ]]; then touch "$CACHE/$key"; fi
  rm -f "$log"
  echo "$((($(date +%s%N) - began) / 1000000)) ${file#$ROOT/}" >>"$WORK/times.txt"
}
export -f check_unit
ROOT_RE=$(printf '%s' "$ROOT" | sed 's/[][\.^$*+?(){}|]/\\&/g')
export ROOT ROOT_RE MODE="$mode" BUILD="$build_dir" WORK="$work" CACHE="$cache"

units=$(wc -l <"$work/units.txt")
cached=0
while read -r key _; do
  if [[ "$key" != - && -e "$cache/$key" ]]; then cached=$((cached + 1)); fi
done <"$work/units.txt"
log "static checks ($mode): $units translation units, $cached unchanged since they passed"
status=0
# Every unit runs; the failures are reported together below.
xargs -P "$(nproc)" -L 1 bash -c 'check_unit "$@" || true' _ <"$work/units.txt"
failed=("$work"/logs/*.log)
if [[ -e "${failed[0]}" ]]; then
  for f in "${failed[@]}"; do
    # clang-tidy's "N warnings generated" and "Error while processing" lines
    # say nothing the findings above them do not.
    grep -v -e '^[0-9]* warnings\? \(and [0-9]* errors\? \)\?generated' \
      -e '^Error while processing' -e '^Suppressed [0-9]* warnings' \
      -e '^Use -header-filter' -e '^[0-9]* warnings\? treated as errors' \
      -e '^Found compiler errors' -e '^[0-9]* errors\? generated' "$f" || true
  done
  log "static checks failed in ${#failed[@]} translation units (logs in ${work#$ROOT/}/logs)"
  status=1
fi
log "static checks took $(($(date +%s) - start))s"
exit "$status"
