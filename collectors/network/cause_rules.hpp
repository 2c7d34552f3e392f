#pragma once
// The cause rules (issue 14, docs/network.md "Causes"): what one probe round proves about
// each layer of the path, and the failing layer it names. A layer is blamed only on evidence
// that cannot come from a nearer device; when the evidence does not decide, the cause is
// `unknown`. Pure: the round's facts come from the caller.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace itsa::network {

/// Where the path broke, lowest layer first (protocol.md outage "cause"). `unknown`: something
/// failed but the evidence does not say where (never folded into `lan`).
enum class Cause { link_down, lan, upstream, dns, unknown };

/// "link_down", "lan", "upstream", "dns", "unknown".
std::string_view cause_name(Cause cause);

/// How one internet target answered this round.
enum class TargetOutcome {
  answered,  ///< handshake completed, HTTP response, echo reply, or a refusal proven to come from beyond the gateway
  answered_near,  ///< a refusal/reset that may come from the first hop (a firewall answering for the internet)
  failed,         ///< no answer (timeout, unreachable)
};

/// One internet target in one round.
struct InternetProbe {
  std::string target;   ///< its URI
  std::string network;  ///< network_key(): targets on one network are not independent
  TargetOutcome outcome = TargetOutcome::failed;
  bool known_good = false;  ///< it gave a proven answer earlier in this run: its silence is evidence
};

/// What the round knows of the default gateway and the LAN.
struct LanEvidence {
  bool has_route = true;             ///< an IPv4 default route exists
  std::optional<bool> gateway_l2;    ///< ARP/neighbour: answered / unresolvable / not tried
  std::optional<bool> gateway_echo;  ///< ICMP echo to the gateway this round (nullopt: none sent)
  bool gateway_echo_known = false;   ///< this gateway answered echo earlier in this run
  int lan_answered = 0;              ///< configured LAN targets that answered now
  int lan_silent_known = 0;          ///< configured LAN targets silent now that answered earlier
};

/// The facts of one round that the rules read.
struct RoundFacts {
  bool route_link_up = true;  ///< carrier on the interface of the default route (any carrier if no route)
  LanEvidence lan;
  std::vector<InternetProbe> internet;  ///< empty: no internet target this round
  std::optional<bool> dns_ok;           ///< the resolver answered in its patience (nullopt: not decided)
};

/// A rule's verdict: the failing layer (nullopt = the round is good) and the rule that named it.
struct Verdict {
  std::optional<Cause> cause;
  std::string rule;  ///< e.g. "gateway_unresolvable" (docs/network.md lists them)
};

/// Independent internet targets needed to call the internet layer down.
inline constexpr int k_min_failed_networks = 2;

/// Applies the rules to one round.
Verdict classify(const RoundFacts& facts);

/// The network a target host belongs to, for independence: an IPv4 address's /16, an IPv6
/// address's /32, a name's last two labels ("www.example.com" -> "example.com").
std::string network_key(std::string_view host);

/// Whether a refusal at `refusal_rtt_ms` can come only from beyond a gateway whose RTT is
/// `gateway_rtt_ms` (unknown gateway RTT: never).
bool refusal_from_beyond(double refusal_rtt_ms, std::optional<double> gateway_rtt_ms);

}  // namespace itsa::network
