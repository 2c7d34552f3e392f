// The one list of the daemon's tasks, in start order. Each area adds its task here.
#include "agent/tasks/task.hpp"

#include "agent/tasks/inventory_task.hpp"
#include "agent/tasks/pressure_task.hpp"
#include "agent/watchdog.hpp"

#include "agent/tasks/network_task.hpp"
#include "agent/tasks/uploader_task.hpp"

namespace itsa::agent {

std::vector<std::unique_ptr<DaemonTask>> make_tasks(const config::AgentConfig& config) {
  std::vector<std::unique_ptr<DaemonTask>> tasks;
  auto nudge = std::make_shared<UploadNudge>();
  tasks.push_back(std::make_unique<InventoryTask>());
  tasks.push_back(std::make_unique<PressureTask>());
  tasks.push_back(std::make_unique<network::NetworkTask>(network::LinkReader{}, [nudge] { (*nudge)(); }));
  if (!config.server.url.empty())
    tasks.push_back(std::make_unique<uploader::UploaderTask>(uploader::UploaderTuning{}, nudge));
  tasks.push_back(std::make_unique<SelfWatchdogTask>());
  return tasks;
}

}  // namespace itsa::agent
