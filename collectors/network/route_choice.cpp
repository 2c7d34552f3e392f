#include "collectors/network/route_choice.hpp"

namespace itsa::network {

std::optional<DefaultRoute> choose_default_route(const std::vector<RouteRow>& rows) {
  const RouteRow* best = nullptr;
  std::uint64_t best_sum = 0;
  for (const auto& r : rows) {
    if (r.prefix_length != 0 || !r.interface_connected || r.gateway.empty() || r.gateway == "0.0.0.0") continue;
    const std::uint64_t sum = std::uint64_t{r.route_metric} + r.interface_metric.value_or(0);
    if (!best || sum < best_sum || (sum == best_sum && r.interface_index < best->interface_index)) {
      best = &r;
      best_sum = sum;
    }
  }
  if (!best) return std::nullopt;
  return DefaultRoute{best->gateway, best->interface};
}

}  // namespace itsa::network
