#pragma once
// The daemon's disk-health task: reads every disk's SMART / NVMe health at start and then once a
// day (not per minute), judges "reallocated growing" against the previous stored reading, stores
// a `disk_health` record ({"disks": [...]}, each disk as `itsa-agent disk-health --json` prints
// it) and hands the verdicts to the inventory task for the assessment. A disk that cannot be read
// costs one log line a day (docs/inventory.md "Disk health").
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "agent/tasks/task.hpp"
#include "collectors/disk_health/disk_health.hpp"

namespace itsa::agent {

/// The latest reading's inventory summary (collectors::disk_health::inventory_summary), written
/// by the disk-health task and read by the inventory task. Safe from any thread.
class DiskHealthBoard {
 public:
  void set(nlohmann::json summary) {
    std::lock_guard lock(m_mutex);
    m_summary = std::move(summary);
  }
  std::optional<nlohmann::json> get() const {
    std::lock_guard lock(m_mutex);
    return m_summary;
  }

 private:
  mutable std::mutex m_mutex;
  std::optional<nlohmann::json> m_summary;
};

/// Reads and judges every disk (collectors::disk_health::read_all_disks in production).
using DiskReader =
    std::function<std::vector<collectors::disk_health::DiskHealth>(const collectors::disk_health::HealthLimits&)>;

/// The `disk_health` payload of a reading: {"disks": [to_json(disk), ...]}. A decoded disk whose
/// reallocated sectors grew since `previous` (an earlier payload, made at `previous_at`) is judged
/// again with that reading (verdict failing, reason reallocated_growing).
nlohmann::json disk_health_payload(std::vector<collectors::disk_health::DiskHealth> disks,
                                   const collectors::disk_health::HealthLimits& limits,
                                   const nlohmann::json* previous = nullptr, const std::string& previous_at = {});

class DiskHealthTask final : public DaemonTask {
 public:
  /// `reader` defaults to the live disks; `check_every` is how often the task looks whether a day
  /// has passed since its last reading (mono clock of the TaskContext); `every` is that day.
  explicit DiskHealthTask(std::shared_ptr<DiskHealthBoard> board = {}, DiskReader reader = {},
                          std::chrono::seconds check_every = std::chrono::minutes(15),
                          std::chrono::seconds every = std::chrono::hours(24));
  std::string name() const override { return "disk_health"; }
  void start(TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;

  /// Log lines written about disks that could not be read (tests: one a day per disk).
  int unreadable_log_lines() const { return m_unreadable_logs; }

 private:
  void check();
  void read_now();
  void schedule();

  std::shared_ptr<DiskHealthBoard> m_board;
  DiskReader m_reader;
  std::chrono::seconds m_check_every;
  std::chrono::seconds m_every;
  TaskContext* m_ctx = nullptr;
  std::unique_ptr<boost::asio::steady_timer> m_timer;
  std::optional<MonoTime> m_last_read;
  std::optional<nlohmann::json> m_previous;  ///< the previous reading's payload
  std::string m_previous_at;                 ///< when it was made (RFC 3339)
  std::map<std::string, MonoTime> m_logged;  ///< per device: when its "cannot be read" line was logged
  int m_readings = 0;
  int m_unreadable_logs = 0;
  nlohmann::json m_last_verdicts = nlohmann::json::object();
  bool m_stopped = false;
};

}  // namespace itsa::agent
