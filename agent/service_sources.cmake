# Service integration (included from agent/CMakeLists.txt): systemd / Windows SCM hooks,
# install-time settings, the self-watchdog, and the 'service' / 'configure' commands.
add_library(itsa_service STATIC
  service_install_settings.cpp
  watchdog.cpp
)
# The commands use the daemon, so they belong to itsa_agent_core (defined before this file is included).
target_sources(itsa_agent_core PRIVATE commands/configure.cpp)
if(WIN32)
  target_sources(itsa_service PRIVATE service_windows.cpp service_notify_windows.cpp
    service_install_settings_windows.cpp watchdog_windows.cpp memory_trim_windows.cpp sleep_clock_windows.cpp)
  target_sources(itsa_agent_core PRIVATE commands/service_windows.cpp)
  target_link_libraries(itsa_service PUBLIC advapi32 psapi shell32 ole32 uuid)
else()
  target_sources(itsa_service PRIVATE service_notify_linux.cpp service_install_settings_linux.cpp watchdog_linux.cpp
    memory_trim_linux.cpp sleep_clock_linux.cpp)
  target_sources(itsa_agent_core PRIVATE commands/service_linux.cpp)
endif()
target_link_libraries(itsa_service PUBLIC itsa_config itsa_common CLI11::CLI11 Boost::boost)
itsa_set_warnings(itsa_service)
