#pragma once
// The daemon's work is a list of tasks (inventory snapshots, resource pressure, link
// monitor and probes, uploader), each started on the daemon's single io_context and
// writing records through the EvidenceSink. The one list is made in agent/tasks.cpp.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/evidence_sink.hpp"
#include "config/agent_config.hpp"

namespace boost::asio {
class io_context;
}
namespace itsa::store {
class EvidenceStore;
}

namespace itsa::agent {

/// The network task's store draft holding the last round that observed an open outage
/// ({"id", "observed_until"}): the daemon ends a crashed run's open outage there.
inline constexpr char k_outage_observed_draft[] = "network|outage_observed";

/// What a task gets when it starts. All references outlive the task.
struct TaskContext {
  boost::asio::io_context& io;
  const config::AgentConfig& config;
  EvidenceSink& sink;  ///< where records go (the daemon's: minute samples become series)
  const Clock& clock;
  itsa::store::EvidenceStore* store = nullptr;  ///< the store behind `sink` (the uploader reads it); may be null
};

class DaemonTask {
 public:
  virtual ~DaemonTask() = default;
  /// Short name, also its log tag ("inventory", "pressure", "network", "uploader").
  virtual std::string name() const = 0;
  /// Schedules the task's work on ctx.io; must not block.
  virtual void start(TaskContext& ctx) = 0;
  /// Stops the task: cancel timers, close what is open (an open outage ends with
  /// end_reason "observation_ended") and write its last records. Must return within 1 s.
  virtual void stop(std::string_view reason) = 0;
  /// Current state for `itsa-agent status` (optional).
  virtual nlohmann::json status() const { return nlohmann::json::object(); }
};

/// Wakes the uploader at once (the network task calls it when connectivity returns). Made by
/// make_tasks and shared by the tasks that use it; the uploader attaches while it runs.
/// Safe from any thread; a no-op while nothing is attached.
class UploadNudge {
 public:
  void attach(std::function<void()> wake) {
    std::lock_guard lock(m_mutex);
    m_wake = std::move(wake);
  }
  void detach() { attach({}); }
  void operator()() const {
    std::lock_guard lock(m_mutex);
    if (m_wake) m_wake();
  }

 private:
  mutable std::mutex m_mutex;
  std::function<void()> m_wake;
};

/// Every task of the daemon, in start order.
std::vector<std::unique_ptr<DaemonTask>> make_tasks(const config::AgentConfig& config);

}  // namespace itsa::agent
