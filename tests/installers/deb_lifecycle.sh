#!/usr/bin/env bash
# The itsa-agent .deb in a throwaway root: install with install-time settings, upgrade (data and
# config kept), remove (kept), purge (gone). dpkg --root with chrootless maintainer scripts, which
# honour DPKG_ROOT, so nothing on this machine changes.
#   deb_lifecycle.sh <build-dir>        (runs cpack there first)
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -D CPACK_COMPONENTS_ALL=agent >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$build"/itsa-agent_*_amd64.deb | head -1)
[ -f "$deb" ] || fail "no itsa-agent .deb in $build"
echo "package: $(basename "$deb")"
info=$(dpkg-deb -I "$deb")
listing=$(dpkg-deb -c "$deb")
grep -q ' conffiles' <<<"$info" || fail "no conffiles in the package"
grep -q ' ./usr/bin/itsa-agent$' <<<"$listing" || fail "binary missing"
grep -q ' ./lib/systemd/system/itsa-agent.service$' <<<"$listing" || fail "unit missing"
grep -q ' ./etc/itsa/agent.json$' <<<"$listing" || fail "config missing"

# Version 2 of the same package, for the upgrade.
mkdir "$work/v2"
dpkg-deb -R "$deb" "$work/v2/pkg"
version=$(dpkg-deb -f "$deb" Version)
sed -i "s/^Version: .*/Version: ${version}+upgrade1/" "$work/v2/pkg/DEBIAN/control"
dpkg-deb -Znone -b "$work/v2/pkg" "$work/v2/itsa-agent-v2.deb" >/dev/null

# A minimal root: dpkg's database and the account files.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc" "$root/usr/sbin"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' > "$root/etc/shadow"
printf 'root:*::\n' > "$root/etc/gshadow"
dpkg_root() { dpkg --root="$root" --force-script-chrootless --force-depends --force-not-root "$@"; }

echo "== install with ITSA_SERVER_URL / ITSA_ENROLL_TOKEN"
ITSA_SERVER_URL=https://itsa.example.org ITSA_ENROLL_TOKEN=tok-install dpkg_root -i "$deb" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "dpkg -i"; }
[ -x "$root/usr/bin/itsa-agent" ] || fail "no /usr/bin/itsa-agent"
[ -f "$root/lib/systemd/system/itsa-agent.service" ] || fail "no unit"
[ -L "$root/etc/systemd/system/multi-user.target.wants/itsa-agent.service" ] || fail "service not enabled"
grep -q '^itsa:' "$root/etc/passwd" || fail "no user itsa"
uid=$(awk -F: '$1 == "itsa" { print $3 }' "$root/etc/passwd")
[ -d "$root/var/lib/itsa" ] || fail "no /var/lib/itsa"
[ "$(stat -c '%u %a' "$root/var/lib/itsa")" = "$uid 750" ] || fail "/var/lib/itsa: $(stat -c '%u %a' "$root/var/lib/itsa")"
cfg=$root/etc/itsa/agent.json
"$build/agent/itsa-agent" check-config "$cfg" >/dev/null || fail "installed config invalid"
python3 - "$cfg" <<'PY' || fail "install settings not in agent.json: $(cat "$cfg")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["server"]["url"] == "https://itsa.example.org", doc
assert doc["server"]["enroll_token"] == "tok-install", doc
PY
[ "$(stat -c '%a' "$cfg")" = 640 ] || fail "agent.json mode $(stat -c '%a' "$cfg")"
dpkg --root="$root" -s itsa-agent | grep -q '/etc/itsa/agent.json' || fail "agent.json is not a conffile"
echo "ok: installed, enabled, configured"

echo "== upgrade keeps data and config"
echo "evidence" > "$root/var/lib/itsa/evidence.db"
python3 - "$cfg" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); doc["site"] = "HQ"; json.dump(doc, open(sys.argv[1], "w"))
PY
dpkg_root -i "$work/v2/itsa-agent-v2.deb" >"$work/upgrade.log" 2>&1 < /dev/null || { cat "$work/upgrade.log" >&2; fail "upgrade"; }
dpkg --root="$root" -s itsa-agent | grep -q "^Version: ${version}+upgrade1" || fail "not upgraded"
[ "$(cat "$root/var/lib/itsa/evidence.db")" = evidence ] || fail "upgrade lost the data"
grep -q '"site": *"HQ"' "$cfg" && grep -q tok-install "$cfg" || fail "upgrade changed the config: $(cat "$cfg")"
echo "ok: upgraded, data and config kept"

echo "== remove keeps, purge deletes"
dpkg_root -r itsa-agent >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "remove"; }
[ ! -e "$root/usr/bin/itsa-agent" ] || fail "binary left after remove"
[ -f "$root/var/lib/itsa/evidence.db" ] && [ -f "$cfg" ] || fail "remove deleted data or config"
dpkg_root -P itsa-agent >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "purge"; }
[ ! -e "$root/var/lib/itsa" ] || fail "purge left /var/lib/itsa"
[ ! -e "$root/etc/itsa" ] || fail "purge left /etc/itsa: $(ls -A "$root/etc/itsa")"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/itsa-agent.service" ] || fail "purge left the enable link"
echo "ok: purged"
