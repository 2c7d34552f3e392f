// itsa-agent service: the Windows service entry point (the MSI registers "itsa-agent.exe service").
// Applies the MSI's install settings to the config (and a rotating log file under
// %ProgramData%\itsa\logs when the config names none), writes key events to the Event Log, then
// runs the daemon under the SCM. A stop/shutdown request reaches the daemon through
// Daemon::request_stop, power events through Daemon::notify_power (suspend/resume become coverage
// gaps); should the daemon stop for a self-watchdog restart (fallback path), a fresh one runs.
#include <iostream>
#include <memory>
#include <mutex>

#include "agent/commands/registry.hpp"
#include "agent/daemon.hpp"
#include "agent/service_install_settings.hpp"
#include "agent/service_windows.hpp"
#include "agent/watchdog.hpp"
#include "common/log.hpp"

namespace itsa::agent {

void register_service(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("service", "Windows service entry point (started by the service manager)");
  auto config_path = std::make_shared<std::string>();
  cmd->add_option("--config", *config_path, "Config file (default %ProgramData%\\itsa\\agent.json)");
  cmd->callback([&result, config_path] {
    const std::filesystem::path file =
        config_path->empty() ? default_config_file() : std::filesystem::path(*config_path);
    const auto log_dir = program_data_dir() / "logs";
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    auto settings = read_install_settings();
    settings.log_file = (log_dir / "agent.log").string();
    const auto applied = apply_install_settings(file, settings);
    if (!applied) report_event(EventLevel::error, applied.error().message);

    // The daemon running now (SCM threads call into it) and whether a stop was asked for.
    struct Current {
      std::mutex mutex;
      Daemon* daemon = nullptr;
      bool stop_requested = false;
    };
    auto current = std::make_shared<Current>();
    ServiceCallbacks callbacks;
    callbacks.run = [file, current]() -> int {
      for (;;) {
        DaemonOptions options;
        options.config_file = file;
        Daemon daemon(options);
        {
          std::lock_guard lock(current->mutex);
          if (current->stop_requested) return k_exit_ok;
          current->daemon = &daemon;
        }
        const int code = daemon.run();
        bool stop_requested = false;
        {
          std::lock_guard lock(current->mutex);
          current->daemon = nullptr;
          stop_requested = current->stop_requested;
        }
        if (code == k_exit_invalid_config) {
          report_event(EventLevel::error, "itsa agent: invalid config " + file.string() + " (see the log)");
        }
        if (stop_requested || !take_work_restart_request()) return code;
        log::get("service")->warn("self-watchdog: starting the agent's work again");
        report_event(EventLevel::warning, "itsa agent: work restarted by the self-watchdog");
      }
    };
    callbacks.request_stop = [current](std::string_view reason) {
      std::lock_guard lock(current->mutex);
      current->stop_requested = true;
      if (current->daemon) current->daemon->request_stop(std::string(reason));
    };
    callbacks.power = [current](bool suspending) {
      std::lock_guard lock(current->mutex);
      if (current->daemon) current->daemon->notify_power(suspending);
    };
    auto code = run_windows_service(std::move(callbacks));
    if (!code) {
      std::cerr << "itsa-agent service: " << code.error().message << "\n";
      result.exit_code = k_exit_failure;
      return;
    }
    result.exit_code = code.value();
  });
}

}  // namespace itsa::agent
