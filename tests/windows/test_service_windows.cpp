// Windows service pieces that run without the SCM: control names, power events, the MSI's
// registry values, %ProgramData%, UTF-8 conversions, the Event Log.
#include <doctest/doctest.h>

#include <windows.h>

#include "agent/service_install_settings.hpp"
#include "agent/service_windows.hpp"

using namespace itsa::agent;

TEST_CASE("control codes have names the log can use") {
  CHECK(control_name(SERVICE_CONTROL_STOP) == "stop");
  CHECK(control_name(SERVICE_CONTROL_SHUTDOWN) == "shutdown");
  CHECK(control_name(SERVICE_CONTROL_PRESHUTDOWN) == "preshutdown");
  CHECK(control_name(12345) == "other");
}

TEST_CASE("power broadcasts map to suspend and resume") {
  CHECK(power_event_kind(PBT_APMSUSPEND) == 1);
  CHECK(power_event_kind(PBT_APMRESUMEAUTOMATIC) == 0);
  CHECK(power_event_kind(PBT_APMRESUMESUSPEND) == 0);
  CHECK(power_event_kind(PBT_APMPOWERSTATUSCHANGE) == -1);
}

TEST_CASE("UTF-8 and UTF-16 round trip") {
  const std::string text = "Ph\xc3\xb2ng k\xe1\xba\xbf to\xc3\xa1n";  // "Phòng kế toán"
  CHECK(wide_to_utf8(utf8_to_wide(text)) == text);
  CHECK(utf8_to_wide(text).size() == 13);
  CHECK(wide_to_utf8(L"").empty());
}

TEST_CASE("data lives under ProgramData\\itsa") {
  const auto dir = program_data_dir();
  CHECK(dir.filename() == "itsa");
  CHECK(default_config_file() == dir / "agent.json");
}

TEST_CASE("the MSI's registry values are the install settings") {
  // Written in this process's own registry view, as the MSI of the same architecture does.
  HKEY key = nullptr;
  REQUIRE(RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\itsa\\Agent", 0, nullptr, 0, KEY_ALL_ACCESS, nullptr, &key,
                          nullptr) == ERROR_SUCCESS);
  const std::wstring url = L"https://itsa.example.org";
  const std::wstring token = L"";
  RegSetValueExW(key, L"ServerUrl", 0, REG_SZ, reinterpret_cast<const BYTE*>(url.c_str()),
                 static_cast<DWORD>((url.size() + 1) * sizeof(wchar_t)));
  RegSetValueExW(key, L"EnrollToken", 0, REG_SZ, reinterpret_cast<const BYTE*>(token.c_str()), sizeof(wchar_t));
  const auto settings = read_install_settings();
  RegDeleteValueW(key, L"ServerUrl");
  RegDeleteValueW(key, L"EnrollToken");
  RegCloseKey(key);
  REQUIRE(settings.server_url);
  CHECK(*settings.server_url == "https://itsa.example.org");
  CHECK_FALSE(settings.enroll_token);  // empty = not given
  CHECK_FALSE(read_install_settings().server_url);
}

TEST_CASE("outside the SCM the service entry point says so instead of hanging") {
  auto result = run_windows_service({});
  REQUIRE_FALSE(result);
  CHECK(result.error().message.find("service manager") != std::string::npos);
}

TEST_CASE("events can be written to the Event Log") {
  report_event(EventLevel::info, "itsa test_windows: event log check");
  HANDLE log = OpenEventLogW(nullptr, L"Application");
  REQUIRE(log != nullptr);
  DWORD count = 0;
  CHECK(GetNumberOfEventLogRecords(log, &count));
  CloseEventLog(log);
}
