// Linux boot duration: systemd's Manager timestamps of the current boot through sd-bus.
// libsystemd.so.0 is loaded at run time, only for this one reading per boot, and unloaded after:
// the agent does not link libsystemd (its compression and crypto libraries would cost ~1 MiB of
// resident memory for the whole run; agent/service_notify_linux.cpp speaks sd_notify directly for
// the same reason), and a PC without systemd simply has no boot duration. The bus is the system
// bus; as root, when that fails (no dbus-daemon), the manager's private socket
// /run/systemd/private, as systemctl does.
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <systemd/sd-bus.h>

#include "collectors/boot/boot_time.hpp"

namespace itsa::collectors::boot {
namespace {

using OpenSystemFn = int (*)(sd_bus**);
using NewFn = int (*)(sd_bus**);
using SetAddressFn = int (*)(sd_bus*, const char*);
using StartFn = int (*)(sd_bus*);
using GetTrivialFn = int (*)(sd_bus*, const char*, const char*, const char*, const char*, sd_bus_error*, char, void*);
using ErrorFreeFn = void (*)(sd_bus_error*);
using UnrefFn = sd_bus* (*)(sd_bus*);

constexpr const char* k_properties[] = {
    "FirmwareTimestampMonotonic", "LoaderTimestampMonotonic",    "KernelTimestamp",
    "InitRDTimestampMonotonic",   "UserspaceTimestampMonotonic", "FinishTimestampMonotonic"};

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

template <class Fn>
Fn symbol(void* lib, const char* name) {
  return reinterpret_cast<Fn>(dlsym(lib, name));
}

}  // namespace

BootReading read_boots() {
  BootReading r;
  std::error_code ec;
  if (!std::filesystem::exists("/run/systemd/system", ec)) {  // sd_booted()'s test
    r.note = "boot_durations: not booted with systemd (no /run/systemd/system): boot duration unknown";
    return r;
  }
  void* lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    r.note = "boot_durations: libsystemd.so.0 not loadable: boot duration unknown";
    return r;
  }
  const auto open_system = symbol<OpenSystemFn>(lib, "sd_bus_open_system");
  const auto make = symbol<NewFn>(lib, "sd_bus_new");
  const auto set_address = symbol<SetAddressFn>(lib, "sd_bus_set_address");
  const auto start = symbol<StartFn>(lib, "sd_bus_start");
  const auto get = symbol<GetTrivialFn>(lib, "sd_bus_get_property_trivial");
  const auto error_free = symbol<ErrorFreeFn>(lib, "sd_bus_error_free");
  const auto unref = symbol<UnrefFn>(lib, "sd_bus_flush_close_unref");
  if (!open_system || !make || !set_address || !start || !get || !error_free || !unref) {
    r.note = "boot_durations: libsystemd.so.0 lacks the sd-bus functions: boot duration unknown";
    dlclose(lib);
    return r;
  }
  sd_bus* bus = nullptr;
  int rc = open_system(&bus);
  if (rc < 0 && geteuid() == 0) {
    bus = unref(bus);
    if (make(&bus) >= 0 && set_address(bus, "unix:path=/run/systemd/private") >= 0) rc = start(bus);
  }
  if (rc < 0) {
    r.note = fmt::format("boot_durations: cannot reach systemd over D-Bus (error {}): boot duration unknown", -rc);
  } else {
    std::string text;
    for (const char* name : k_properties) {
      sd_bus_error error = SD_BUS_ERROR_NULL;
      std::uint64_t value = 0;
      const int got = get(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                          "org.freedesktop.systemd1.Manager", name, &error, 't', &value);
      if (got >= 0) text += fmt::format("{}={}\n", name, value);
      error_free(&error);
    }
    auto parsed = parse_systemd_times(text, boot_id());
    if (parsed) {
      r.boots.push_back(std::move(parsed.value()));
    } else {
      r.pending = parsed.error().message.rfind("pending", 0) == 0;
      r.note = "boot_durations: " + parsed.error().message;
    }
  }
  unref(bus);
  dlclose(lib);
  return r;
}

}  // namespace itsa::collectors::boot
