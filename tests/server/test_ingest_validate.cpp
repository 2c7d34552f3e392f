// Strict ingest validation: the first problem named by its JSON path.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "server/http/gzip.hpp"
#include "server/http/ingest_validate.hpp"
#include "tests/server/records.hpp"
#include "tests/server/server_process.hpp"

using itsa::server::parse_ingest;
using nlohmann::json;

namespace {
const std::string k_agent = "0b9d0000-0000-4000-8000-00000000000a";

json rec(std::int64_t seq, const char* type = "lifecycle", json payload = {{"event", "start"}}) {
  return {{"agent_id", k_agent}, {"boot_id", "b1"}, {"seq", seq}, {"type", type}, {"time", "2026-11-27T03:15:07.250Z"},
          {"payload", payload}};
}
itsa::UtcTime now() {
  return itsa::SystemClock::instance().utc_now();
}
json batch(json records) {
  return {{"schema_version", 1}, {"agent_id", k_agent}, {"records", records}};
}
}  // namespace

TEST_CASE("a valid batch parses into records") {
  auto p = parse_ingest(batch({rec(1), rec(2, "coverage", itsa::test::coverage(0, 60000))}).dump(), k_agent, now());
  REQUIRE(p.status == 200);
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[1].type == "coverage");
  CHECK(p.records[0].time_ms == 1795749307250);
}

TEST_CASE("each schema violation is named") {
  auto err = [](const json& body) { return parse_ingest(body.dump(), k_agent, now()); };
  auto records = json::array({rec(1), rec(2), rec(3), rec(4)});
  records[3]["seq"] = -4;
  CHECK(err(batch(records)).error == "records[3].seq: must be a positive integer");
  records[3]["seq"] = 0;
  CHECK(err(batch(records)).error == "records[3].seq: must be a positive integer");
  records[3]["seq"] = 1.5;
  CHECK(err(batch(records)).error == "records[3].seq: must be a positive integer");
  records[3] = rec(4, "foo");
  CHECK(err(batch(records)).error == "records[3].type: unknown record type \"foo\"");
  records[3] = rec(4);
  records[3]["time"] = "yesterday";
  CHECK(err(batch(records)).error.find("records[3].time: must be an RFC 3339") == 0);
  records[3] = rec(4, "outage", {{"id", "o1"}, {"state", "open"}});
  CHECK(err(batch(records)).error == "records[3].payload.start: must be an RFC 3339 time");
  records[3] = rec(4, "assessment", {{"verdict", "maybe"}});
  CHECK(err(batch(records)).status == 400);
  records[3] = rec(4);
  records[3]["payload"] = "x";
  CHECK(err(batch(records)).error == "records[3].payload: must be an object");
  CHECK(err(json{{"agent_id", k_agent}, {"records", json::array()}}).error == "schema_version: must be 1");
  CHECK(parse_ingest("{\"schema_version\":1,", k_agent, now()).error.find("body: invalid JSON") == 0);
  CHECK(parse_ingest("[]", k_agent, now()).error == "body: must be a JSON object");
}

TEST_CASE("blip_minute is a known type: minute and per-layer counts checked") {
  const json ok{{"minute", "2026-11-27T03:15:00Z"},
                {"iface", "eth0"},
                {"blips", {{"link_down", 1}, {"lan", 2}, {"upstream", 0}, {"dns", 0}, {"unknown", 0}}}};
  auto p = parse_ingest(batch({rec(1, "blip_minute", ok)}).dump(), k_agent, now());
  REQUIRE(p.status == 200);
  CHECK(p.records[0].type == "blip_minute");
  json bad = ok;
  bad["blips"]["lan"] = -1;
  CHECK(parse_ingest(batch({rec(1, "blip_minute", bad)}).dump(), k_agent, now()).error ==
        "records[0].payload.blips.lan: must be a count");
  bad = ok;
  bad.erase("minute");
  CHECK(parse_ingest(batch({rec(1, "blip_minute", bad)}).dump(), k_agent, now()).error ==
        "records[0].payload.minute: must be an RFC 3339 time");
}

TEST_CASE("history is a known type: a well-formed group read from the system log") {
  const json ok{{"id", "windows_system_log:2026-10-15:link_down:e1cexpress:27:Intel:1760490000000"},
                {"source", "windows_system_log"},
                {"kind", "link_down"},
                {"provider", "e1cexpress"},
                {"event_id", 27},
                {"adapter", "Intel(R) Ethernet Connection I217-LM"},
                {"day", "2026-10-15"},
                {"count", 14},
                {"first", "2026-10-15T01:00:00Z"},
                {"last", "2026-10-15T09:00:00Z"},
                {"before_install", true}};
  auto p = parse_ingest(batch({rec(1, "history", ok)}).dump(), k_agent, now());
  REQUIRE(p.status == 200);
  CHECK(p.records[0].type == "history");
  json bad = ok;
  bad["kind"] = "mood";
  CHECK(parse_ingest(batch({rec(1, "history", bad)}).dump(), k_agent, now()).status == 400);
  bad = ok;
  bad["count"] = 0;
  CHECK(parse_ingest(batch({rec(1, "history", bad)}).dump(), k_agent, now()).status == 400);
  bad = ok;
  bad["first"] = "yesterday";
  CHECK(parse_ingest(batch({rec(1, "history", bad)}).dump(), k_agent, now()).error ==
        "records[0].payload.first, last: must be RFC 3339 times");
}

TEST_CASE("records of another agent are 403") {
  auto other = rec(1);
  other["agent_id"] = "someone-else";
  auto p = parse_ingest(batch({rec(1), other}).dump(), k_agent, now());
  CHECK(p.status == 403);
  CHECK(p.error == "records[1].agent_id: a record of another agent");
  auto q = batch({rec(1)});
  q["agent_id"] = "someone-else";
  CHECK(parse_ingest(q.dump(), k_agent, now()).status == 403);
}

TEST_CASE("gunzip refuses truncated streams and inflation bombs") {
  const std::string text(200000, 'a');
  auto z = itsa::test::gzip(text);
  std::string out;
  CHECK(itsa::server::gunzip(z, 1 << 20, out) == itsa::server::InflateStatus::ok);
  CHECK(out == text);
  CHECK(itsa::server::gunzip(z.substr(0, z.size() / 2), 1 << 20, out) == itsa::server::InflateStatus::corrupt);
  CHECK(itsa::server::gunzip(z, 1000, out) == itsa::server::InflateStatus::too_large);
  CHECK(itsa::server::gunzip("not gzip at all", 1000, out) == itsa::server::InflateStatus::corrupt);
}

TEST_CASE("a record dated before 2000 or more than a day ahead of the server's clock is refused, naming it") {
  const auto server_now = *itsa::parse_rfc3339("2026-11-27T12:00:00Z");
  auto at = [&](const char* time) {
    auto r = rec(1);
    r["time"] = time;
    return parse_ingest(batch({rec(2), r}).dump(), k_agent, server_now);
  };
  CHECK(at("2026-11-28T11:59:00Z").status == 200);  // within a day ahead: clocks drift
  CHECK(at("2000-01-01T00:00:00Z").status == 200);
  auto early = at("0001-01-01T00:00:00Z");
  CHECK(early.status == 400);
  CHECK(early.error.find("records[1].time:") == 0);  // beyond what a time point holds: not a time
  auto before_2000 = at("1999-12-31T23:59:59Z");
  CHECK(before_2000.status == 400);
  CHECK(before_2000.error.find("records[1].time: 1999-12-31T23:59:59Z is outside") == 0);
  CHECK(at("9999-12-31T00:00:00Z").status == 400);
  CHECK(at("2200-01-01T00:00:00Z").error.find("is outside") != std::string::npos);
  CHECK(at("2026-11-28T12:00:01Z").error.find("records[1].time:") == 0);
}

TEST_CASE("a body nested past the depth limit, or with too many values, is refused while parsing (413)") {
  // ~100k levels: a crash by recursion before this limit (issue 17).
  std::string deep = R"({"schema_version":1,"agent_id":")" + k_agent + R"(","records":[)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "]}";
  auto p = parse_ingest(deep, k_agent, now());
  CHECK(p.status == 413);
  CHECK(p.error == "body: nested deeper than 64 levels");
  // The depth a real inventory needs passes.
  json nested = json::object();
  json* at = &nested;
  for (int i = 0; i < 50; ++i) at = &((*at)["level"] = json::object());
  CHECK(parse_ingest(batch({rec(1, "lifecycle", {{"event", "start"}, {"detail", nested}})}).dump(), k_agent, now())
            .status == 200);

  std::string many = R"({"schema_version":1,"agent_id":")" + k_agent + R"(","records":[)";
  for (std::size_t i = 0; i < itsa::server::k_max_json_values; ++i) many += "0,";
  many += "0]}";
  auto m = parse_ingest(many, k_agent, now());
  CHECK(m.status == 413);
  CHECK(m.error.find("body: more than") == 0);
}

TEST_CASE("one record's payload over 256 KiB is refused, naming the record (413)") {
  auto big = rec(2, "lifecycle", {{"event", "start"}, {"detail", std::string(itsa::server::k_max_payload_bytes, 'x')}});
  auto p = parse_ingest(batch({rec(1), big}).dump(), k_agent, now());
  CHECK(p.status == 413);
  CHECK(p.error.find("records[1].payload: ") == 0);
  CHECK(p.error.find("at most 262144") != std::string::npos);
  auto fits = rec(2, "lifecycle", {{"event", "start"}, {"detail", std::string(200 * 1024, 'x')}});
  CHECK(parse_ingest(batch({rec(1), fits}).dump(), k_agent, now()).status == 200);
}
