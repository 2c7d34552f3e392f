#include "tests/server/seed_month.hpp"

#include <doctest/doctest.h>

#include <cstdio>

#include "server/auth/crypto.hpp"
#include "tests/server/records.hpp"

namespace itsa::test {

namespace {

using nlohmann::json;

constexpr std::int64_t k_min = 60'000;
constexpr std::int64_t k_day = 86'400'000;
constexpr std::int64_t k_offset = 7 * 60 * k_min;  // UTC+7
constexpr int k_window = 15;                       // minutes per series record
constexpr int k_open_min = 7 * 60 + 30;            // 07:30 local
constexpr int k_close_min = 17 * 60;               // 17:00 local

std::int64_t local_midnight(std::int64_t day) {
  return day * k_day - k_offset;
}

bool working(std::int64_t day) {
  const auto weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday != 0 && weekday != 6;
}

std::string id_of(int i) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "5eed0000-0000-4000-8000-%012d", i + 1);
  return buf;
}

json inventory_of(const SeedPc& pc, int i) {
  const bool old = pc.os_support == "ended", mid = pc.os_support == "extended";
  return {{"hostname", pc.hostname},
          {"system",
           {{"manufacturer", "Dell Inc."},
            {"product", old   ? "OptiPlex 380"
                        : mid ? "OptiPlex 3020"
                              : "OptiPlex 7010"}}},
          {"bios",
           {{"vendor", "Dell Inc."},
            {"version", "A" + std::to_string(10 + i)},
            {"release_date", old   ? "2010-03-02"
                             : mid ? "2014-05-20"
                                   : "2023-06-01"}}},
          {"cpu",
           {{"model", old   ? "Intel(R) Core(TM)2 Duo CPU E7500 @ 2.93GHz"
                      : mid ? "Intel(R) Core(TM) i3-4150 CPU @ 3.50GHz"
                            : "Intel(R) Core(TM) i5-13400"},
            {"cores", old   ? 2
                      : mid ? 2
                            : 10},
            {"threads", old   ? 2
                        : mid ? 4
                              : 16}}},
          {"memory",
           {{"total_bytes", (old   ? 4LL
                             : mid ? 8LL
                                   : 16LL)
                                << 30}}},
          {"disks",
           {{{"model", old || mid ? "ST500DM002" : "Samsung SSD 870"},
             {"media", pc.media},
             {"size_bytes", 500107862016LL},
             {"system", true}}}},
          {"os",
           {{"name", old   ? "Windows 7 Professional"
                     : mid ? "Windows 10 Pro"
                           : "Windows 11 Pro"},
            {"version", old   ? "6.1.7601"
                        : mid ? "22H2"
                              : "24H2"},
            {"support", {{"status", pc.os_support}}}}},
          {"firmware", json::object()},
          {"tpm", json::object()},
          {"network", json::array()},
          {"agent_version", "0.1.0"},
          {"notes", json::array()}};
}

json assessment_of(const SeedPc& pc) {
  json rules = json::array();
  if (pc.verdict == "does_not_meet")
    rules.push_back({{"id", "ram_min"},
                     {"result", "fail"},
                     {"measured", "4 GiB"},
                     {"required", ">= 8 GiB"},
                     {"required_vi", "tối thiểu 8 GiB"},
                     {"reason", "RAM below 8 GiB"},
                     {"reason_vi", "RAM dưới 8 GiB"}});
  return {{"profile", "office-recommended"},
          {"profile_title",
           {{"vi", "Cấu hình khuyến nghị cho công tác văn phòng và chuyển đổi số"},
            {"en", "Recommended configuration for office and digital-transformation work"}}},
          {"verdict", pc.verdict},
          {"rules", rules}};
}

struct Writer {
  SeedMonth& month;
  std::map<std::string, std::int64_t> seq;
  void add(const std::string& agent, const char* type, std::int64_t time_ms, const json& payload) {
    month.records[agent].push_back(record(agent, ++seq[agent], type, time_ms, payload));
  }
};

}  // namespace

SeedMonth seed_month(std::int64_t end_ms) {
  SeedMonth m;
  m.end_ms = end_ms;
  const std::int64_t end_day = (end_ms + k_offset) / k_day;
  const std::int64_t first_day = end_day - 30;
  m.from_ms = local_midnight(first_day);
  for (int i = 0; i < 21; ++i) {
    SeedPc pc;
    pc.agent_id = id_of(i);
    const bool a = i < 12;
    char host[16];
    std::snprintf(host, sizeof host, "%s-PC%02d", a ? "A" : "B", a ? i + 1 : i - 11);
    pc.hostname = host;
    pc.site = a ? "Nhà A" : "Nhà B";
    pc.os_support = i % 3 == 0 ? "ended" : i % 3 == 1 ? "extended" : "supported";
    pc.media = i % 3 == 2 ? "ssd" : "hdd";
    pc.verdict = i % 3 == 2 ? "meets" : "does_not_meet";
    pc.bad_cable = i == 4 || i == 10 || i == 15;
    pc.heavy = i % 3 == 0;
    pc.off_last_week = i == 20;
    m.pcs.push_back(pc);
  }
  std::vector<std::int64_t> work_days;
  for (std::int64_t d = first_day; d < end_day; ++d)
    if (working(d)) work_days.push_back(d);
  REQUIRE(work_days.size() >= 20);
  const auto on = [&](int pc, std::int64_t day) {
    return working(day) && !(m.pcs[static_cast<std::size_t>(pc)].off_last_week && day >= end_day - 7);
  };
  const auto at = [&](std::int64_t day, int local_min) { return local_midnight(day) + local_min * k_min; };

  // The planned events.
  const auto all_of = [&](const char* site, std::int64_t day) {
    std::vector<std::string> ids;
    for (int i = 0; i < 21; ++i)
      if ((site == nullptr || m.pcs[i].site == site) && on(i, day)) ids.push_back(m.pcs[i].agent_id);
    return ids;
  };
  for (int k : {1, 6, 11, 16}) {  // the provider: both sites at once, 30 minutes
    const auto day = work_days[static_cast<std::size_t>(k)];
    m.events.push_back({"agency_wide", "upstream", at(day, 10 * 60), at(day, 10 * 60 + 30), all_of(nullptr, day)});
  }
  {
    const auto day = work_days[4];  // the switch of Nhà B
    m.events.push_back({"site_wide", "lan", at(day, 14 * 60), at(day, 14 * 60 + 40), all_of("Nhà B", day)});
  }
  {
    const auto day = work_days[8];  // a room switch of Nhà A: 3 PCs of 12
    m.events.push_back({"shared_equipment",
                        "lan",
                        at(day, 9 * 60),
                        at(day, 9 * 60 + 20),
                        {m.pcs[0].agent_id, m.pcs[1].agent_id, m.pcs[2].agent_id}});
  }
  {
    const auto day = work_days[13];  // DNS at Nhà A
    m.events.push_back({"site_wide", "dns", at(day, 15 * 60), at(day, 15 * 60 + 15), all_of("Nhà A", day)});
  }
  int cable_turn = 0;
  for (std::size_t w = 0; w < work_days.size(); w += 3) {  // the bad cables, each alone at its own time
    for (int i : {4, 10, 15}) {
      const int start = 8 * 60 + 10 * (cable_turn++ % 20) + (i == 4 ? 0 : i == 10 ? 120 : 240);
      m.events.push_back({"single_machine",
                          "link_down",
                          at(work_days[w], start),
                          at(work_days[w], start + 2 + static_cast<int>(w % 5)),
                          {m.pcs[static_cast<std::size_t>(i)].agent_id}});
    }
  }

  // Disk health: old PCs failing (even) or worn (odd); PC 1 worn from the 11th working day; PC 20 virtual.
  const auto disk_verdict = [&](int i, std::size_t w) -> std::string {
    if (i == 20) return "unknown";
    if (i % 3 == 0) return i % 2 == 0 ? "failing" : "worn";
    if (i == 1 && w >= 10) return "worn";
    return "ok";
  };
  for (int i = 0; i < 21; ++i) m.pcs[static_cast<std::size_t>(i)].disk_verdict = disk_verdict(i, work_days.size());
  // Instability, recorded at the next working day's start: (pc, working day index, local minute, cause).
  struct Down {
    int pc;
    std::size_t w;
    int minute;
    std::string cause;
  };
  std::vector<Down> downs = {
      {3, 5, 14 * 60 + 5, "os_crash"}, {3, 12, 14 * 60 + 5, "os_crash"}, {7, 9, 16 * 60, "unknown"}};
  for (int i = 12; i < 21; ++i)  // the power cut of Nhà B: 11:20 local, within 40 seconds
    if (on(i, work_days[2])) downs.push_back({i, 2, 11 * 60 + 20, "unknown"});
  m.power_cuts = 1;
  for (const Down& d : downs) {
    SeedPc& pc = m.pcs[static_cast<std::size_t>(d.pc)];
    if (d.pc >= 12)
      ++pc.power_cut_shutdowns;
    else
      ++pc.own_shutdowns;
    if (d.cause == "os_crash") ++pc.os_crashes;
  }

  Writer out{m, {}};
  int outage_n = 0;
  int boot_n = 0;
  for (std::size_t wd = 0; wd < work_days.size(); ++wd) {
    const std::int64_t day = work_days[wd];
    for (int i = 0; i < 21; ++i) {
      if (!on(i, day)) continue;
      const SeedPc& pc = m.pcs[static_cast<std::size_t>(i)];
      const std::int64_t open = at(day, k_open_min), close = at(day, k_close_min);
      out.add(pc.agent_id, "lifecycle", open, {{"event", "start"}, {"agent_version", "0.1.0"}});
      out.add(pc.agent_id, "inventory", open + k_min, inventory_of(pc, i));
      out.add(pc.agent_id, "assessment", open + k_min, assessment_of(pc));
      {
        const std::string v = disk_verdict(i, wd);
        const bool virt = v == "unknown";
        json reason = v == "failing"
                          ? json{{"code", "pending_sectors"}, {"en", "2 pending sectors"}, {"vi", "2 sector chờ thay"}}
                      : v == "worn" ? json{{"code", "reallocated_sectors"},
                                           {"en", "4 reallocated sectors"},
                                           {"vi", "4 sector hỏng đã thay"}}
                      : virt ? json{{"code", "no_smart_virtual"}, {"en", "virtual disk"}, {"vi", "ổ đĩa ảo"}}
                             : json{{"code", "ok"}, {"en", "no sign of failure"}, {"vi", "không có dấu hiệu hỏng"}};
        out.add(
            pc.agent_id, "disk_health", open + 2 * k_min,
            {{"disks", json::array({{{"device", virt ? "\\\\.\\PhysicalDrive1" : "\\\\.\\PhysicalDrive0"},
                                     {"kind", virt ? "" : "ata"},
                                     {"verdict", v},
                                     {"reasons", json::array({reason})},
                                     {"power_on_hours", virt ? json(nullptr) : json(12000 + 8 * static_cast<int>(wd))},
                                     {"reallocated_sectors", virt ? json(nullptr) : json(v == "worn" ? 4 : 0)},
                                     {"pending_sectors", virt ? json(nullptr) : json(v == "failing" ? 2 : 0)}}})}});
      }
      if (wd > 0) {
        for (const Down& d : downs) {
          if (d.pc != i || d.w + 1 != wd) continue;
          const std::int64_t last_seen = at(work_days[d.w], d.minute) + (d.pc % 3) * 20'000;
          const std::string boot = "boot-" + std::to_string(++boot_n);
          out.add(pc.agent_id, "instability", open + 30'000,
                  {{"event", "unexpected_shutdown"},
                   {"id", "boot:" + boot},
                   {"last_seen", iso(last_seen)},
                   {"previous_boot_id", "boot-0"},
                   {"cause", d.cause},
                   {"source", "itsa"},
                   {"evidence", json::array()}});
          if (d.cause == "os_crash")
            out.add(pc.agent_id, "instability", open + 30'000,
                    {{"event", "os_crash"},
                     {"id", "bugcheck:" + boot},
                     {"at", iso(last_seen + 5'000)},
                     {"source", "windows_event_log"},
                     {"kind", "bugcheck"},
                     {"bugcheck_code", 209}});
        }
      }
      for (std::int64_t w = open; w < close; w += k_window * k_min) {
        json cpu = json::array(), mem = json::array(), disk = json::array(), flaps = json::array(), crc = json::array(),
             frame = json::array(), speed = json::array(), carrier = json::array();
        for (int j = 0; j < k_window; ++j) {
          const auto n = static_cast<int>((w / k_min + j + i) % 4);
          cpu.push_back(pc.heavy && n == 0 ? 97 : 10 + (n * 7 + i) % 30);
          mem.push_back(pc.heavy ? 80 : 55);
          disk.push_back(pc.media == "hdd" && n == 1 ? 96 : 20);  // an HDD saturated a quarter of the time
          flaps.push_back(pc.bad_cable && j == 7 && (w / (k_window * k_min)) % 4 == 0 ? 1 : 0);
          crc.push_back(pc.bad_cable && j % 5 == 0 ? 3 + (i % 4) : 0);
          frame.push_back(0);
          speed.push_back(pc.bad_cable ? 100 : 1000);
          carrier.push_back(true);
        }
        const std::int64_t made = w + k_window * k_min;
        out.add(pc.agent_id, "pressure_minute", made,
                {{"minute", iso(w)},
                 {"minutes", k_window},
                 {"cpu_busy_pct", cpu},
                 {"mem_used_pct", mem},
                 {"disk_busy_pct", disk}});
        out.add(pc.agent_id, "link_minute", made,
                {{"minute", iso(w)},
                 {"minutes", k_window},
                 {"interface", "eth0"},
                 {"carrier", carrier},
                 {"speed_mbps", speed},
                 {"max_speed_mbps", json::array({1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
                                                 1000, 1000, 1000})},
                 {"flaps", flaps},
                 {"rx_crc_errors", crc},
                 {"rx_frame_errors", frame}});
      }
      for (const SeedEvent& e : m.events) {
        if (e.start_ms < open || e.start_ms >= close) continue;
        if (std::find(e.agent_ids.begin(), e.agent_ids.end(), pc.agent_id) == e.agent_ids.end()) continue;
        out.add(pc.agent_id, "outage", e.end_ms,
                {{"id", "o" + std::to_string(++outage_n)},
                 {"state", "closed"},
                 {"start", iso(e.start_ms)},
                 {"end", iso(e.end_ms)},
                 {"cause", e.cause},
                 {"interface", "eth0"},
                 {"clock_synced", true}});
      }
      out.add(pc.agent_id, "coverage", close,
              {{"start", iso(open)}, {"end", iso(close)}, {"clock_synced", true}, {"reason", "running"}});
      out.add(pc.agent_id, "lifecycle", close, {{"event", "stop"}, {"agent_version", "0.1.0"}});
    }
  }
  return m;
}

void load_seed_month(server::Storage& storage, const SeedMonth& month) {
  for (const SeedPc& pc : month.pcs)
    REQUIRE(storage.enrol_agent(
        {pc.agent_id, pc.hostname, pc.site, "0.1.0", "", server::hash_secret(pc.agent_id), month.from_ms, ""}));
  for (const auto& [agent, records] : month.records) {
    for (std::size_t from = 0; from < records.size(); from += 500) {
      const std::vector<server::RecordIn> batch(
          records.begin() + static_cast<std::ptrdiff_t>(from),
          records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), from + 500)));
      auto r = storage.ingest(agent, batch, month.end_ms);
      REQUIRE(r);
      REQUIRE(r.value().stored == static_cast<int>(batch.size()));
    }
  }
}

}  // namespace itsa::test
