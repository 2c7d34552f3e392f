#!/usr/bin/env bash
# Prober cost at the default settings (issue 4): CPU of the itsa-agent process and the
# bytes it puts on the PC's link, measured in the lab (tests/lab/office.sh), as root.
#   bench_prober.sh AGENT_BINARY [SECONDS=300]
# Targets mirror the default config (tcp, icmp, http(s)) but point into the lab's
# "internet" namespace; http:// stands in for https:// (TLS would add ~5 KB per probe,
# every 120 s: ~40 B/s, added to the table by hand).
set -euo pipefail
AGENT=${1:?usage: bench_prober.sh AGENT_BINARY [SECONDS]}
SECONDS_RUN=${2:-300}
export LAB_PREFIX=itsabench LAB_INTERVAL_S=5
WORK=$(mktemp -d /tmp/itsabench.XXXXXX)
export LAB_DIR=$WORK/lab
mkdir -p "$LAB_DIR"
source "$(dirname "$0")/../../tests/lab/office.sh"
trap lab_down EXIT INT TERM
lab_up
lab_agent_config "$WORK/agent.json" "$WORK/data"
# Byte counters on the PC's port (both directions), at the gateway.
ip netns exec "$LAB_GW" nft add rule inet itsalab input iifname gwl counter
ip netns exec "$LAB_GW" nft add rule inet itsalab output oifname gwl counter
ip netns exec "$LAB_GW" nft add rule inet itsalab forward iifname gwl counter
ip netns exec "$LAB_GW" nft add rule inet itsalab forward oifname gwl counter
# ARP to and from the gateway (the layer-2 check of each round, issue 14): its own family.
ip netns exec "$LAB_GW" nft add chain arp itsalab output '{ type filter hook output priority 0; policy accept; }'
ip netns exec "$LAB_GW" nft add rule arp itsalab input iifname gwl counter
ip netns exec "$LAB_GW" nft add rule arp itsalab output oifname gwl counter
ip netns exec "$LAB_PC" "$AGENT" run --config "$WORK/agent.json" >"$WORK/agent.log" 2>&1 &
pid=$!
sleep 10  # start-up (store creation, first inventory of links) is not steady state
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
bytes() { ip netns exec "$LAB_GW" nft list chain "$1" itsalab "$2" | awk '/counter/ {for (i=1;i<=NF;i++) if ($i=="bytes") s+=$(i+1)} END {print s+0}'; }
total_bytes() { echo $(( $(bytes inet input) + $(bytes inet output) + $(bytes inet forward) )); }
arp_bytes() { echo $(( $(bytes arp input) + $(bytes arp output) )); }
t0=$(ticks); b0=$(total_bytes); a0=$(arp_bytes); s0=$(date +%s.%N)
sleep "$SECONDS_RUN"
t1=$(ticks); b1=$(total_bytes); a1=$(arp_bytes); s1=$(date +%s.%N)
kill -TERM "$pid"; wait "$pid" || true
hz=$(getconf CLK_TCK)
python3 - "$t0" "$t1" "$b0" "$b1" "$s0" "$s1" "$hz" "$a0" "$a1" <<'PY'
import sys
t0, t1, b0, b1, s0, s1, hz, a0, a1 = map(float, sys.argv[1:])
el = s1 - s0
cpu = (t1 - t0) / hz / el * 100
# ARP payload bytes as nft counts them (28 per packet), on the wire an Ethernet frame is 60: scale.
arp_wire = (a1 - a0) * 60 / 28
print(f"elapsed_s={el:.0f} cpu_pct_of_one_core={cpu:.4f} ip_bytes_per_s={(b1 - b0) / el:.1f} "
      f"arp_wire_bytes_per_s={arp_wire / el:.1f} total_bytes_per_s={((b1 - b0) + arp_wire) / el:.1f}")
PY
