# Shared by scripts/*.sh: paths, settings and the dependency installer.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${CLIENTELE_STATE_DIR:-$ROOT/.clientele}"
TOOLS_DIR="$STATE_DIR/tools"
BUF_VERSION="1.50.0"
BUF="$TOOLS_DIR/node_modules/.bin/buf"

# Debian packages the build, the tests and `up` need.
DEBIAN_PACKAGES=(
  g++ cmake ninja-build pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev libsqlite3-dev libssl-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  grpc-proto golang-github-gogo-googleapis-dev
  redis-server sqlite3 tzdata
  python3 python3-grpcio python3-protobuf
  nghttp2-client
  clang clang-tidy
  chromium
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages that are missing (apt-get update once, only
# when something is missing), then npm when there is no npm, then buf.
ensure_dependencies() {
  local extra=()
  if ! command -v npm >/dev/null 2>&1; then
    extra+=(nodejs npm)
  fi
  ensure_debian_packages "${DEBIAN_PACKAGES[@]}" "${extra[@]}"
  ensure_buf
}

# ensure_debian_packages <package>...
# Installs those of the packages that are missing.
ensure_debian_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# buf comes from npm as @bufbuild/buf, pinned, into .clientele/tools.
ensure_buf() {
  if [[ -x "$BUF" ]] && [[ "$("$BUF" --version 2>/dev/null)" == "$BUF_VERSION" ]]; then
    return
  fi
  log "installing buf $BUF_VERSION from npm"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" \
    "@bufbuild/buf@$BUF_VERSION" >/dev/null)
  [[ -x "$BUF" ]] || die "buf did not install"
}

# configure_and_build <build dir> [cmake args...]
# Quiet when it works; on failure prints the end of the build log.
configure_and_build() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  local build_log="$dir/build.log"
  if ! { cmake -S "$ROOT" -B "$dir" -G Ninja -DCLIENTELE_BUF="$BUF" "$@" &&
         cmake --build "$dir" -j "$(nproc)"; } >"$build_log" 2>&1; then
    tail -n 60 "$build_log" >&2
    die "build failed; the whole log is in ${build_log#$ROOT/}"
  fi
}
