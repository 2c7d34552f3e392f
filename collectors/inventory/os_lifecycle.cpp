// Lifecycle table (checked 2026-11; sources: Microsoft Lifecycle pages, wiki.debian.org/LTS,
// ubuntu.com/about/release-cycle). "ends" = end of free/standard security updates;
// "extended_ends" = end of the paid or long-term programme (Windows ESU, Debian LTS, Ubuntu ESM).
#include "collectors/inventory/os_lifecycle.hpp"

#include <algorithm>
#include <optional>

namespace itsa::collectors {
namespace {

struct Entry {
  const char* release;        // human name
  const char* ends;           // standard support end
  const char* extended_ends;  // paid/LTS end, or nullptr
  const char* basis;          // what the dates are
};

struct WindowsBuild {
  int build;
  Entry consumer;    // Home / Pro
  Entry enterprise;  // Enterprise / Education
};

const WindowsBuild k_windows[] = {
    {7601,
     {"Windows 7 SP1", "2020-01-14", "2023-01-10", "extended support; paid ESU to 2023-01-10"},
     {"Windows 7 SP1", "2020-01-14", "2023-01-10", "extended support; paid ESU to 2023-01-10"}},
    {9600,
     {"Windows 8.1", "2023-01-10", nullptr, "extended support end"},
     {"Windows 8.1", "2023-01-10", nullptr, "extended support end"}},
    {10240,
     {"Windows 10 1507", "2017-05-09", nullptr, "version servicing end"},
     {"Windows 10 1507", "2017-05-09", nullptr, "version servicing end"}},
    {10586,
     {"Windows 10 1511", "2017-10-10", nullptr, "version servicing end"},
     {"Windows 10 1511", "2018-04-10", nullptr, "version servicing end"}},
    {14393,
     {"Windows 10 1607", "2018-04-10", nullptr, "version servicing end"},
     {"Windows 10 1607", "2019-04-09", nullptr, "version servicing end"}},
    {15063,
     {"Windows 10 1703", "2018-10-09", nullptr, "version servicing end"},
     {"Windows 10 1703", "2019-10-08", nullptr, "version servicing end"}},
    {16299,
     {"Windows 10 1709", "2019-04-09", nullptr, "version servicing end"},
     {"Windows 10 1709", "2020-10-13", nullptr, "version servicing end"}},
    {17134,
     {"Windows 10 1803", "2019-11-12", nullptr, "version servicing end"},
     {"Windows 10 1803", "2021-05-11", nullptr, "version servicing end"}},
    {17763,
     {"Windows 10 1809", "2020-11-10", nullptr, "version servicing end"},
     {"Windows 10 1809", "2021-05-11", nullptr, "version servicing end"}},
    {18362,
     {"Windows 10 1903", "2020-12-08", nullptr, "version servicing end"},
     {"Windows 10 1903", "2020-12-08", nullptr, "version servicing end"}},
    {18363,
     {"Windows 10 1909", "2021-05-11", nullptr, "version servicing end"},
     {"Windows 10 1909", "2022-05-10", nullptr, "version servicing end"}},
    {19041,
     {"Windows 10 2004", "2021-12-14", nullptr, "version servicing end"},
     {"Windows 10 2004", "2021-12-14", nullptr, "version servicing end"}},
    {19042,
     {"Windows 10 20H2", "2022-05-10", nullptr, "version servicing end"},
     {"Windows 10 20H2", "2023-05-09", nullptr, "version servicing end"}},
    {19043,
     {"Windows 10 21H1", "2022-12-13", nullptr, "version servicing end"},
     {"Windows 10 21H1", "2022-12-13", nullptr, "version servicing end"}},
    {19044,
     {"Windows 10 21H2", "2023-06-13", nullptr, "version servicing end"},
     {"Windows 10 21H2", "2024-06-11", nullptr, "version servicing end"}},
    // Organisations can buy ESU for Pro as well as Enterprise (3 years); consumer ESU ended 2026-10-13.
    {19045,
     {"Windows 10 22H2", "2025-10-14", "2028-10-10",
      "Windows 10 end of support; paid ESU for organisations to 2028-10-10"},
     {"Windows 10 22H2", "2025-10-14", "2028-10-10",
      "Windows 10 end of support; paid ESU for organisations to 2028-10-10"}},
    {22000,
     {"Windows 11 21H2", "2023-10-10", nullptr, "version servicing end"},
     {"Windows 11 21H2", "2024-10-08", nullptr, "version servicing end"}},
    {22621,
     {"Windows 11 22H2", "2024-10-08", nullptr, "version servicing end"},
     {"Windows 11 22H2", "2025-10-14", nullptr, "version servicing end"}},
    {22631,
     {"Windows 11 23H2", "2025-11-11", nullptr, "version servicing end"},
     {"Windows 11 23H2", "2026-11-10", nullptr, "version servicing end"}},
    {26100,
     {"Windows 11 24H2", "2026-10-13", nullptr, "version servicing end"},
     {"Windows 11 24H2", "2027-10-12", nullptr, "version servicing end"}},
    {26200,
     {"Windows 11 25H2", "2027-10-12", nullptr, "version servicing end"},
     {"Windows 11 25H2", "2028-10-10", nullptr, "version servicing end"}},
};

struct LinuxRelease {
  const char* id;
  const char* version;
  Entry entry;
};

const LinuxRelease k_linux[] = {
    {"debian", "8", {"Debian 8 jessie", "2018-06-17", "2020-06-30", "security support; LTS"}},
    {"debian", "9", {"Debian 9 stretch", "2020-07-06", "2022-06-30", "security support; LTS"}},
    {"debian", "10", {"Debian 10 buster", "2022-09-10", "2024-06-30", "security support; LTS"}},
    {"debian", "11", {"Debian 11 bullseye", "2024-08-14", "2026-08-31", "security support; LTS"}},
    {"debian", "12", {"Debian 12 bookworm", "2026-06-10", "2028-06-30", "security support; LTS"}},
    {"debian", "13", {"Debian 13 trixie", "2028-08-09", "2030-06-30", "security support; LTS"}},
    {"ubuntu", "16.04", {"Ubuntu 16.04 LTS", "2021-04-30", "2026-04-30", "standard support; ESM (Ubuntu Pro)"}},
    {"ubuntu", "18.04", {"Ubuntu 18.04 LTS", "2023-05-31", "2028-04-30", "standard support; ESM (Ubuntu Pro)"}},
    {"ubuntu", "20.04", {"Ubuntu 20.04 LTS", "2025-05-29", "2030-04-30", "standard support; ESM (Ubuntu Pro)"}},
    {"ubuntu", "22.04", {"Ubuntu 22.04 LTS", "2027-04-30", "2032-04-30", "standard support; ESM (Ubuntu Pro)"}},
    {"ubuntu", "24.04", {"Ubuntu 24.04 LTS", "2029-04-30", "2034-04-30", "standard support; ESM (Ubuntu Pro)"}},
    {"ubuntu", "24.10", {"Ubuntu 24.10", "2025-07-10", nullptr, "interim release support"}},
    {"ubuntu", "25.04", {"Ubuntu 25.04", "2026-01-15", nullptr, "interim release support"}},
    {"ubuntu", "25.10", {"Ubuntu 25.10", "2026-07-09", nullptr, "interim release support"}},
    {"ubuntu", "26.04", {"Ubuntu 26.04 LTS", "2031-04-30", "2036-04-30", "standard support; ESM (Ubuntu Pro)"}},
};

nlohmann::json from_entry(const Entry& e, std::string_view today) {
  nlohmann::json j;
  j["release"] = e.release;
  j["ends"] = e.ends;
  j["extended_ends"] = e.extended_ends ? nlohmann::json(e.extended_ends) : nlohmann::json(nullptr);
  j["basis"] = e.basis;
  // ISO dates compare as strings.
  if (today < std::string_view(e.ends))
    j["status"] = "supported";
  else if (e.extended_ends && today < std::string_view(e.extended_ends))
    j["status"] = "extended";
  else
    j["status"] = "ended";
  return j;
}

nlohmann::json unknown(const std::string& why) {
  return {{"status", "unknown"}, {"ends", nullptr}, {"extended_ends", nullptr}, {"release", nullptr}, {"basis", why}};
}

}  // namespace

nlohmann::json os_support(const OsRelease& os, std::string_view today) {
  if (os.family == "windows") {
    if (os.build <= 0) return unknown("Windows build unknown");
    // Server and LTSC editions follow other calendars than the client table.
    if (os.edition.find("Server") != std::string::npos || os.edition.find("LTSC") != std::string::npos ||
        os.edition.find("LTSB") != std::string::npos)
      return unknown("Windows edition " + os.edition + " is not in the built-in table (server/LTSC lifecycle)");
    const bool enterprise =
        os.edition.find("Enterprise") != std::string::npos || os.edition.find("Education") != std::string::npos;
    // Windows 7 SP0 (7600), 8 (9200): older than the first entry of their line: ended.
    if (os.build < 7601)
      return from_entry({"Windows 7 (no SP1) or older", "2013-04-09", nullptr, "support end"}, today);
    if (os.build > 7601 && os.build < 9600)
      return from_entry({"Windows 8", "2016-01-12", nullptr, "support end"}, today);
    const WindowsBuild* match = nullptr;
    for (const auto& w : k_windows)
      if (w.build == os.build) match = &w;
    if (!match) {
      // An Insider or unlisted build newer than the table: assume it is the latest and in support.
      if (os.build > k_windows[std::size(k_windows) - 1].build)
        return unknown("Windows build " + std::to_string(os.build) + " is newer than the built-in table");
      return unknown("Windows build " + std::to_string(os.build) + " is not in the built-in table");
    }
    return from_entry(enterprise ? match->enterprise : match->consumer, today);
  }
  if (os.family == "linux") {
    std::string version = os.version;
    if (os.id == "debian") version = version.substr(0, version.find('.'));
    for (const auto& l : k_linux)
      if (os.id == l.id && version == l.version) return from_entry(l.entry, today);
    return unknown("no lifecycle entry for " + os.id + " " + os.version);
  }
  return unknown("unknown OS family");
}

nlohmann::json support_status_until(const nlohmann::json& support) {
  if (!support.is_object()) return nullptr;
  const std::string status = support.value("status", "");
  const nlohmann::json ends = support.value("ends", nlohmann::json(nullptr));
  const nlohmann::json extended = support.value("extended_ends", nlohmann::json(nullptr));
  if (status == "supported") return ends;
  if (status == "extended") return extended;
  if (status == "ended") return extended.is_string() ? extended : ends;
  return nullptr;
}

}  // namespace itsa::collectors
