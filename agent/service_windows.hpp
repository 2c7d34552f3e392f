#pragma once
// The agent as a Windows service: the SCM entry point (ServiceMain), the control handler (stop,
// shutdown, pre-shutdown, power events), status reports, the Event Log and %ProgramData%\itsa.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace itsa::agent {

/// Service name registered by the MSI (installers/windows/itsa-agent.wxs).
inline constexpr wchar_t k_service_name[] = L"itsa-agent";

/// What the service runs. Every callback is called from an SCM thread except `run`.
struct ServiceCallbacks {
  std::function<int()> run;                                   ///< the work; returns after request_stop; exit code
  std::function<void(std::string_view reason)> request_stop;  ///< "stop", "shutdown", "preshutdown"; thread-safe
  std::function<void(bool suspending)> power;                 ///< true before suspend, false after resume
};

/// Connects to the SCM and runs `callbacks` as the service until it stops. Returns the work's
/// exit code, or an error when the process was not started by the SCM (run from a console).
/// The service reports SERVICE_STOPPED at the latest 5 s after a stop request.
Result<int> run_windows_service(ServiceCallbacks callbacks);

/// Event Log severities.
enum class EventLevel { info, warning, error };

/// Writes one event to the Windows Event Log (Application log, source "itsa-agent").
void report_event(EventLevel level, std::string_view message);

/// %ProgramData%\itsa (config, data, logs).
std::filesystem::path program_data_dir();

/// UTF-16 -> UTF-8 and back.
std::string wide_to_utf8(std::wstring_view wide);
std::wstring utf8_to_wide(std::string_view utf8);

/// Testable parts of the control handler: the name of a control code, and whether a
/// power broadcast means suspend (true), resume (false) or neither (nullopt as -1).
std::string_view control_name(unsigned long control);
int power_event_kind(unsigned long event_type);

}  // namespace itsa::agent
