#!/usr/bin/env bash
# Installs the Debian packages the kubelet node type needs (runc, iptables, ip, nsenter/unshare, conntrack,
# busybox-static, bash-static, curl, dig and nc for the test images) and headless Chromium (the report.html test).
# Idempotent: does nothing when every command is already there.
set -euo pipefail
declare -A pkg_of=(
  [runc]=runc
  [iptables]=iptables
  [iptables-save]=iptables
  [ip]=iproute2
  [nsenter]=util-linux
  [unshare]=util-linux
  [conntrack]=conntrack
  [busybox]=busybox-static
  [bash-static]=bash-static
  [curl]=curl
  [dig]=bind9-dnsutils
  [nc.openbsd]=netcat-openbsd
  [chromium-headless-shell]=chromium-headless-shell
)
missing=()
for cmd in "${!pkg_of[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_of[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" != 0 ]; then
  echo "install-debs: missing ${pkgs[*]}; run as root (or: sudo apt-get install -y ${pkgs[*]})" >&2
  exit 1
fi
echo "install-debs: installing ${pkgs[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
