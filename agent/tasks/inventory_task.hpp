#pragma once
// The daemon's inventory task: stores an `inventory` record and an `assessment` record at
// start, whenever the inventory changes (volatile fields ignored), and at least every
// inventory.interval_h hours. It carries the last boots' durations (`boot_durations`): read at
// start and, while this boot is still starting, at each check, then kept; the earlier boots come
// from the previous inventory record in the store (Linux can read only the current boot).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>

#include "agent/tasks/task.hpp"
#include "collectors/boot/boot_time.hpp"
#include "collectors/inventory.hpp"

namespace itsa::agent {

class DiskHealthBoard;

class InventoryTask final : public DaemonTask {
 public:
  /// The boot-duration reader (tests inject one); empty = collectors::boot::read_boots.
  using BootReader = std::function<collectors::boot::BootReading()>;
  /// `options` selects what collect_inventory reads (tests pass a snapshot root);
  /// `check_every` is how often the inventory is re-read to detect changes; `disk_health`, when
  /// set, is the disk-health task's latest reading, carried as `inventory.disk_health` (the
  /// assessment's `disk_health` rule).
  explicit InventoryTask(collectors::InventoryOptions options = {},
                         std::chrono::seconds check_every = std::chrono::minutes(15),
                         std::shared_ptr<DiskHealthBoard> disk_health = {}, BootReader boots = {});
  std::string name() const override { return "inventory"; }
  void start(TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;

 private:
  void check();
  void schedule();
  void read_boots();

  collectors::InventoryOptions m_options;
  std::chrono::seconds m_check_every;
  std::shared_ptr<DiskHealthBoard> m_disk_health;
  BootReader m_boot_reader;
  nlohmann::json m_boots = nlohmann::json::array();  ///< boot_durations: the history with this boot
  nlohmann::json m_stored_boots;                     ///< boot_durations of the last stored inventory
  bool m_boots_done = false;                         ///< this boot's duration is read (or cannot be)
  std::string m_boot_note;
  TaskContext* m_ctx = nullptr;
  std::unique_ptr<boost::asio::steady_timer> m_timer;
  std::optional<nlohmann::json> m_last_stable;
  std::optional<MonoTime> m_last_stored;
  std::string m_last_verdict;
  int m_snapshots = 0;
  bool m_stopped = false;
};

}  // namespace itsa::agent
