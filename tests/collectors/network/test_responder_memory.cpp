// ResponderMemory: targets known good across runs, per gateway, bounded, tolerant of bad saves.
#include <doctest/doctest.h>

#include "collectors/network/responder_memory.hpp"
#include "common/time_format.hpp"

using namespace itsa;
using namespace itsa::network;
using namespace std::chrono_literals;

namespace {
UtcTime at(const char* text) {
  return *parse_rfc3339(text);
}
}  // namespace

TEST_CASE("a target that answered through a gateway is known there, for k_responder_keep, after a save") {
  ResponderMemory m;
  const auto t0 = at("2026-12-01T08:00:00Z");
  CHECK_FALSE(m.known("10.0.0.1", "tcp://a:443", t0));
  CHECK(m.note("10.0.0.1", "tcp://a:443", t0));                // new: save
  CHECK_FALSE(m.note("10.0.0.1", "tcp://a:443", t0 + 10min));  // saved recently: no write
  CHECK(m.note("10.0.0.1", "tcp://a:443", t0 + 2h));           // refresh after an hour
  const auto saved = ResponderMemory::from_json(m.to_json());
  CHECK(saved.known("10.0.0.1", "tcp://a:443", t0 + 3h));
  CHECK_FALSE(saved.known("192.168.1.1", "tcp://a:443", t0 + 3h));  // another network: unknown
  CHECK_FALSE(saved.known("10.0.0.1", "tcp://b:443", t0 + 3h));
  CHECK(saved.known("10.0.0.1", "tcp://a:443", t0 + 2h + k_responder_keep));
  CHECK_FALSE(saved.known("10.0.0.1", "tcp://a:443", t0 + 2h + k_responder_keep + 1s));  // too old
  CHECK_FALSE(saved.known("10.0.0.1", "tcp://a:443", t0 - 1h));  // an answer "from the future" (clock set back)
}

TEST_CASE("a hostile or damaged save is read as far as it is valid, never past its bounds") {
  const auto t0 = at("2026-12-01T08:00:00Z");
  auto m = ResponderMemory::from_json(nlohmann::json::parse(
      R"({"10.0.0.1": {"tcp://a:443": "2026-12-01T07:00:00Z", "tcp://b:443": 5, "tcp://c:443": "not a time"},
          "10.0.0.2": [1, 2], "10.0.0.3": "x"})"));
  CHECK(m.known("10.0.0.1", "tcp://a:443", t0));
  CHECK_FALSE(m.known("10.0.0.1", "tcp://b:443", t0));
  CHECK_FALSE(m.known("10.0.0.1", "tcp://c:443", t0));
  CHECK(ResponderMemory::from_json(nlohmann::json::array()).empty());
  CHECK(ResponderMemory::from_json(nullptr).empty());

  nlohmann::json big = nlohmann::json::object();
  for (int g = 0; g < 20; ++g)
    for (int t = 0; t < 100; ++t)
      big["gw" + std::to_string(g)]["t" + std::to_string(t)] = to_rfc3339(t0 + std::chrono::minutes(g * 100 + t));
  const auto bounded = ResponderMemory::from_json(big).to_json();
  CHECK(bounded.size() == k_responder_max_gateways);
  CHECK(bounded.contains("gw19"));  // the most recent networks are kept
  CHECK_FALSE(bounded.contains("gw0"));
  CHECK(bounded["gw19"].size() == k_responder_max_targets);
  CHECK(bounded["gw19"].contains("t99"));  // and their most recent targets
  CHECK_FALSE(bounded["gw19"].contains("t0"));
}
