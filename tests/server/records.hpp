#pragma once
// Records shaped as in docs/protocol.md, for seeding server tests.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/time_format.hpp"
#include "server/storage/storage.hpp"

namespace itsa::test {

/// "2026-11-27T03:15:07.250Z" for unix ms.
inline std::string iso(std::int64_t ms) {
  return itsa::to_rfc3339_ms(itsa::from_unix_ms(ms));
}

/// A record for Storage::ingest.
inline server::RecordIn record(const std::string& agent, std::int64_t seq, const std::string& type,
                               std::int64_t time_ms, const nlohmann::json& payload,
                               const std::string& boot = "5e2c0000-0000-4000-8000-000000000001") {
  return server::RecordIn{agent, boot, seq, type, time_ms, payload.dump()};
}

inline nlohmann::json coverage(std::int64_t start_ms, std::int64_t end_ms, const char* reason = "running") {
  return {{"start", iso(start_ms)}, {"end", iso(end_ms)}, {"end_reason", reason}, {"clock_synced", true}};
}

inline nlohmann::json outage(const std::string& id, std::int64_t start_ms, std::int64_t end_ms,
                             const char* cause = "link_down") {
  return {{"id", id},
          {"state", "closed"},
          {"start", iso(start_ms)},
          {"end", iso(end_ms)},
          {"duration_s", (end_ms - start_ms) / 1000},
          {"cause", cause},
          {"interface", "eth0"},
          {"end_reason", "recovered"},
          {"clock_synced", true},
          {"evidence", nlohmann::json::object()}};
}

inline nlohmann::json inventory(const std::string& hostname) {
  return {{"hostname", hostname},
          {"system", {{"manufacturer", "Dell Inc."}, {"product", "OptiPlex 3020"}}},
          {"bios", {{"vendor", "Dell Inc."}, {"version", "A18"}, {"release_date", "2014-05-20"}}},
          {"cpu", {{"model", "Intel(R) Core(TM) i3-4150 CPU @ 3.50GHz"}, {"cores", 2}, {"threads", 4}}},
          {"memory", {{"total_bytes", 4294967296LL}}},
          {"disks", {{{"model", "ST500DM002"}, {"media", "hdd"}, {"size_bytes", 500107862016LL}, {"system", true}}}},
          {"os", {{"name", "Windows 10 Pro"}, {"version", "22H2"}, {"support", {{"status", "ended"}}}}},
          {"firmware", nlohmann::json::object()},
          {"tpm", nlohmann::json::object()},
          {"network", nlohmann::json::array()},
          {"collected_at", "2026-11-27T03:00:00.000Z"},
          {"agent_version", "0.1.0"},
          {"notes", nlohmann::json::array()}};
}

inline nlohmann::json assessment(const char* verdict) {
  return {{"profile", "default"},
          {"verdict", verdict},
          {"rules",
           {{{"id", "ram_min"},
             {"result", "fail"},
             {"measured", "4 GiB"},
             {"required", ">= 8 GiB"},
             {"reason", "RAM below 8 GiB"}}}}};
}

/// A record as it travels in an ingest batch (docs/protocol.md); `time` replaces its time text.
inline nlohmann::json wire(const server::RecordIn& r, const std::string& time = "") {
  return {{"agent_id", r.agent_id},
          {"boot_id", r.boot_id},
          {"seq", r.seq},
          {"type", r.type},
          {"time", time.empty() ? iso(r.time_ms) : time},
          {"payload", nlohmann::json::parse(r.payload_json)}};
}

/// The body of POST /api/v1/ingest for these records.
inline std::string batch(const std::string& agent, const std::vector<server::RecordIn>& records) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& r : records) arr.push_back(wire(r));
  return nlohmann::json{{"schema_version", 1}, {"agent_id", agent}, {"records", arr}}.dump();
}

/// The headers of an agent's ingest (gzip body when `gz`).
inline std::vector<std::string> auth(const std::string& secret, bool gz = false) {
  std::vector<std::string> h{"Authorization: Bearer " + secret, "Content-Type: application/json"};
  if (gz) h.push_back("Content-Encoding: gzip");
  return h;
}

}  // namespace itsa::test
