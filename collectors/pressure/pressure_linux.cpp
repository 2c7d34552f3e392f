// Linux pressure counters: /proc/stat (first "cpu" line), /proc/meminfo, /proc/pressure/*
// ("some ... total=µs"), /proc/diskstats io_ticks of the disk holding "/" and the free space of
// the root file system.
#include <fstream>
#include <sstream>
#include <string>

#include "collectors/inventory/text_files.hpp"
#include "collectors/pressure/diskstats.hpp"
#include "collectors/pressure/pressure.hpp"

namespace itsa::collectors {
namespace {

class ProcPressureSource final : public PressureSource {
 public:
  explicit ProcPressureSource(std::filesystem::path root) : m_root(std::move(root)) {}

  PressureCounters read() override {
    PressureCounters c;
    read_stat(c);
    read_meminfo(c);
    c.psi_cpu_some_us = psi_total("/proc/pressure/cpu");
    c.psi_mem_some_us = psi_total("/proc/pressure/memory");
    c.psi_io_some_us = psi_total("/proc/pressure/io");
    c.disk_busy_us = disk_busy_us();
    std::error_code ec;
    const auto space = std::filesystem::space(m_root, ec);
    if (!ec && space.capacity > 0)
      c.system_disk_free_pct = 100.0 * static_cast<double>(space.available) / static_cast<double>(space.capacity);
    return c;
  }

 private:
  void read_stat(PressureCounters& c) const {
    std::ifstream in(under(m_root, "/proc/stat"));
    std::string label;
    if (!(in >> label) || label != "cpu") return;
    std::uint64_t v[8] = {};
    for (auto& x : v)
      if (!(in >> x)) return;
    std::uint64_t total = 0;
    for (auto x : v) total += x;
    c.cpu_total_ticks = total;
    c.cpu_idle_ticks = v[3] + v[4];  // idle + iowait
  }

  void read_meminfo(PressureCounters& c) const {
    std::ifstream in(under(m_root, "/proc/meminfo"));
    std::string key;
    std::uint64_t kb = 0;
    std::string rest;
    std::optional<std::uint64_t> total, avail, swap_total, swap_free;
    while (in >> key >> kb) {
      std::getline(in, rest);
      if (key == "MemTotal:")
        total = kb;
      else if (key == "MemAvailable:")
        avail = kb;
      else if (key == "SwapTotal:")
        swap_total = kb;
      else if (key == "SwapFree:")
        swap_free = kb;
    }
    if (total && avail && *total > 0 && *avail <= *total)
      c.mem_used_pct = 100.0 * static_cast<double>(*total - *avail) / static_cast<double>(*total);
    if (swap_total && swap_free && *swap_total > 0 && *swap_free <= *swap_total)
      c.swap_used_pct = 100.0 * static_cast<double>(*swap_total - *swap_free) / static_cast<double>(*swap_total);
  }

  // io_ticks (ms) of the disk holding "/", in µs. The disk is looked up once (the root mount
  // does not move while the agent runs; a root that is on no listed disk, as overlayfs in a
  // container, stays unknown without re-reading mountinfo every sample).
  std::optional<std::uint64_t> disk_busy_us() {
    if (m_disk_looked_up && !m_disk) return std::nullopt;
    const auto stats = read_text(under(m_root, "/proc/diskstats"));
    if (!stats) return std::nullopt;
    if (!m_disk_looked_up) {
      m_disk_looked_up = true;
      const auto mountinfo = read_text(under(m_root, "/proc/self/mountinfo"));
      if (!mountinfo) return std::nullopt;
      const auto dev = diskstats::mount_device(*mountinfo);
      if (!dev) return std::nullopt;
      auto disk = diskstats::system_disk(*stats, dev.value());
      if (!disk) return std::nullopt;
      m_disk = std::move(disk).value();
    }
    if (!m_disk) return std::nullopt;  // looked up just now, not found
    const auto ticks = diskstats::io_ticks_ms(*stats, *m_disk);
    if (!ticks) return std::nullopt;
    return ticks.value() * 1000;
  }

  std::optional<std::uint64_t> psi_total(const char* path) const {
    std::ifstream in(under(m_root, path));
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("some ", 0) != 0) continue;
      const auto pos = line.find("total=");
      if (pos == std::string::npos) return std::nullopt;
      try {
        return std::stoull(line.substr(pos + 6));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::filesystem::path m_root;
  bool m_disk_looked_up = false;
  std::optional<std::string> m_disk;  // the system disk's /proc/diskstats name
};

}  // namespace

std::unique_ptr<PressureSource> make_pressure_source(const std::filesystem::path& root) {
  return std::make_unique<ProcPressureSource>(root);
}

}  // namespace itsa::collectors
