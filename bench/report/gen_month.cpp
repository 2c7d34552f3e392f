// Writes a month of evidence for N PCs straight into an itsa-server store (the rows ingest
// writes: Storage::ingest, one call per PC-day), at the agent's default record shape
// (bench/store: 15-minute series, ~976 records per PC-day when the PC is on all day):
// pressure, link and 5 probe targets as minute series, coverage every 5 minutes, a daily
// inventory and assessment, lifecycle starts, an outage now and then (causes rotate), and on
// every tenth PC a cable that flaps. Deterministic (fixed seed).
//
//   itsa_bench_report_gen --data-dir DIR --pcs N [--days 30] [--to 2026-11-30] [--sites 10]
//                         [--db postgres://…]   (the store must exist: itsa-server init)
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time_format.hpp"
#include "server/storage/storage.hpp"

using namespace itsa;
using nlohmann::json;

namespace {

constexpr long long k_minute = 60'000;
constexpr long long k_day = 86'400'000;
constexpr int k_window = 15;  // store.series_minutes default

std::string iso(long long ms) {
  return to_rfc3339(from_unix_ms(ms));
}

double rtt2(double v) {
  const double scale = v < 1.0 ? 100.0 : v < 10.0 ? 10.0 : 1.0;
  return std::round(v * scale) / scale;
}

struct Gen {
  std::mt19937 rng{42};
  std::normal_distribution<double> rtt_gw{0.6, 0.15}, rtt_net{24.0, 4.0}, cpu{14.0, 8.0}, mem{62.0, 3.0};

  server::RecordIn rec(const std::string& agent, long long& seq, const std::string& type, long long time_ms,
                       const json& payload) {
    return {agent, "5e2c0000-0000-4000-8000-000000000001", ++seq, type, time_ms, payload.dump()};
  }

  json inventory(const std::string& host, int pc) {
    const bool old = pc % 3 == 0;
    return {{"hostname", host},
            {"system", {{"manufacturer", "Dell Inc."}, {"product", old ? "OptiPlex 380" : "OptiPlex 3050"}}},
            {"bios", {{"vendor", "Dell Inc."}, {"version", "A1"}, {"release_date", old ? "2010-03-02" : "2019-05-21"}}},
            {"cpu",
             {{"model", old ? "Intel(R) Core(TM)2 Duo CPU E7500" : "Intel(R) Core(TM) i3-7100"},
              {"cores", 2},
              {"threads", old ? 2 : 4}}},
            {"memory", {{"total_bytes", (old ? 4LL : 8LL) << 30}}},
            {"disks", json::array({{{"model", "ST500DM002"},
                                    {"media", old ? "hdd" : "ssd"},
                                    {"size_bytes", 500107862016LL},
                                    {"system", true}}})},
            {"os",
             {{"name", old ? "Windows 7 Professional" : "Windows 10 Pro"},
              {"version", old ? "6.1" : "22H2"},
              {"support", {{"status", "ended"}}}}},
            {"firmware", json::object()},
            {"tpm", json::object()},
            {"network", json::array({{{"interface", "eth0"}, {"max_speed_mbps", 1000}}})},
            {"collected_at", "2026-11-01T00:00:00Z"},
            {"agent_version", "0.1.0"},
            {"notes", json::array()}};
  }

  /// One PC-day: the series of the day's 15-minute windows and the other records.
  std::vector<server::RecordIn> day(const std::string& agent, const std::string& host, int pc, long long day_ms,
                                    long long& seq, int day_index) {
    std::vector<server::RecordIn> out;
    out.push_back(rec(agent, seq, "lifecycle", day_ms, {{"event", "start"}, {"agent_version", "0.1.0"}}));
    out.push_back(rec(agent, seq, "inventory", day_ms, inventory(host, pc)));
    out.push_back(rec(agent, seq, "assessment", day_ms,
                      {{"profile", "office-recommended"},
                       {"verdict", pc % 3 == 0 ? "does_not_meet" : "meets"},
                       {"rules", json::array({{{"id", "ram_min"},
                                               {"result", pc % 3 == 0 ? "fail" : "pass"},
                                               {"measured", pc % 3 == 0 ? "4 GiB" : "8 GiB"},
                                               {"required", ">= 8 GiB"},
                                               {"reason", ""}}})}}));
    const bool bad_cable = pc % 10 == 7;
    const char* targets[][2] = {{"icmp://192.168.1.1", "gateway"},
                                {"tcp://1.1.1.1:443", "internet"},
                                {"icmp://8.8.8.8", "internet"},
                                {"https://dichvucong.gov.vn/", "internet"},
                                {"dns://auto/dichvucong.gov.vn", "dns"}};
    for (long long w = day_ms; w < day_ms + k_day; w += k_window * k_minute) {
      const long long last = w + (k_window - 1) * k_minute + 59'000;
      json pressure = {{"minute", iso(w)}, {"minutes", k_window}};
      json link = {{"minute", iso(w)}, {"minutes", k_window}, {"interface", "eth0"}};
      for (const char* f : {"samples", "cpu_busy_pct", "mem_used_pct", "swap_used_pct", "system_disk_free_pct"})
        pressure[f] = json::array();
      for (const char* f : {"carrier", "speed_mbps", "max_speed_mbps", "duplex", "flaps", "rx_errors", "tx_errors",
                            "rx_crc_errors", "rx_frame_errors", "rx_dropped", "tx_dropped"})
        link[f] = json::array();
      for (int i = 0; i < k_window; ++i) {
        pressure["samples"].push_back(6);
        pressure["cpu_busy_pct"].push_back(std::round(std::max(0.0, cpu(rng)) * 10) / 10);
        pressure["mem_used_pct"].push_back(std::round(mem(rng) * 10) / 10);
        pressure["swap_used_pct"].push_back(2.4);
        pressure["system_disk_free_pct"].push_back(41.7);
        const bool flap = bad_cable && (rng() % 200 == 0);
        link["carrier"].push_back(true);
        link["speed_mbps"].push_back(bad_cable ? 100 : 1000);
        link["max_speed_mbps"].push_back(1000);
        link["duplex"].push_back("full");
        link["flaps"].push_back(flap ? 1 : 0);
        link["rx_errors"].push_back(0);
        link["tx_errors"].push_back(0);
        link["rx_crc_errors"].push_back(bad_cable && rng() % 50 == 0 ? 3 : 0);
        link["rx_frame_errors"].push_back(0);
        link["rx_dropped"].push_back(i % 7 == 0 ? 1 : 0);
        link["tx_dropped"].push_back(0);
      }
      out.push_back(rec(agent, seq, "pressure_minute", last, pressure));
      out.push_back(rec(agent, seq, "link_minute", last, link));
      for (const auto& target : targets) {
        const bool gw = std::string(target[1]) == "gateway";
        json probe = {{"minute", iso(w)}, {"minutes", k_window}, {"target", target[0]}, {"layer", target[1]}};
        for (const char* f : {"sent", "lost", "rtt_max_ms", "rtt_p50_ms", "rtt_p95_ms", "jitter_ms"})
          probe[f] = json::array();
        for (int i = 0; i < k_window; ++i) {
          std::vector<double> rtts;
          for (int k = 0; k < 12; ++k) rtts.push_back(std::max(0.1, gw ? rtt_gw(rng) : rtt_net(rng)));
          std::sort(rtts.begin(), rtts.end());
          probe["sent"].push_back(12);
          probe["lost"].push_back(0);
          probe["rtt_max_ms"].push_back(rtt2(rtts.back()));
          probe["rtt_p50_ms"].push_back(rtt2(rtts[6]));
          probe["rtt_p95_ms"].push_back(rtt2(rtts[11]));
          probe["jitter_ms"].push_back(rtt2(rtts[8] - rtts[4]));
        }
        out.push_back(rec(agent, seq, "probe_minute", last, probe));
      }
    }
    for (long long t = day_ms + 5 * k_minute; t <= day_ms + k_day; t += 5 * k_minute)
      out.push_back(rec(agent, seq, "coverage", t,
                        {{"start", iso(day_ms)},
                         {"end", iso(t)},
                         {"end_reason", t == day_ms + k_day ? "stopped" : "running"},
                         {"clock_synced", true}}));
    // An outage every other day, at 09:00 local + a few minutes; causes rotate.
    if ((day_index + pc) % 2 == 0) {
      static const char* causes[] = {"upstream", "link_down", "lan", "dns", "unknown"};
      const long long start = day_ms + 2 * 3'600'000 + (pc % 7) * k_minute;
      const long long end = start + (3 + pc % 5) * k_minute;
      out.push_back(rec(agent, seq, "outage", end,
                        {{"id", "o-" + std::to_string(day_index)},
                         {"state", "closed"},
                         {"start", iso(start)},
                         {"end", iso(end)},
                         {"duration_s", (end - start) / 1000},
                         {"cause", causes[(day_index / 2 + pc) % 5]},
                         {"interface", "eth0"},
                         {"end_reason", "recovered"},
                         {"clock_synced", true},
                         {"evidence", json::object()}}));
    }
    return out;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir, db_url, to = "2026-11-30";
  int pcs = 0, days = 30, sites = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--data-dir")
      data_dir = v;
    else if (a == "--db")
      db_url = v;
    else if (a == "--pcs")
      pcs = std::stoi(v);
    else if (a == "--days")
      days = std::stoi(v);
    else if (a == "--sites")
      sites = std::stoi(v);
    else if (a == "--to")
      to = v;
  }
  if (data_dir.empty() || pcs <= 0) {
    std::cerr << "usage: itsa_bench_report_gen --data-dir DIR --pcs N [--days 30] [--to YYYY-MM-DD] [--sites 10] "
                 "[--db URL]\n";
    return 2;
  }
  auto store = server::open_storage(data_dir, db_url);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  const auto end = parse_rfc3339(to + "T17:00:00Z");  // local midnight at UTC+7 of the day after `to`
  if (!end) return 2;
  const long long last_day_ms = to_unix_ms(*end);
  Gen gen;
  long long records = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int pc = 0; pc < pcs; ++pc) {
    char id[40];
    std::snprintf(id, sizeof id, "0b9d0000-0000-4000-8000-%012d", pc);
    const std::string host = "PC-" + std::to_string(pc);
    const std::string site = "Site " + std::to_string(pc % sites + 1);
    if (auto r = store.value()->enrol_agent(
            {id, host, site, "0.1.0", "", "bench-secret-" + std::to_string(pc), last_day_ms - days * k_day, ""});
        !r) {
      std::cerr << r.error().message << "\n";
      return 1;
    }
    long long seq = 0;
    for (int d = 0; d < days; ++d) {
      const long long day_ms = last_day_ms - (days - d) * k_day;
      auto batch = gen.day(id, host, pc, day_ms, seq, d);
      records += static_cast<long long>(batch.size());
      if (auto r = store.value()->ingest(id, batch, day_ms + k_day); !r) {
        std::cerr << r.error().message << "\n";
        return 1;
      }
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "{\"pcs\":" << pcs << ",\"days\":" << days << ",\"records\":" << records << ",\"seconds\":" << s
            << "}\n";
  return 0;
}
