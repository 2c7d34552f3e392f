// The one list of the daemon's tasks, in start order. Each area adds its task here.
#include "agent/tasks.hpp"

#include "agent/inventory_task.hpp"
#include "agent/pressure_task.hpp"
#include "agent/watchdog.hpp"

#include "collectors/network/network_task.hpp"
#include "uploader/uploader_task.hpp"

namespace itsa::agent {

std::vector<std::unique_ptr<DaemonTask>> make_tasks(const config::AgentConfig& config) {
  std::vector<std::unique_ptr<DaemonTask>> tasks;
  tasks.push_back(std::make_unique<InventoryTask>());
  tasks.push_back(std::make_unique<PressureTask>());
  tasks.push_back(std::make_unique<network::NetworkTask>(network::LinkReader{}, [] { uploader::nudge(); }));
  if (!config.server.url.empty()) tasks.push_back(std::make_unique<uploader::UploaderTask>());
  tasks.push_back(std::make_unique<SelfWatchdogTask>());
  return tasks;
}

}  // namespace itsa::agent
