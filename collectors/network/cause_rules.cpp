#include "collectors/network/cause_rules.hpp"

#include <algorithm>
#include <set>

#include <boost/asio/ip/address.hpp>

namespace itsa::network {

namespace {
/// A refusal is the target's own only when it took clearly longer than the gateway's answer.
constexpr double k_refusal_rtt_factor = 3.0;
constexpr double k_refusal_rtt_margin_ms = 5.0;
}  // namespace

std::string_view cause_name(Cause cause) {
  switch (cause) {
    case Cause::link_down:
      return "link_down";
    case Cause::lan:
      return "lan";
    case Cause::upstream:
      return "upstream";
    case Cause::dns:
      return "dns";
    case Cause::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string network_key(std::string_view host) {
  std::string h(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(h, ec);
  if (!ec && addr.is_v4()) {
    auto b = addr.to_v4().to_bytes();
    return std::to_string(b[0]) + "." + std::to_string(b[1]) + ".0.0/16";
  }
  if (!ec && addr.is_v6()) {
    auto b = addr.to_v6().to_bytes();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02x%02x:%02x%02x::/32", b[0], b[1], b[2], b[3]);
    return buf;
  }
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  while (!h.empty() && h.back() == '.') h.pop_back();
  auto last = h.rfind('.');
  if (last == std::string::npos || last == 0) return h;
  auto before = h.rfind('.', last - 1);
  return before == std::string::npos ? h : h.substr(before + 1);
}

bool refusal_from_beyond(double refusal_rtt_ms, std::optional<double> gateway_rtt_ms) {
  if (!gateway_rtt_ms) return false;
  return refusal_rtt_ms >= k_refusal_rtt_factor * *gateway_rtt_ms &&
         refusal_rtt_ms >= *gateway_rtt_ms + k_refusal_rtt_margin_ms;
}

Verdict classify(const RoundFacts& f) {
  if (!f.route_link_up) return {Cause::link_down, "route_interface_no_carrier"};
  if (!f.lan.has_route) return {Cause::unknown, "no_default_route"};

  int proven = 0;
  int near_answers = 0;
  bool any_known_good = false;
  std::set<std::string> silent_networks;  // networks of known-good targets not reached now
  for (const auto& p : f.internet) {
    if (p.outcome == TargetOutcome::answered) ++proven;
    if (p.outcome == TargetOutcome::answered_near) ++near_answers;
    any_known_good = any_known_good || p.known_good;
    if (p.outcome != TargetOutcome::answered && p.known_good) silent_networks.insert(p.network);
  }
  const auto& lan = f.lan;
  // Anything that answered proves the path to the first hop.
  const bool lan_reached = lan.gateway_l2.value_or(false) || lan.gateway_echo.value_or(false) || lan.lan_answered > 0 ||
                           near_answers > 0 || proven > 0;
  const bool gateway_unresolvable = lan.gateway_l2.has_value() && !*lan.gateway_l2;
  const bool lan_silent =
      (lan.gateway_echo.has_value() && !*lan.gateway_echo && lan.gateway_echo_known) || lan.lan_silent_known > 0;

  if (proven > 0) {
    if (f.dns_ok.has_value() && !*f.dns_ok) return {Cause::dns, "resolver_silent_internet_answers"};
    return {std::nullopt, "internet_answers"};
  }
  if (!lan_reached && gateway_unresolvable) return {Cause::lan, "gateway_unresolvable"};
  if (!lan_reached && lan_silent) return {Cause::lan, "lan_silent"};
  if (f.internet.empty()) {
    if (f.dns_ok.has_value() && !*f.dns_ok) return {Cause::unknown, "resolver_silent_no_internet_target"};
    return {std::nullopt, "no_internet_target"};
  }
  if (static_cast<int>(silent_networks.size()) >= k_min_failed_networks) {
    if (lan_reached) return {Cause::upstream, "gateway_reachable_internet_silent"};
    return {Cause::unknown, "internet_silent_gateway_unproven"};
  }
  if (!any_known_good) return {std::nullopt, "targets_never_answered"};
  return {std::nullopt, "target_unreachable"};
}

}  // namespace itsa::network
