// Payload structs: the bytes they write and what they refuse to read.
#include <doctest/doctest.h>

#include "protocol/payloads.hpp"

using itsa::protocol::OutageProbeSettings;
using nlohmann::json;

TEST_CASE("outage probe settings: written as evidence fields, read back") {
  const json j = OutageProbeSettings{5, 2, 3};
  CHECK(j.dump() == R"({"down_after":2,"probe_interval_s":5,"up_after":3})");
  const auto back = j.get<OutageProbeSettings>();
  CHECK(back.probe_interval_s == 5);
  CHECK(back.down_after == 2);
  CHECK(back.up_after == 3);
}

TEST_CASE("outage probe settings: merged into an evidence object, the other fields stay") {
  json evidence{{"first_round", {{"gateway", "lost"}}}, {"failed_rounds", 4}};
  evidence.update(json(OutageProbeSettings{10, 3, 2}));
  CHECK(evidence.dump() ==
        R"({"down_after":3,"failed_rounds":4,"first_round":{"gateway":"lost"},"probe_interval_s":10,"up_after":2})");
}

TEST_CASE("outage probe settings: a missing or mistyped field is refused") {
  CHECK_THROWS(json{{"probe_interval_s", 5}, {"down_after", 2}}.get<OutageProbeSettings>());
  CHECK_THROWS(json{{"probe_interval_s", "5"}, {"down_after", 2}, {"up_after", 2}}.get<OutageProbeSettings>());
}
