// itsa-agent service: the Windows service entry point (the MSI registers "itsa-agent.exe service").
// Applies the MSI's install settings to the config (and a rotating log file under
// %ProgramData%\itsa\logs when the config names none), writes key events to the Event Log, then
// runs the daemon under the SCM. A stop/shutdown request reaches the daemon as SIGTERM through its
// Asio signal_set; a self-watchdog restart runs a fresh daemon in the same process.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

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

    auto stop_requested = std::make_shared<std::atomic<bool>>(false);
    // Until the daemon's signal_set is installed a SIGTERM must not kill the process.
    std::signal(SIGTERM, SIG_IGN);
    ServiceCallbacks callbacks;
    callbacks.run = [file, stop_requested] {
      for (;;) {
        DaemonOptions options;
        options.config_file = file;
        Daemon daemon(options);
        const int code = daemon.run();
        if (code == k_exit_invalid_config) {
          report_event(EventLevel::error, "itsa agent: invalid config " + file.string() + " (see the log)");
        }
        if (stop_requested->load() || !take_work_restart_request()) return code;
        log::get("service")->warn("self-watchdog: starting the agent's work again");
        report_event(EventLevel::warning, "itsa agent: work restarted by the self-watchdog");
      }
    };
    callbacks.request_stop = [stop_requested](std::string_view) {
      stop_requested->store(true);
      std::raise(SIGTERM);
    };
    callbacks.power = [](bool suspending) {
      log::get("service")->info("power: {}", suspending ? "suspending" : "resumed");
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
