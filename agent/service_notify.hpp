#pragma once
// Hooks through which the daemon tells the service manager how it is doing: systemd (sd_notify,
// service_notify_linux.cpp) or the Windows SCM (service_notify_windows.cpp). Every call is cheap,
// thread-safe and a no-op when the agent is not running under a service manager.
#include <chrono>
#include <string_view>

namespace itsa::agent {

/// The daemon has started its tasks (systemd READY=1; SCM SERVICE_RUNNING).
void notify_ready();

/// Liveness ping from the daemon's loop (systemd WATCHDOG=1). Call at least every
/// watchdog_interval() / 2 while the io_context is healthy.
void notify_watchdog();

/// The daemon is shutting down (systemd STOPPING=1; SCM SERVICE_STOP_PENDING).
void notify_stopping();

/// A config reload started (systemd RELOADING=1); call notify_ready() when it is done.
void notify_reloading();

/// One line of status text (systemd STATUS=, shown by systemctl status).
void notify_status(std::string_view text);

/// How often the manager expects notify_watchdog() (systemd WATCHDOG_USEC); zero when no watchdog.
std::chrono::milliseconds watchdog_interval();

}  // namespace itsa::agent
