#include "tests/report/seed_dataset.hpp"

#include "common/time_format.hpp"

namespace itsa::report::test {

namespace {

constexpr double k_gib = 1024.0 * 1024 * 1024;

nlohmann::json inventory(const std::string& host, const std::string& bios_date, double ram_bytes, const char* media) {
  return {{"hostname", host},
          {"bios", {{"vendor", "LENOVO"}, {"version", "1.0"}, {"release_date", bios_date}}},
          {"cpu", {{"model", "Intel(R) Core(TM) i3-4160 CPU @ 3.60GHz"}}},
          {"memory", {{"total_bytes", ram_bytes * 0.95}, {"installed_bytes", ram_bytes}}},
          {"disks", nlohmann::json::array({{{"name", "sda"}, {"media", media}, {"system", true}}})},
          {"os", {{"name", "Windows 10 Pro"}, {"support", {{"status", "extended"}}}}},
          {"agent_version", "0.1.0"}};
}

nlohmann::json rule(const char* id, const char* result, nlohmann::json measured, nlohmann::json required,
                    const char* reason) {
  return {{"id", id}, {"result", result}, {"measured", measured}, {"required", required}, {"reason", reason}};
}

nlohmann::json coverage(const std::string& start, const std::string& end, bool synced = true) {
  return {{"start", start}, {"end", end}, {"end_reason", "stopped"}, {"clock_synced", synced}};
}

nlohmann::json outage(const std::string& id, const std::string& start, nlohmann::json end, const char* cause,
                      bool synced = true) {
  return {{"id", id},
          {"state", end.is_null() ? "open" : "closed"},
          {"start", start},
          {"end", end},
          {"duration_s", 0},
          {"cause", cause},
          {"interface", "eth0"},
          {"end_reason", end.is_null() ? nullptr : nlohmann::json("recovered")},
          {"clock_synced", synced},
          {"evidence", nlohmann::json::object()}};
}

nlohmann::json pressure(const std::string& minute, double cpu, double mem, nlohmann::json disk_busy = nullptr) {
  return {
      {"minute", minute}, {"samples", 6}, {"cpu_busy_pct", cpu}, {"mem_used_pct", mem}, {"disk_busy_pct", disk_busy}};
}

/// One disk of a disk_health record, as the agent writes it (docs/protocol.md).
nlohmann::json disk(const char* device, const char* verdict, const char* code, const char* en, const char* vi,
                    nlohmann::json reallocated = nullptr, nlohmann::json power_on_hours = nullptr,
                    nlohmann::json wear = nullptr) {
  return {{"device", device},
          {"kind", "ata"},
          {"model", "WDC WD5000AAKX"},
          {"serial", std::string("WD-") + device},
          {"ssd", false},
          {"verdict", verdict},
          {"reasons", nlohmann::json::array({{{"code", code}, {"en", en}, {"vi", vi}}})},
          {"power_on_hours", power_on_hours},
          {"reallocated_sectors", reallocated},
          {"pending_sectors", 0},
          {"offline_uncorrectable", 0},
          {"wear_pct", wear},
          {"media_errors", nullptr},
          {"critical_warning", nullptr},
          {"attributes", nlohmann::json::array()}};
}

nlohmann::json shutdown(const std::string& boot, const std::string& last_seen, const char* cause) {
  return {{"event", "unexpected_shutdown"},     {"id", "boot:" + boot}, {"last_seen", last_seen},
          {"previous_boot_id", "boot-0"},       {"cause", cause},       {"source", "itsa"},
          {"evidence", nlohmann::json::array()}};
}

nlohmann::json crash(const std::string& id, const std::string& at) {
  return {{"event", "os_crash"},           {"id", id},           {"at", at},
          {"source", "windows_event_log"}, {"kind", "bugcheck"}, {"bugcheck_code", 80}};
}

nlohmann::json link_minute(const std::string& minute, bool carrier, int speed, int flaps, int crc) {
  return {{"minute", minute},       {"interface", "eth0"}, {"carrier", carrier}, {"speed_mbps", speed},
          {"max_speed_mbps", 1000}, {"duplex", "full"},    {"flaps", flaps},     {"rx_errors", crc},
          {"tx_errors", 0},         {"rx_crc_errors", crc}};
}

nlohmann::json probe(const std::string& minute, int sent, int lost, double p50, double p95, double max, double jitter) {
  return {{"minute", minute},  {"target", "192.168.1.1"}, {"layer", "gateway"}, {"sent", sent},       {"lost", lost},
          {"rtt_p50_ms", p50}, {"rtt_p95_ms", p95},       {"rtt_max_ms", max},  {"jitter_ms", jitter}};
}

/// Coverage 07:00-19:00 local on both days (00:00-12:00Z).
void two_days(MachineInput& m, long long& seq, bool tuesday_synced = true) {
  m.records.push_back(
      make_record("coverage", "2026-11-02T12:00:00Z", ++seq, coverage("2026-11-02T00:00:00Z", "2026-11-02T12:00:00Z")));
  // The open span of Tuesday re-emitted, then closed: the union must not double count.
  m.records.push_back(make_record("coverage", "2026-11-03T05:00:00Z", ++seq,
                                  coverage("2026-11-03T00:00:00Z", "2026-11-03T05:00:00Z", tuesday_synced)));
  m.records.push_back(make_record("coverage", "2026-11-03T12:00:00Z", ++seq,
                                  coverage("2026-11-03T00:00:00Z", "2026-11-03T12:00:00Z", tuesday_synced)));
}

}  // namespace

Record make_record(const std::string& type, const std::string& time, long long seq, nlohmann::json payload) {
  Record r;
  r.type = type;
  r.time = *parse_rfc3339(time);
  r.seq = seq;
  r.boot_id = "boot-1";
  r.payload = std::move(payload);
  return r;
}

namespace {

// A `history` payload (protocol/history.hpp): events the system logged before itsa, read back.
nlohmann::json history_group(const std::string& source, const std::string& kind, const std::string& day,
                             long long count, const std::string& first, const std::string& last, bool before_install) {
  return {{"id", source + ":" + day + ":" + kind + ":" + first},
          {"source", source},
          {"kind", kind},
          {"provider", source == "linux_journal" ? "r8169" : "e1cexpress"},
          {"event_id", source == "linux_journal" ? nlohmann::json(nullptr) : nlohmann::json(27)},
          {"adapter", "eth0"},
          {"day", day},
          {"count", count},
          {"first", first},
          {"last", last},
          {"before_install", before_install}};
}

}  // namespace

ReportInput seed_dataset() {
  ReportInput in;
  in.agency = "Ban Dân tộc tỉnh Quảng Ngãi";

  MachineInput a{"agent-a",
                 "PC-A",
                 "HQ",
                 "0.1.0",
                 inventory("PC-A", "2015-06-01", 4 * k_gib, "hdd"),
                 nlohmann::json{{"profile", "office-recommended"},
                                {"verdict", "does_not_meet"},
                                {"rules",
                                 {rule("ram_min", "fail", "4 GB", ">= 8 GB", "4 GB RAM, 8 GB required"),
                                  rule("system_disk_ssd", "fail", "hdd", "ssd", "system disk is an HDD"),
                                  rule("os_supported", "pass", "extended", "supported", "OS in support"),
                                  rule("tpm2", "pass", "2.0", "2.0", "TPM 2.0 present"),
                                  rule("age", "fail", "11.4 years", "<= 5 years", "machine is 11 years old")}}},
                 {}};
  // Boot durations as the agent lists them (docs/inventory.md), newest first.
  (*a.inventory)["boot_durations"] = {{{"id", "a5"}, {"total_s", 150.2}, {"os_s", 150.2}},
                                      {{"id", "a4"}, {"total_s", 98.0}, {"os_s", 98.0}},
                                      {{"id", "a3"}, {"total_s", nullptr}, {"os_s", 140.0}},
                                      {{"id", "a2"}, {"total_s", 131.5}, {"os_s", 120.1}},
                                      {{"id", "a1"}, {"total_s", nullptr}, {"os_s", nullptr}}};
  (*a.inventory)["battery"] = {{"present", false}, {"design_wh", nullptr}, {"full_wh", nullptr}};
  (*a.inventory)["cpu"]["thermal_throttle"] = {{"core_events", 37}, {"package_events", 40}};
  (*a.inventory)["collected_at"] = "2026-11-03T00:01:00.000Z";
  long long seq = 0;
  two_days(a, seq);
  a.records.push_back(make_record("outage", "2026-11-02T07:00:00Z", ++seq, [] {
    auto o = outage("outage-a1", "2026-11-02T04:00:00Z", "2026-11-02T07:00:00Z", "link_down");
    o["evidence"] = {{"probe_interval_s", 5}, {"down_after", 2}, {"up_after", 2}};
    return o;
  }()));
  a.records.push_back(make_record("outage", "2026-11-02T11:30:00Z", ++seq,
                                  outage("outage-a3", "2026-11-02T11:00:00Z", "2026-11-02T11:30:00Z", "lan")));
  a.records.push_back(make_record("outage", "2026-11-03T02:01:00Z", ++seq,
                                  outage("outage-a2", "2026-11-03T02:00:00Z", nullptr, "upstream")));
  a.records.push_back(make_record("outage", "2026-11-03T02:10:00Z", ++seq,
                                  outage("outage-a2", "2026-11-03T02:00:00Z", "2026-11-03T02:10:00Z", "upstream")));
  // Pressure: 10 office minutes from 08:00 local (3 CPU > 90, 1 memory > 90; the system disk busy
  // 90% or more in 4: 90, 95, 100, 99.9; 89.9 is under), 5 lunch minutes ignored.
  for (int i = 0; i < 10; ++i) {
    const double cpu = i < 3 ? 95 : 20;
    const double mem = i == 5 ? 92 : 50;
    const double disk = i == 3 ? 90 : i == 4 ? 95 : i == 5 ? 100 : i == 6 ? 99.9 : i == 7 ? 89.9 : 10;
    a.records.push_back(make_record("pressure_minute", "2026-11-02T01:0" + std::to_string(i) + ":59Z", ++seq,
                                    pressure("2026-11-02T01:0" + std::to_string(i) + ":00Z", cpu, mem, disk)));
  }
  for (int i = 0; i < 5; ++i) {
    a.records.push_back(make_record("pressure_minute", "2026-11-02T05:0" + std::to_string(i) + ":59Z", ++seq,
                                    pressure("2026-11-02T05:0" + std::to_string(i) + ":00Z", 99, 99, 100)));
  }
  // Disk health: worn on Monday, failing on Tuesday (the latest reading of the period wins); a
  // second disk (sdb, not the system disk) failing on both.
  a.records.push_back(make_record(
      "disk_health", "2026-11-02T00:05:00Z", ++seq,
      {{"disks", nlohmann::json::array(
                     {disk("/dev/sda", "worn", "reallocated_sectors", "8 sectors reallocated", "8 sector hỏng đã thay",
                           8, 21000),
                      disk("/dev/sdb", "failing", "pending_sectors", "3 pending sectors", "3 sector chờ thay", 0)})}}));
  a.records.push_back(make_record(
      "disk_health", "2026-11-03T00:05:00Z", ++seq,
      {{"disks", nlohmann::json::array(
                     {disk("/dev/sda", "failing", "reallocated_growing", "Reallocated sectors grew from 8 to 10",
                           "Số sector hỏng phải thay tăng từ 8 lên 10", 10, 21024),
                      disk("/dev/sdb", "failing", "pending_sectors", "3 pending sectors", "3 sector chờ thay", 0)})}}));
  // Down at 19:00 local Monday with PC-B (a power cut of HQ), recorded at Tuesday's start.
  a.records.push_back(
      make_record("instability", "2026-11-03T00:00:30Z", ++seq, shutdown("a-2", "2026-11-02T12:00:00Z", "unknown")));
  a.records.push_back(
      make_record("link_minute", "2026-11-02T04:00:59Z", ++seq, link_minute("2026-11-02T04:00:00Z", false, 0, 3, 5)));
  a.records.push_back(
      make_record("link_minute", "2026-11-02T04:01:59Z", ++seq, link_minute("2026-11-02T04:01:00Z", true, 100, 1, 0)));
  a.records.push_back(make_record("link_event", "2026-11-02T04:01:05Z", ++seq,
                                  {{"interface", "eth0"},
                                   {"event", "speed_downgrade"},
                                   {"at", "2026-11-02T04:01:05Z"},
                                   {"speed_mbps", 100},
                                   {"max_speed_mbps", 1000},
                                   {"duplex", "full"}}));
  a.records.push_back(
      make_record("probe_minute", "2026-11-02T01:00:59Z", ++seq, probe("2026-11-02T01:00:00Z", 12, 0, 1, 2, 2.5, 0.5)));
  a.records.push_back(
      make_record("probe_minute", "2026-11-02T01:01:59Z", ++seq, probe("2026-11-02T01:01:00Z", 12, 3, 3, 6, 8, 1.5)));
  a.records.push_back(make_record("degraded", "2026-11-02T01:01:59Z", ++seq,
                                  {{"minute", "2026-11-02T01:01:00Z"},
                                   {"target", "192.168.1.1"},
                                   {"layer", "gateway"},
                                   {"loss_pct", 25},
                                   {"rtt_p50_ms", 3},
                                   {"baseline_rtt_ms", 1},
                                   {"reason", "loss"}}));
  // The system log before itsa (issue 18 item 4), read at the first start: 14 link downs on 15 October,
  // 2 unexpected shutdowns on 20 October; and 3 link downs logged after installation (not before
  // itsa: not in the report's history table); a malformed history payload is ignored. None of it
  // changes a measured figure.
  a.records.push_back(make_record("history", "2026-11-02T00:10:00Z", ++seq,
                                  history_group("windows_system_log", "link_down", "2026-10-15", 14,
                                                "2026-10-15T01:00:00Z", "2026-10-15T09:00:00Z", true)));
  a.records.push_back(make_record("history", "2026-11-02T00:10:00Z", ++seq,
                                  history_group("windows_system_log", "unexpected_shutdown", "2026-10-20", 2,
                                                "2026-10-20T03:00:00Z", "2026-10-20T05:00:00Z", true)));
  a.records.push_back(make_record("history", "2026-11-03T00:10:00Z", ++seq,
                                  history_group("windows_system_log", "link_down", "2026-11-02", 3,
                                                "2026-11-02T02:00:00Z", "2026-11-02T02:10:00Z", false)));
  a.records.push_back(make_record("history", "2026-11-03T00:10:00Z", ++seq, {{"id", "bad"}, {"kind", "link_down"}}));
  in.machines.push_back(a);

  MachineInput b{"agent-b",
                 "PC-B",
                 "HQ",
                 "0.1.0",
                 inventory("PC-B", "2019-03-15", 4 * k_gib, "ssd"),
                 nlohmann::json{{"profile", "office-recommended"},
                                {"verdict", "does_not_meet"},
                                {"rules",
                                 {rule("ram_min", "fail", "4 GB", ">= 8 GB", "4 GB RAM, 8 GB required"),
                                  rule("system_disk_ssd", "pass", "ssd", "ssd", "SSD"),
                                  rule("tpm2", "fail", "none", "2.0", "no TPM 2.0")}}},
                 {}};
  (*b.inventory)["boot_durations"] = {
      {{"id", "b3"}, {"total_s", 35.2}}, {{"id", "b2"}, {"total_s", 41.0}}, {{"id", "b1"}, {"total_s", 38.4}}};
  (*b.inventory)["battery"] = {{"present", true},  {"design_wh", 50.0}, {"full_wh", 27.5},
                               {"wear_pct", 45.0}, {"charge_pct", 80},  {"cycle_count", 612}};
  seq = 0;
  two_days(b, seq);
  b.records.push_back(make_record("outage", "2026-11-03T02:12:00Z", ++seq,
                                  outage("outage-b1", "2026-11-03T02:00:30Z", "2026-11-03T02:12:00Z", "upstream")));
  for (int i = 0; i < 4; ++i) {
    b.records.push_back(make_record("pressure_minute", "2026-11-02T01:0" + std::to_string(i) + ":59Z", ++seq,
                                    pressure("2026-11-02T01:0" + std::to_string(i) + ":00Z", 30, 60, 50)));
  }
  // A reading made before the period (Saturday): never the period's; Monday's says ok.
  b.records.push_back(make_record(
      "disk_health", "2026-10-31T03:00:00Z", ++seq,
      {{"disks", nlohmann::json::array({disk("/dev/sda", "failing", "smart_status_failed",
                                             "SMART overall status: FAILED", "Tự kiểm tra của ổ đĩa báo hỏng")})}}));
  b.records.push_back(make_record("disk_health", "2026-11-02T00:05:00Z", ++seq,
                                  {{"disks", nlohmann::json::array({disk("/dev/sda", "ok", "ok", "No sign of failure",
                                                                         "Không có dấu hiệu hỏng", 0, 9000)})}}));
  // 1.5 minutes after PC-A: the same power cut.
  b.records.push_back(
      make_record("instability", "2026-11-03T00:00:40Z", ++seq, shutdown("b-2", "2026-11-02T12:01:30Z", "unknown")));
  b.records.push_back(
      make_record("link_minute", "2026-11-02T01:00:59Z", ++seq, link_minute("2026-11-02T01:00:00Z", true, 1000, 0, 0)));
  b.records.push_back(
      make_record("link_minute", "2026-11-02T05:00:59Z", ++seq, link_minute("2026-11-02T05:00:00Z", true, 1000, 7, 0)));
  b.records.push_back(
      make_record("probe_minute", "2026-11-02T01:00:59Z", ++seq, probe("2026-11-02T01:00:00Z", 12, 1, 2, 4, 5, 1)));
  in.machines.push_back(b);

  MachineInput c{"agent-c",
                 "PC-C",
                 "HQ",
                 "0.1.0",
                 inventory("PC-C", "2023-01-10", 16 * k_gib, "ssd"),
                 nlohmann::json{{"profile", "office-recommended"},
                                {"verdict", "meets"},
                                {"rules",
                                 {rule("ram_min", "pass", "16 GB", ">= 8 GB", "16 GB RAM"),
                                  rule("system_disk_ssd", "pass", "ssd", "ssd", "SSD"),
                                  rule("tpm2", "pass", "2.0", "2.0", "TPM 2.0")}}},
                 {}};
  (*c.inventory)["battery"] = {{"present", true}, {"design_wh", nullptr}, {"full_wh", nullptr}, {"wear_pct", 12.3}};
  seq = 0;
  two_days(c, seq, false);
  c.records.push_back(make_record("outage", "2026-11-03T02:08:00Z", ++seq,
                                  outage("outage-c1", "2026-11-03T02:01:00Z", "2026-11-03T02:08:00Z", "lan", false)));
  c.records.push_back(
      make_record("disk_health", "2026-11-03T00:05:00Z", ++seq,
                  {{"disks", nlohmann::json::array({disk("/dev/sda", "worn", "wear", "85% of the rated endurance used",
                                                         "Đã dùng 85% tuổi thọ ghi xóa", 0, 3000, 85)})}}));
  // Its own crash at 16:00 local Monday (alone: HQ's others ran on), and a crash of October the
  // agent found in the system log at that start (before the period: not counted).
  c.records.push_back(
      make_record("instability", "2026-11-03T00:00:50Z", ++seq, shutdown("c-2", "2026-11-02T09:00:00Z", "os_crash")));
  c.records.push_back(
      make_record("instability", "2026-11-03T00:00:50Z", ++seq, crash("bugcheck:1001", "2026-11-02T09:00:10Z")));
  c.records.push_back(
      make_record("instability", "2026-11-03T00:00:50Z", ++seq, crash("bugcheck:0900", "2026-10-20T02:00:00Z")));
  in.machines.push_back(c);

  MachineInput d{
      "agent-d",
      "PC-D",
      "HQ",
      "0.0.9",
      inventory("PC-D", "2012-09-01", 8 * k_gib, "hdd"),
      nlohmann::json{{"profile", "office-recommended"},
                     {"verdict", "does_not_meet"},
                     {"rules", {rule("os_supported", "fail", "ended", "supported", "Windows 7 support ended")}}},
      {}};
  in.machines.push_back(d);

  MachineInput e{"agent-e", "PC-E", "Branch", "", std::nullopt, std::nullopt, {}};
  seq = 0;
  e.records.push_back(make_record("lifecycle", "2026-11-02T00:30:00Z", ++seq,
                                  {{"event", "start"}, {"agent_version", "0.1.0"}, {"detail", ""}}));
  // The Branch PC went down at 03:00 local Monday, alone at its site: its own shutdown. Its only
  // disk is virtual (unknown); without an inventory it is the system disk as the only one read.
  e.records.push_back(
      make_record("instability", "2026-11-02T00:30:05Z", ++seq, shutdown("e-2", "2026-11-01T20:00:00Z", "unknown")));
  e.records.push_back(make_record(
      "disk_health", "2026-11-02T00:31:00Z", ++seq,
      {{"disks", nlohmann::json::array({disk("/dev/vda", "unknown", "no_smart_virtual", "Virtual disk: no SMART",
                                             "Ổ đĩa ảo, không có thông tin tự kiểm tra")})}}));
  e.records.push_back(
      make_record("coverage", "2026-11-02T02:30:00Z", ++seq, coverage("2026-11-02T00:30:00Z", "2026-11-02T02:30:00Z")));
  e.records.push_back(make_record("outage", "2026-11-02T01:05:00Z", ++seq,
                                  outage("outage-e1", "2026-11-02T01:00:00Z", "2026-11-02T01:05:00Z", "dns")));
  // Its journal before itsa: one NIC reset (NETDEV WATCHDOG) on 30 October.
  e.records.push_back(make_record("history", "2026-11-02T00:40:00Z", 9000,
                                  history_group("linux_journal", "nic_reset", "2026-10-30", 1, "2026-10-30T08:00:00Z",
                                                "2026-10-30T08:00:00Z", true)));
  in.machines.push_back(e);
  return in;
}

}  // namespace itsa::report::test
