// The one list of the daemon's tasks, in start order. Each area adds its task here.
#include "agent/tasks/task.hpp"

#include "agent/tasks/disk_health_task.hpp"
#include "agent/tasks/history_task.hpp"
#include "agent/tasks/inventory_task.hpp"
#include "agent/tasks/pressure_task.hpp"
#include "agent/watchdog.hpp"

#include "agent/tasks/network_task.hpp"
#include "agent/tasks/uploader_task.hpp"

namespace itsa::agent {

std::vector<std::unique_ptr<DaemonTask>> make_tasks(const config::AgentConfig& config) {
  std::vector<std::unique_ptr<DaemonTask>> tasks;
  auto nudge = std::make_shared<UploadNudge>();
  // Disk health first: its reading at start runs before the first inventory, which carries it.
  auto disk_health = std::make_shared<DiskHealthBoard>();
  tasks.push_back(std::make_unique<DiskHealthTask>(disk_health));
  tasks.push_back(
      std::make_unique<InventoryTask>(collectors::InventoryOptions{}, std::chrono::minutes(15), disk_health));
  tasks.push_back(std::make_unique<PressureTask>());
  // The system log's link and power events from before itsa, at start and then daily.
  tasks.push_back(std::make_unique<HistoryTask>());
  tasks.push_back(std::make_unique<network::NetworkTask>(network::LinkReader{}, [nudge] { (*nudge)(); }));
  if (!config.server.url.empty())
    tasks.push_back(std::make_unique<uploader::UploaderTask>(uploader::UploaderTuning{}, nudge));
  tasks.push_back(std::make_unique<SelfWatchdogTask>());
  return tasks;
}

}  // namespace itsa::agent
