// Linux OS facts: /etc/os-release, kernel release, architecture, install date.
#include <sys/utsname.h>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/text_files.hpp"
#include "common/time_format.hpp"

namespace itsa::collectors::platform {

nlohmann::json os(const InventoryOptions& o, Notes& notes) {
  using nlohmann::json;
  json j = {{"family", "linux"},  {"id", nullptr},     {"name", nullptr}, {"version", nullptr},     {"build", nullptr},
            {"edition", nullptr}, {"kernel", nullptr}, {"arch", nullptr}, {"install_date", nullptr}};
  auto kv = read_key_values(under(o.root, "/etc/os-release"));
  if (kv.empty()) kv = read_key_values(under(o.root, "/usr/lib/os-release"));
  if (kv.empty()) {
    notes.push_back("os: /etc/os-release unreadable");
  } else {
    if (kv.count("ID")) j["id"] = kv["ID"];
    if (kv.count("PRETTY_NAME"))
      j["name"] = kv["PRETTY_NAME"];
    else if (kv.count("NAME"))
      j["name"] = kv["NAME"];
    if (kv.count("VERSION_ID"))
      j["version"] = kv["VERSION_ID"];
    else
      notes.push_back("os.version: no VERSION_ID in os-release (testing/unstable?)");
  }
  // Debian's point release ("12.8") is more precise than VERSION_ID.
  if (auto dv = read_line(under(o.root, "/etc/debian_version")); dv && j["id"] == "debian") j["build"] = *dv;
  if (auto k = read_line(under(o.root, "/proc/sys/kernel/osrelease"))) j["kernel"] = *k;
  if (o.root == "/") {
    struct utsname u {};
    if (::uname(&u) == 0) j["arch"] = std::string(u.machine);
  } else {
    notes.push_back("os.arch: not readable from a file-system snapshot");
  }
  // Install date: the Debian/Ubuntu installer's log directory, else unknown.
  std::error_code ec;
  for (const char* p : {"/var/log/installer", "/var/log/installer/syslog"}) {
    const auto t = std::filesystem::last_write_time(under(o.root, p), ec);
    if (!ec) {
      const auto sys = std::chrono::file_clock::to_sys(t);
      j["install_date"] =
          to_rfc3339(std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys)).substr(0, 10);
      break;
    }
  }
  if (j["install_date"].is_null()) notes.push_back("os.install_date: no installer log (/var/log/installer)");
  return j;
}

}  // namespace itsa::collectors::platform
