// The record type names: their wire spelling, which are minute series, and docs/protocol.md.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <string>

#include "common/minute_series.hpp"
#include "protocol/record_types.hpp"

using namespace itsa;
namespace rt = itsa::protocol::record_type;

TEST_CASE("record types: the wire spelling of every type, each once") {
  const std::vector<std::string> expected{"inventory",   "assessment",   "pressure_minute", "link_event",
                                          "link_minute", "probe_minute", "outage",          "degraded",
                                          "blip_minute", "coverage",     "lifecycle",       "store_event",
                                          "disk_health", "instability",  "history"};
  std::vector<std::string> names(protocol::record_types.begin(), protocol::record_types.end());
  CHECK(names == expected);
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
  for (const auto& n : expected) CHECK(protocol::is_record_type(n));
  CHECK_FALSE(protocol::is_record_type("foo"));
  CHECK_FALSE(protocol::is_record_type(""));
  CHECK_FALSE(protocol::is_record_type("Outage"));
  CHECK(std::string(rt::outage) == "outage");
  CHECK(std::string(rt::probe_minute) == "probe_minute");
  CHECK(std::string(rt::blip_minute) == "blip_minute");
}

TEST_CASE("record types: exactly the three per-minute types are minute series") {
  std::set<std::string> minute;
  for (auto t : protocol::record_types)
    if (protocol::is_minute_series(t)) minute.insert(std::string(t));
  CHECK(minute == std::set<std::string>{"pressure_minute", "link_minute", "probe_minute"});
  CHECK(series::minute_types.size() == 3);
  for (auto t : series::minute_types) CHECK(protocol::is_record_type(t));
}

TEST_CASE("record types: the report reads every type but inventory, assessment and store_event") {
  std::set<std::string> read(protocol::report_types.begin(), protocol::report_types.end());
  CHECK(read.size() == protocol::report_types.size());
  CHECK(read.count(rt::disk_health) == 1);  // the system disk's verdict (issue 19 item 5)
  CHECK(read.count(rt::instability) == 1);  // unexpected shutdowns and OS crashes
  CHECK(read.count(rt::history) == 1);      // the system log's events before itsa (issue 18 item 4)
  for (auto t : protocol::record_types) {
    const bool latest_only = t == rt::inventory || t == rt::assessment || t == rt::store_event;
    CHECK_MESSAGE(read.count(std::string(t)) == (latest_only ? 0u : 1u), t);
  }
}

TEST_CASE("record types: docs/protocol.md has a table row for each type") {
  std::ifstream in(std::string(ITSA_SOURCE_DIR) + "/docs/protocol.md", std::ios::binary);
  REQUIRE(in);
  const std::string doc{std::istreambuf_iterator<char>(in), {}};
  for (auto t : protocol::record_types)
    CHECK_MESSAGE(doc.find("\n| `" + std::string(t) + "` |") != std::string::npos, t);
}
