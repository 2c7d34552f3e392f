// Store and upload figures of issue 5 on a realistic day of records at default settings:
//   1. records/s the store sustains (durable appends, synchronous=FULL),
//   2. bytes uploaded per agent per day (gzip batches as the uploader builds them),
//   3. store size after 30 days offline.
// Usage: itsa_bench_store WORK_DIR   (prints a Markdown table row set)
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"
#include "store/series_sink.hpp"
#include "uploader/protocol.hpp"

using namespace itsa;
using nlohmann::json;
using namespace std::chrono;
namespace rt = itsa::protocol::record_type;
namespace mk = itsa::protocol::memory_key;

namespace {

double r1(double v) {
  return std::round(v * 10.0) / 10.0;
}
// As collectors/network/probe_stats.cpp keeps RTTs: about two significant digits.
double rtt2(double v) {
  const double scale = v < 1.0 ? 100.0 : v < 10.0 ? 10.0 : 1.0;
  return std::round(v * scale) / scale;
}

// One realistic day at defaults: pressure every minute, one NIC's link minute, 5 probe targets
// (gateway, 3 internet defaults, DNS) every minute, coverage every 5 min, a daily inventory and
// assessment, a few link events, degraded minutes and one outage (open, then closed).
struct Rec {
  std::string type;
  UtcTime time;
  json payload;
};

std::vector<Rec> make_day(UtcTime day_start, std::mt19937& rng) {
  std::vector<Rec> out;
  std::normal_distribution<double> rtt_gw(0.6, 0.15), rtt_net(24.0, 4.0), cpu(14.0, 8.0), mem(62.0, 3.0);
  const char* targets[][2] = {{"icmp://192.168.1.1", "gateway"},
                              {"tcp://1.1.1.1:443", "internet"},
                              {"icmp://8.8.8.8", "internet"},
                              {"https://dichvucong.gov.vn/", "internet"},
                              {"dns://auto/dichvucong.gov.vn", "dns"}};
  json inventory = {
      {"hostname", "PC-KETOAN-01"},
      {"system",
       {{"manufacturer", "Dell Inc."},
        {"product", "OptiPlex 3050"},
        {"uuid", "4c4c4544-0037-3010-8052-b4c04f4e4b32"},
        {"serial", "7T0RNK2"}}},
      {"bios", {{"vendor", "Dell Inc."}, {"version", "1.12.0"}, {"date", "2019-05-21"}}},
      {"cpu", {{"model", "Intel(R) Core(TM) i3-7100 CPU @ 3.90GHz"}, {"cores", 2}, {"threads", 4}, {"base_mhz", 3900}}},
      {mk::memory,
       {{mk::total_bytes, 8ULL << 30},
        {mk::installed_bytes, 8ULL << 30},
        {mk::modules, json::array({{{mk::size_bytes, 4ULL << 30}, {mk::type, "DDR4"}, {mk::speed_mts, 2400}},
                                   {{mk::size_bytes, 4ULL << 30}, {mk::type, "DDR4"}, {mk::speed_mts, 2400}}})}}},
      {"disks", json::array({{{"model", "TOSHIBA DT01ACA100"},
                              {"size_bytes", 1000204886016ULL},
                              {"rotational", true},
                              {"smart", "ok"}}})},
      {"os", {{"name", "Windows 10 Pro"}, {"version", "22H2"}, {"build", "19045.3693"}}},
      {"firmware", {{"uefi", true}, {"secure_boot", false}}},
      {"tpm", {{"present", true}, {"version", "2.0"}}},
      {"network", json::array({{{"interface", "enp3s0"}, {"mac", "b8:ca:3a:00:11:22"}, {"max_speed_mbps", 1000}}})},
      {"collected_at", to_rfc3339(day_start)},
      {"agent_version", "0.1.0"},
      {"notes", json::array()}};
  out.push_back({rt::inventory, day_start, inventory});
  json rules = json::array();
  for (const char* id : {"cpu_cores", "ram_gb", "disk_ssd", "os_supported", "tpm2", "nic_gigabit"})
    rules.push_back({{"id", id}, {"result", "pass"}, {"measured", "8"}, {"required", ">= 8"}, {"reason", ""}});
  out.push_back(
      {rt::assessment, day_start, {{"profile", "office-recommended"}, {"verdict", "does_not_meet"}, {"rules", rules}}});
  for (int m = 0; m < 1440; ++m) {
    const auto t = day_start + minutes(m);
    const auto minute = to_rfc3339(t);
    const double cpu_now = r1(std::max(0.0, cpu(rng)));
    out.push_back({rt::pressure_minute,
                   t + seconds(59),
                   {{"minute", minute},
                    {"samples", 6},
                    {"cpu_busy_pct", cpu_now},
                    {"cpu_busy_max_pct", r1(std::min(100.0, cpu_now * 1.8))},
                    {"cpu_samples", 6},
                    {"cpu_over_90_samples", 0},
                    {"mem_used_pct", r1(mem(rng))},
                    {"mem_samples", 6},
                    {"mem_over_90_samples", 0},
                    {"swap_used_pct", 2.4},
                    {"system_disk_free_pct", 41.7},
                    {"psi_cpu_some_avg", r1(std::abs(cpu(rng)) / 20)},
                    {"psi_mem_some_avg", 0.0},
                    {"psi_io_some_avg", r1(std::abs(cpu(rng)) / 10)}}});
    out.push_back({rt::link_minute,
                   t + seconds(59),
                   {{"minute", minute},
                    {"interface", "enp3s0"},
                    {"carrier", true},
                    {"speed_mbps", 1000},
                    {"max_speed_mbps", 1000},
                    {"duplex", "full"},
                    {"flaps", 0},
                    {"rx_errors", 0},
                    {"tx_errors", 0},
                    {"rx_crc_errors", 0},
                    {"rx_frame_errors", 0},
                    {"rx_dropped", m % 7 == 0 ? 1 : 0},
                    {"tx_dropped", 0}}});
    for (const auto& target : targets) {
      const bool gw = std::string(target[1]) == "gateway";
      std::vector<double> rtts;
      for (int i = 0; i < 12; ++i) rtts.push_back(std::max(0.1, gw ? rtt_gw(rng) : rtt_net(rng)));
      std::sort(rtts.begin(), rtts.end());
      out.push_back({rt::probe_minute,
                     t + seconds(59),
                     {{"minute", minute},
                      {"target", target[0]},
                      {"layer", target[1]},
                      {"sent", 12},
                      {"lost", 0},
                      {"rtt_max_ms", rtt2(rtts.back())},
                      {"rtt_p50_ms", rtt2(rtts[6])},
                      {"rtt_p95_ms", rtt2(rtts[11])},
                      {"jitter_ms", rtt2(rtts[8] - rtts[4])}}});
    }
    if (m % 5 == 0)
      out.push_back({rt::coverage,
                     t,
                     {{"start", to_rfc3339_ms(day_start)},
                      {"end", to_rfc3339_ms(t)},
                      {"end_reason", "running"},
                      {"clock_synced", true}}});
    if (m == 600 || m == 603) {
      out.push_back({rt::link_event,
                     t,
                     {{"interface", "enp3s0"},
                      {"event", m == 600 ? "carrier_down" : "carrier_up"},
                      {"at", minute},
                      {"speed_mbps", m == 600 ? 0 : 100},
                      {"max_speed_mbps", 1000},
                      {"duplex", "full"}}});
      out.push_back({rt::outage,
                     t,
                     {{"id", "o-1"},
                      {"state", m == 600 ? "open" : "closed"},
                      {"start", minute},
                      {"end", m == 600 ? json(nullptr) : json(minute)},
                      {"duration_s", m == 600 ? 0 : 180},
                      {"cause", "link_down"},
                      {"interface", "enp3s0"},
                      {"end_reason", m == 600 ? json(nullptr) : json("recovered")},
                      {"clock_synced", true},
                      {"evidence", {{"gateway_lost", 36}, {"carrier", false}}}}});
    }
    if (m == 700 || m == 701 || m == 900)
      out.push_back({rt::degraded,
                     t,
                     {{"minute", minute},
                      {"target", "tcp://1.1.1.1:443"},
                      {"layer", "internet"},
                      {"loss_pct", 16.7},
                      {"rtt_p50_ms", 120.5},
                      {"baseline_rtt_ms", 24.1},
                      {"reason", "loss"}}});
  }
  return out;
}

std::string human(double bytes) {
  char buf[32];
  if (bytes >= 1 << 20)
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / (1 << 20));
  else
    std::snprintf(buf, sizeof buf, "%.1f KB", bytes / 1024);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s WORK_DIR\n", argv[0]);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  log::init({"error", "", true});
  const std::filesystem::path work = argv[1];
  std::filesystem::remove_all(work);
  std::mt19937 rng(7);
  ManualClock clock(UtcTime{seconds{1'780'000'000}});
  const auto day = make_day(clock.utc_now(), rng);
  std::printf("| records per day at defaults | %zu |\n", day.size());

  // 1. Durable appends per second.
  {
    store::StoreOptions o;
    o.data_dir = work / "rate";
    auto s = store::EvidenceStore::open(o);
    if (!s) return 1;
    const int n = 2000;
    const auto t0 = steady_clock::now();
    for (int i = 0; i < n; ++i) (void)s.value()->append(day[i].type, day[i].time, day[i].payload);
    const double secs = duration<double>(steady_clock::now() - t0).count();
    std::printf("| durable appends/s (synchronous=FULL, one fsync each) | %.0f |\n", n / secs);
  }

  // 2. Bytes uploaded per day, batched as the uploader does at defaults: routine records
  //    (minute series, coverage of a running span) wait up to server.routine_hold_s (3600 s)
  //    for one batch; any other record goes at once with everything pending. For minute
  //    series of 1 (one record per sample) and of the default store.series_minutes (15).
  for (int series_minutes : {1, 15}) {
    store::StoreOptions o;
    o.data_dir = work / ("day-" + std::to_string(series_minutes));
    o.durable = false;
    o.clock = &clock;
    auto s = store::EvidenceStore::open(o);
    if (!s) return 1;
    auto& st = *s.value();
    {
      store::SeriesSink sink(st, series_minutes);
      for (const auto& r : day) (void)sink.append(r.type, r.time, r.payload);
    }
    auto all = st.query("", std::nullopt, 1'000'000).value();
    std::size_t raw = 0, gz = 0, requests = 0;
    std::vector<store::StoredRecord> batch;
    const auto send = [&] {
      if (batch.empty()) return;
      const auto body = uploader::ingest_body(st.agent_id(), batch);
      raw += body.size();
      gz += uploader::gzip_compress(body).size();
      ++requests;
      batch.clear();
    };
    for (const auto& r : all) {
      if (!batch.empty() && r.time - batch.front().time >= hours(1)) send();  // the oldest waited an hour
      batch.push_back(r);
      if (!uploader::is_routine(r) || batch.size() >= 500) send();
    }
    send();
    std::printf("| bytes/day uploaded, store.series_minutes=%d%s (%zu records) | %s gzip (%s JSON, %zu requests) |\n",
                series_minutes, series_minutes == 15 ? " (default)" : "", all.size(),
                human(static_cast<double>(gz)).c_str(), human(static_cast<double>(raw)).c_str(), requests);
  }

  // 3. Store size after 30 days offline (nothing delivered), uncapped, at both series lengths.
  for (int series_minutes : {1, 15}) {
    ManualClock month_clock(UtcTime{seconds{1'780'000'000}});
    store::StoreOptions o;
    o.data_dir = work / ("offline-" + std::to_string(series_minutes));
    o.max_bytes = 4ll << 30;  // uncapped: the natural size (the default 64 MB cap would evict)
    o.durable = false;
    o.clock = &month_clock;
    auto s = store::EvidenceStore::open(o);
    if (!s) return 1;
    auto& st = *s.value();
    {
      store::SeriesSink sink(st, series_minutes);
      for (int d = 0; d < 30; ++d) {
        const auto records = make_day(month_clock.utc_now(), rng);
        for (const auto& r : records) (void)sink.append(r.type, r.time, r.payload);
        month_clock.advance(hours(24));
      }
    }
    (void)st.enforce_limits();
    auto stats = st.stats().value();
    std::printf(
        "| store after 30 days offline (no cap), store.series_minutes=%d%s | %s, %llu records, %.0f bytes/record |\n",
        series_minutes, series_minutes == 15 ? " (default)" : "", human(static_cast<double>(stats.store_bytes)).c_str(),
        static_cast<unsigned long long>(stats.records_stored),
        static_cast<double>(stats.store_bytes) / static_cast<double>(stats.records_stored));
  }
  return 0;
}
