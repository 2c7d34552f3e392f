#!/usr/bin/env bash
# A small office in network namespaces, for fault injection (issue 4). Source it:
#   PC (itsalab-pc) --veth pc0/gwl-- gateway (itsalab-gw, forwarding) --veth gwu/inet0-- "internet" (itsalab-inet)
# The internet namespace serves TCP/HTTP on 10.231.2.2:8080 and DNS on 10.231.2.2:53, and
# answers on a second, independent network too (10.232.2.2: echo, TCP/HTTP :8080): an internet
# outage needs targets on two networks to fail (docs/network.md).
# Addresses are private test ranges that exist only inside these namespaces.
#   lab_up / lab_down / lab_fault NAME on|off   (NAME: cable lan provider dns loss:N)

LAB_PREFIX=${LAB_PREFIX:-itsalab}
LAB_PC=$LAB_PREFIX-pc
LAB_GW=$LAB_PREFIX-gw
LAB_INET=$LAB_PREFIX-inet
LAB_PC_ADDR=10.231.1.2
LAB_GW_LAN=10.231.1.1
LAB_GW_UP=10.231.2.1
LAB_INET_ADDR=10.231.2.2
LAB_INET2_ADDR=10.232.2.2
LAB_DIR=${LAB_DIR:-$(mktemp -d /tmp/itsalab.XXXXXX)}
LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Exits 77 (CTest "skipped", with the reason) when the lab cannot run here.
lab_preflight() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: the lab needs root (network namespaces, veth, nftables); run as root or in CI"
    exit 77
  fi
  local tool
  for tool in ip nft python3; do
    command -v "$tool" >/dev/null || { echo "SKIP: '$tool' is missing (scripts/install-deps --tests)"; exit 77; }
  done
}

# Injects each fault of the office for FAULT_S seconds, in order (cable, lan, provider, dns), with
# an 8 s recovery after each, and writes "<fault> on|off <unix time>" lines to EVENTS.
lab_fault_sequence() {  # lab_fault_sequence EVENTS FAULT_S
  local events=$1 fault_s=$2 fault
  for fault in cable lan provider dns; do
    echo "$fault on $(date -u +%s.%N)" >>"$events"
    lab_fault "$fault" on
    sleep "$fault_s"
    lab_fault "$fault" off
    echo "$fault off $(date -u +%s.%N)" >>"$events"
    sleep 8  # recovery (up_after rounds) and a quiet gap
  done
}

lab_down() {
  for ns in "$LAB_PC" "$LAB_GW" "$LAB_INET"; do
    if ip netns pids "$ns" >/dev/null 2>&1; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
      sleep 0.2
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    fi
    ip netns del "$ns" 2>/dev/null || true
  done
}

lab_up() {
  lab_down
  set -e
  for ns in "$LAB_PC" "$LAB_GW" "$LAB_INET"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add pc0 netns "$LAB_PC" type veth peer name gwl netns "$LAB_GW"
  ip link add gwu netns "$LAB_GW" type veth peer name inet0 netns "$LAB_INET"
  ip -n "$LAB_PC" addr add "$LAB_PC_ADDR/24" dev pc0
  ip -n "$LAB_GW" addr add "$LAB_GW_LAN/24" dev gwl
  ip -n "$LAB_GW" addr add "$LAB_GW_UP/24" dev gwu
  ip -n "$LAB_INET" addr add "$LAB_INET_ADDR/24" dev inet0
  ip -n "$LAB_INET" addr add "$LAB_INET2_ADDR/24" dev inet0
  ip -n "$LAB_PC" link set pc0 up
  ip -n "$LAB_GW" link set gwl up
  ip -n "$LAB_GW" link set gwu up
  ip -n "$LAB_INET" link set inet0 up
  ip -n "$LAB_PC" route add default via "$LAB_GW_LAN"
  ip -n "$LAB_INET" route add 10.231.1.0/24 via "$LAB_GW_UP"
  ip -n "$LAB_GW" route add 10.232.2.0/24 via "$LAB_INET_ADDR"
  ip netns exec "$LAB_GW" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$LAB_GW" nft -f - <<NFT
table inet itsalab {
  chain input { type filter hook input priority 0; policy accept; }
  chain forward { type filter hook forward priority 0; policy accept; }
  chain output { type filter hook output priority 0; policy accept; }
}
table arp itsalab {
  chain input { type filter hook input priority 0; policy accept; }
}
NFT
  ip netns exec "$LAB_INET" python3 -m http.server 8080 --bind 0.0.0.0 --directory "$LAB_DIR" \
    >"$LAB_DIR/http.log" 2>&1 &
  ip netns exec "$LAB_INET" python3 "$LAB_HERE/dns_responder.py" "$LAB_INET_ADDR" 53 "$LAB_INET_ADDR" "$LAB_DIR/dns_delay_s" \
    >"$LAB_DIR/dns.log" 2>&1 &
  set +e
  for _ in $(seq 50); do
    if ip netns exec "$LAB_PC" python3 - "$LAB_INET_ADDR" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection((sys.argv[1], 8080), timeout=0.5); s.close()
PY
    sleep 0.1
  done
  echo "lab: the internet namespace's HTTP service did not come up" >&2
  return 1
}

# Flushes the injected rules (the base chains stay).
lab_clear_rules() {
  ip netns exec "$LAB_GW" nft flush chain inet itsalab input
  ip netns exec "$LAB_GW" nft flush chain inet itsalab forward
  ip netns exec "$LAB_GW" nft flush chain inet itsalab output
  ip netns exec "$LAB_GW" nft flush chain arp itsalab input
  rm -f "$LAB_DIR/dns_delay_s"
}

lab_fault() {
  local name=$1 state=$2 nft="ip netns exec $LAB_GW nft"
  case "$name:$state" in
    cable:on) ip -n "$LAB_GW" link set gwl down ;;          # the PC sees carrier loss
    cable:off) ip -n "$LAB_GW" link set gwl up ;;
    lan:on) $nft add rule inet itsalab input iifname gwl drop
            $nft add rule inet itsalab forward iifname gwl drop
            $nft add rule arp itsalab input iifname gwl drop ;;  # link up, nothing passes (ARP neither)
    provider:on) ip -n "$LAB_GW" link set gwu down ;;       # the gateway's upstream is gone
    provider:off) ip -n "$LAB_GW" link set gwu up
                  ip -n "$LAB_INET" route replace 10.231.1.0/24 via "$LAB_GW_UP" ;;
    dns:on) $nft add rule inet itsalab forward udp dport 53 drop
            $nft add rule inet itsalab forward tcp dport 53 drop ;;
    # The provider is gone but the office firewall (the gateway) resets TCP to the internet itself.
    firewall:on) $nft add rule inet itsalab forward tcp dport 8080 reject with tcp reset
                 $nft add rule inet itsalab forward oifname gwu drop ;;
    firewall:off) lab_clear_rules ;;
    slowdns:on) echo 2.5 >"$LAB_DIR/dns_delay_s" ;;        # the resolver answers, 2.5 s late
    slowdns:off) rm -f "$LAB_DIR/dns_delay_s" ;;
    loss:*:on|loss:*:off) ;;
    lan:off|dns:off) lab_clear_rules ;;
    *) ;;
  esac
  if [[ $name == loss:* ]]; then
    local pct=${name#loss:}
    if [ "$state" = on ]; then  # a lossy cable: both directions of the PC's port
      $nft add rule inet itsalab input iifname gwl numgen random mod 100 "<" "$pct" drop
      $nft add rule inet itsalab output oifname gwl numgen random mod 100 "<" "$pct" drop
      $nft add rule inet itsalab forward iifname gwl numgen random mod 100 "<" "$pct" drop
      $nft add rule inet itsalab forward oifname gwl numgen random mod 100 "<" "$pct" drop
    else
      lab_clear_rules
    fi
  fi
}

# Writes an agent config for the PC namespace to $1 (data_dir $2, extra probes JSON $3).
lab_agent_config() {
  cat >"$1" <<JSON
{
  "data_dir": "$2",
  "probes": {
    "interval_s": ${LAB_INTERVAL_S:-1},
    "gateway": "auto",
    "internet": ["tcp://$LAB_INET_ADDR:8080", "icmp://$LAB_INET2_ADDR", "http://$LAB_INET_ADDR:8080/"],
    "dns": {"resolver": "$LAB_INET_ADDR", "name": "www.itsa.lab"}
  },
  "log": {"level": "info"}
}
JSON
}

# A gateway that ignores ping to itself (many office routers and ISP modems) but forwards.
lab_silent_gateway() {
  ip netns exec "$LAB_GW" nft add table inet itsalab_silent
  ip netns exec "$LAB_GW" nft add chain inet itsalab_silent input '{ type filter hook input priority -10; policy accept; }'
  ip netns exec "$LAB_GW" nft add rule inet itsalab_silent input icmp type echo-request drop
}

# A second interface on the PC (another NIC on another network, no default route through it).
lab_second_nic() {
  ip link add pc1 netns "$LAB_PC" type veth peer name gws netns "$LAB_GW"
  ip -n "$LAB_PC" addr add 10.231.9.2/24 dev pc1
  ip -n "$LAB_GW" addr add 10.231.9.1/24 dev gws
  ip -n "$LAB_PC" link set pc1 up
  ip -n "$LAB_GW" link set gws up
}
