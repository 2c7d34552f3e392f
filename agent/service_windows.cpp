// Windows service host: StartServiceCtrlDispatcherW -> service_main -> callbacks.run().
#include "agent/service_windows.hpp"

// Windows headers in this order: <winsock2.h> / <windows.h> first.
// clang-format off
#include <windows.h>
#include <shlobj.h>
// clang-format on

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "common/log.hpp"

namespace itsa::agent {
namespace {

constexpr DWORD k_stop_wait_hint_ms = 5000;  // the SCM hears from us within 5 s of a stop
constexpr auto k_stop_deadline = std::chrono::milliseconds(4500);

struct ServiceState {
  std::mutex mutex;
  std::condition_variable stopped_cv;
  SERVICE_STATUS_HANDLE handle = nullptr;
  SERVICE_STATUS status{};
  ServiceCallbacks callbacks;
  bool stop_requested = false;
  bool stopped = false;
  int exit_code = 0;
};

ServiceState& state() {
  static ServiceState s;
  return s;
}

void set_status(DWORD current_state, DWORD exit_code = NO_ERROR, DWORD wait_hint_ms = 0) {
  auto& s = state();
  static DWORD checkpoint = 1;
  s.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  s.status.dwCurrentState = current_state;
  s.status.dwWin32ExitCode = exit_code;
  s.status.dwWaitHint = wait_hint_ms;
  s.status.dwControlsAccepted =
      current_state == SERVICE_RUNNING
          ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PRESHUTDOWN | SERVICE_ACCEPT_POWEREVENT
          : 0;
  s.status.dwCheckPoint = (current_state == SERVICE_RUNNING || current_state == SERVICE_STOPPED) ? 0 : checkpoint++;
  if (s.handle) SetServiceStatus(s.handle, &s.status);
}

// Restart on failure (wixl cannot write ServiceConfig) and a pre-shutdown window.
void configure_recovery() {
  SC_HANDLE manager = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (!manager) return;
  SC_HANDLE service = OpenServiceW(manager, k_service_name, SERVICE_CHANGE_CONFIG | SERVICE_START);
  if (service) {
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 10'000}, {SC_ACTION_RESTART, 60'000}, {SC_ACTION_RESTART, 300'000}};
    SERVICE_FAILURE_ACTIONSW failure{};
    failure.dwResetPeriod = 24 * 3600;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    if (!ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure)) {
      log::get("service")->warn("cannot set the service's restart-on-failure actions (error {})", GetLastError());
    }
    SERVICE_PRESHUTDOWN_INFO preshutdown{10'000};
    ChangeServiceConfig2W(service, SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown);
    CloseServiceHandle(service);
  }
  CloseServiceHandle(manager);
}

// After a stop request, make sure the SCM sees SERVICE_STOPPED within 5 s even if the work hangs.
void start_stop_deadline() {
  std::thread([] {
    auto& s = state();
    std::unique_lock lock(s.mutex);
    if (s.stopped_cv.wait_for(lock, k_stop_deadline, [&] { return s.stopped; })) return;
    log::get("service")->error("the agent did not stop within {} ms; ending the process", k_stop_deadline.count());
    report_event(EventLevel::error, "itsa agent did not stop within 5 s; the process was ended");
    set_status(SERVICE_STOPPED, ERROR_PROCESS_ABORTED);
    lock.unlock();
    std::_Exit(1);
  }).detach();
}

DWORD WINAPI control_handler(DWORD control, DWORD event_type, LPVOID, LPVOID) {
  auto& s = state();
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
    case SERVICE_CONTROL_PRESHUTDOWN: {
      {
        std::lock_guard lock(s.mutex);
        if (s.stop_requested) return NO_ERROR;
        s.stop_requested = true;
        set_status(SERVICE_STOP_PENDING, NO_ERROR, k_stop_wait_hint_ms);
      }
      const auto reason = control_name(control);
      log::get("service")->info("stop requested by the service manager ({})", reason);
      start_stop_deadline();
      if (s.callbacks.request_stop) s.callbacks.request_stop(reason);
      return NO_ERROR;
    }
    case SERVICE_CONTROL_POWEREVENT: {
      const int kind = power_event_kind(event_type);
      if (kind >= 0) {
        log::get("service")->info("power event: {}", kind == 1 ? "suspend" : "resume");
        report_event(EventLevel::info, kind == 1 ? "itsa agent: system suspending (coverage gap starts)"
                                                 : "itsa agent: system resumed (coverage gap ends)");
        if (s.callbacks.power) s.callbacks.power(kind == 1);
      }
      return NO_ERROR;
    }
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

void WINAPI service_main(DWORD, LPWSTR*) {
  auto& s = state();
  s.handle = RegisterServiceCtrlHandlerExW(k_service_name, control_handler, nullptr);
  if (!s.handle) return;
  set_status(SERVICE_START_PENDING, NO_ERROR, 10'000);
  configure_recovery();
  report_event(EventLevel::info, "itsa agent service started");
  set_status(SERVICE_RUNNING);
  int code = 1;
  try {
    code = s.callbacks.run ? s.callbacks.run() : 1;
  } catch (const std::exception& e) {
    log::get("service")->critical("the agent failed: {}", e.what());
    report_event(EventLevel::error, std::string("itsa agent failed: ") + e.what());
  }
  s.exit_code = code;
  report_event(code == 0 ? EventLevel::info : EventLevel::error,
               "itsa agent service stopped (exit code " + std::to_string(code) + ")");
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
  std::lock_guard lock(s.mutex);
  s.stopped = true;
  s.stopped_cv.notify_all();
  // A non-zero exit makes the SCM apply the restart-on-failure actions.
  set_status(SERVICE_STOPPED, code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR);
  // Everything is stored and flushed: end the process at once, so an installer that removes the
  // exe right after seeing SERVICE_STOPPED does not find it still running (and locked).
  ExitProcess(static_cast<UINT>(code));
}

}  // namespace

Result<int> run_windows_service(ServiceCallbacks callbacks) {
  state().callbacks = std::move(callbacks);
  wchar_t name[sizeof(k_service_name) / sizeof(wchar_t)];
  std::copy(std::begin(k_service_name), std::end(k_service_name), name);
  SERVICE_TABLE_ENTRYW table[] = {{name, service_main}, {nullptr, nullptr}};
  if (!StartServiceCtrlDispatcherW(table)) {
    const auto error = GetLastError();
    if (error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
      return Error{"not started by the Windows service manager (use 'itsa-agent run' in a console)"};
    }
    return Error{"StartServiceCtrlDispatcher failed (error " + std::to_string(error) + ")"};
  }
  return state().exit_code;
}

std::string_view control_name(unsigned long control) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
      return "stop";
    case SERVICE_CONTROL_SHUTDOWN:
      return "shutdown";
    case SERVICE_CONTROL_PRESHUTDOWN:
      return "preshutdown";
    case SERVICE_CONTROL_POWEREVENT:
      return "power";
    case SERVICE_CONTROL_INTERROGATE:
      return "interrogate";
    default:
      return "other";
  }
}

int power_event_kind(unsigned long event_type) {
  switch (event_type) {
    case PBT_APMSUSPEND:
      return 1;
    case PBT_APMRESUMESUSPEND:
    case PBT_APMRESUMEAUTOMATIC:
      return 0;
    default:
      return -1;
  }
}

void report_event(EventLevel level, std::string_view message) {
  HANDLE source = RegisterEventSourceW(nullptr, k_service_name);
  if (!source) return;
  const auto wide = utf8_to_wide(message);
  const wchar_t* strings[] = {wide.c_str()};
  const WORD type = level == EventLevel::error     ? EVENTLOG_ERROR_TYPE
                    : level == EventLevel::warning ? EVENTLOG_WARNING_TYPE
                                                   : EVENTLOG_INFORMATION_TYPE;
  ReportEventW(source, type, 0, 1000, nullptr, 1, 0, strings, nullptr);
  DeregisterEventSource(source);
}

std::filesystem::path program_data_dir() {
  // The known folder first (what the MSI calls CommonAppDataFolder): a service's %ProgramData% may
  // differ (Wine gives services C:\users\Public).
  PWSTR known = nullptr;
  const bool have_known = SUCCEEDED(SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &known));
  std::filesystem::path known_base = have_known ? std::filesystem::path(known) : std::filesystem::path();
  CoTaskMemFree(known);
  if (!known_base.empty()) return known_base / "itsa";
  wchar_t buffer[MAX_PATH];
  const DWORD n = GetEnvironmentVariableW(L"ProgramData", buffer, MAX_PATH);
  std::filesystem::path base =
      (n > 0 && n < MAX_PATH) ? std::filesystem::path(buffer) : std::filesystem::path(L"C:\\ProgramData");
  return base / "itsa";
}

std::string wide_to_utf8(std::wstring_view wide) {
  if (wide.empty()) return {};
  const int n =
      WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), out.data(), n, nullptr, nullptr);
  return out;
}

std::wstring utf8_to_wide(std::string_view utf8) {
  if (utf8.empty()) return {};
  const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

}  // namespace itsa::agent
