// The Windows default route: lowest route metric + interface metric (route_choice.hpp).
#include <doctest/doctest.h>

#include "collectors/network/route_choice.hpp"

using namespace itsa::network;

namespace {
RouteRow route(std::string gateway, std::string interface, std::uint32_t index, std::uint32_t route_metric,
               std::optional<std::uint32_t> interface_metric) {
  RouteRow r;
  r.gateway = std::move(gateway);
  r.interface = std::move(interface);
  r.interface_index = index;
  r.route_metric = route_metric;
  r.interface_metric = interface_metric;
  return r;
}
}  // namespace

TEST_CASE("default route: the lowest route + interface metric wins, not the lowest route metric") {
  // Wi-Fi's route metric is lower, but Windows adds the interface metric (wired 10, Wi-Fi 50 here).
  std::vector<RouteRow> rows{route("192.168.1.1", "Wi-Fi", 12, 0, 50), route("10.0.0.1", "Ethernet", 7, 25, 10)};
  auto r = choose_default_route(rows);
  REQUIRE(r);
  CHECK(r->gateway == "10.0.0.1");
  CHECK(r->interface == "Ethernet");
}

TEST_CASE("default route: two NICs with equal sums go to the lower interface index, whatever the order") {
  std::vector<RouteRow> rows{route("10.0.1.1", "Ethernet 2", 9, 0, 25), route("10.0.0.1", "Ethernet", 4, 0, 25)};
  CHECK(choose_default_route(rows)->interface == "Ethernet");
  std::swap(rows[0], rows[1]);
  CHECK(choose_default_route(rows)->interface == "Ethernet");
}

TEST_CASE("default route: not a default, not connected or without a gateway is skipped; none is nullopt") {
  auto subnet = route("10.0.0.1", "Ethernet", 4, 0, 1);
  subnet.prefix_length = 24;
  auto unplugged = route("10.0.2.1", "Ethernet 3", 5, 0, 1);
  unplugged.interface_connected = false;
  auto onlink = route("0.0.0.0", "VPN", 6, 0, 1);
  auto wifi = route("192.168.1.1", "Wi-Fi", 12, 0, 55);
  auto unknown_metric = route("172.16.0.1", "Ethernet 4", 20, 100, std::nullopt);  // counted as 0
  CHECK(choose_default_route({subnet, unplugged, onlink, wifi})->interface == "Wi-Fi");
  CHECK(choose_default_route({subnet, unplugged, onlink, wifi, unknown_metric})->interface == "Wi-Fi");
  unknown_metric.route_metric = 20;
  CHECK(choose_default_route({wifi, unknown_metric})->interface == "Ethernet 4");
  CHECK_FALSE(choose_default_route({subnet, unplugged, onlink}));
  CHECK_FALSE(choose_default_route({}));
  // Metrics near the top of their range do not overflow.
  CHECK(choose_default_route(
            {route("10.0.0.1", "a", 1, 0xFFFFFFFFu, 0xFFFFFFFFu), route("10.0.0.2", "b", 2, 0xFFFFFFFFu, 0xFFFFFFFEu)})
            ->interface == "b");
}
