// Windows: the SCM learns the service state from service_windows.cpp (RUNNING when the work starts,
// STOP_PENDING at a stop request); these hooks only log. The SCM has no liveness watchdog: the
// agent's own watchdog (agent/watchdog.*) covers a stuck or bloated agent.
#include "agent/service_notify.hpp"
#include "common/log.hpp"

namespace itsa::agent {

void notify_ready() {
  log::get("service")->debug("ready");
}

void notify_watchdog() {}

void notify_stopping() {
  log::get("service")->debug("stopping");
}

void notify_reloading() {
  log::get("service")->debug("reloading");
}

void notify_status(std::string_view text) {
  log::get("service")->debug("status: {}", text);
}

std::chrono::milliseconds watchdog_interval() {
  return std::chrono::milliseconds{0};
}

}  // namespace itsa::agent
