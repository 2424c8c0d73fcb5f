#!/usr/bin/env bash
# Install the older Go toolchains that stallscope's fixtures are recorded with.
#
#   golang-1.19-go            from bookworm (main)         -> /usr/lib/go-1.19/bin/go  (trace format v1, "go 1.19 trace")
#   golang-1.21-go            from bookworm-backports      -> /usr/lib/go-1.21/bin/go  (trace format v1, "go 1.21 trace")
#   golang-1.22-go            from bookworm-backports      -> /usr/lib/go-1.22/bin/go  (trace format v2, "go 1.22 trace")
#   golang-1.23-go            from bookworm-backports      -> /usr/lib/go-1.23/bin/go  (trace format v2, "go 1.23 trace")
#
# Run each toolchain with GOTOOLCHAIN=local so it does not try to download a newer one.
# Idempotent and non-interactive; needs root (or sudo). A package that cannot be
# installed is reported and skipped; the script exits non-zero only if none could be.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-go-toolchains: must run as root (or have sudo)" >&2; exit 1
  fi
fi

MAIN_PKGS=(golang-1.19-go)
BPO_PKGS=(golang-1.21-go golang-1.22-go golang-1.23-go)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing_main=()
missing_bpo=()
for p in "${MAIN_PKGS[@]}"; do is_installed "$p" || missing_main+=("$p"); done
for p in "${BPO_PKGS[@]}"; do is_installed "$p" || missing_bpo+=("$p"); done

if [ ${#missing_main[@]} -eq 0 ] && [ ${#missing_bpo[@]} -eq 0 ]; then
  echo "install-go-toolchains: all toolchains already installed"
else
  # Add bookworm-backports if no apt source mentions it yet.
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
    echo "install-go-toolchains: adding bookworm-backports apt source"
    if [ -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
      $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    else
      echo "deb http://deb.debian.org/debian bookworm-backports main" |
        $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
    fi
  fi

  $SUDO apt-get update -q

  failed=()
  installed_any=0
  install_one() { # $1 = target release ("" for default), rest = package
    local rel="$1"; shift
    local pkg="$1"
    local args=(-y -q --no-install-recommends)
    [ -n "$rel" ] && args+=(-t "$rel")
    if $SUDO apt-get install "${args[@]}" "$pkg"; then
      installed_any=1
    else
      echo "install-go-toolchains: WARNING: could not install $pkg${rel:+ from $rel}" >&2
      failed+=("$pkg")
    fi
  }
  for p in "${missing_main[@]+"${missing_main[@]}"}"; do install_one "" "$p"; done
  for p in "${missing_bpo[@]+"${missing_bpo[@]}"}"; do install_one bookworm-backports "$p"; done

  if [ ${#failed[@]} -gt 0 ]; then
    echo "install-go-toolchains: WARNING: not installed: ${failed[*]}" >&2
    if [ "$installed_any" -eq 0 ]; then
      exit 1
    fi
  fi
fi

for v in 1.19 1.21 1.22 1.23; do
  gobin=/usr/lib/go-$v/bin/go
  if [ -x "$gobin" ]; then
    printf '%-26s %s\n' "$gobin" "$(GOTOOLCHAIN=local "$gobin" version)"
  else
    printf '%-26s %s\n' "$gobin" "MISSING"
  fi
done
