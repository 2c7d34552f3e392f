// Linux: host name, SMBIOS bytes (sysfs, falling back to /sys/class/dmi/id), memory
// total, uptime, battery, firmware (UEFI, Secure Boot) and TPM.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/text_files.hpp"
#include "collectors/smbios/decode.hpp"
#include "collectors/smbios/default_uuid.hpp"

namespace itsa::collectors::platform {
namespace {

using nlohmann::json;

json opt_str(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

// A /sys/class/dmi/id attribute, cleaned like an SMBIOS string.
json dmi_attr(const std::filesystem::path& dir, const char* name) {
  auto v = read_line(dir / name);
  if (!v) return nullptr;
  return opt_str(smbios::clean_string(*v));
}

}  // namespace

json hostname(const InventoryOptions& o, Notes& notes) {
  if (auto h = read_line(under(o.root, "/proc/sys/kernel/hostname")); h && !h->empty()) return *h;
  if (auto h = read_line(under(o.root, "/etc/hostname")); h && !h->empty()) return *h;
  if (o.root == "/") {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) == 0 && buf[0]) return std::string(buf);
  }
  notes.push_back("hostname: not readable");
  return nullptr;
}

Result<smbios::Table> smbios_table(const InventoryOptions& o) {
  const auto dir = under(o.root, "/sys/firmware/dmi/tables");
  std::error_code ec;
  if (!std::filesystem::exists(dir / "DMI", ec))
    return Error{(dir / "DMI").string() + " absent (no SMBIOS table exposed)"};
  auto table = smbios::read_file_bytes(dir / "DMI");
  if (!table) return Error{table.error().message + " (root only; /sys/class/dmi/id is used instead)"};
  auto ep = smbios::read_file_bytes(dir / "smbios_entry_point");
  auto parsed = smbios::parse(table.value(), ep ? smbios::ByteView(ep.value()) : smbios::ByteView{});
  if (!parsed) return Error{(dir / "DMI").string() + ": " + parsed.error().message};
  return parsed;
}

json dmi_fallback(const InventoryOptions& o, Notes& notes) {
  const auto dir = under(o.root, "/sys/class/dmi/id");
  if (!std::filesystem::is_directory(dir)) {
    notes.push_back("system, bios: /sys/class/dmi/id absent (no DMI on this machine)");
    return nullptr;
  }
  notes.push_back("memory.modules: not in /sys/class/dmi/id (needs the raw SMBIOS table, root only)");
  json sm;
  sm["smbios_version"] = nullptr;
  sm["system"] = {{"manufacturer", dmi_attr(dir, "sys_vendor")},
                  {"product", dmi_attr(dir, "product_name")},
                  {"version", dmi_attr(dir, "product_version")},
                  {"serial", dmi_attr(dir, "product_serial")},
                  {"uuid", nullptr},
                  {"sku", dmi_attr(dir, "product_sku")},
                  {"family", dmi_attr(dir, "product_family")},
                  {"chassis", nullptr}};
  if (auto uuid = read_line(dir / "product_uuid"); uuid && smbios::clean_string(*uuid)) {
    std::string u = *uuid;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (smbios::is_default_uuid(u))
      notes.push_back("system.uuid: " + u +
                      " is a firmware vendor's default UUID, the same on many machines; not reported (and not used "
                      "as the machine key)");
    else
      sm["system"]["uuid"] = u;
  } else {
    notes.push_back("system.uuid: /sys/class/dmi/id/product_uuid unreadable (root only)");
  }
  if (sm["system"]["serial"].is_null())
    notes.push_back("system.serial: unreadable or placeholder in /sys/class/dmi/id");
  json chassis = {{"portable", nullptr},
                  {"manufacturer", dmi_attr(dir, "chassis_vendor")},
                  {"serial", dmi_attr(dir, "chassis_serial")}};
  if (auto code = read_u64(dir / "chassis_type")) {
    sm["system"]["chassis"] = opt_str(smbios::chassis_type_name(static_cast<int>(*code)));
    chassis["portable"] = smbios::chassis_is_portable(static_cast<int>(*code));
  }
  sm["chassis"] = chassis;
  sm["baseboard"] = {{"manufacturer", dmi_attr(dir, "board_vendor")},
                     {"product", dmi_attr(dir, "board_name")},
                     {"version", dmi_attr(dir, "board_version")},
                     {"serial", dmi_attr(dir, "board_serial")}};
  json date = nullptr;
  if (auto raw = read_line(dir / "bios_date")) date = opt_str(smbios::normalize_bios_date(*raw));
  sm["bios"] = {
      {"vendor", dmi_attr(dir, "bios_vendor")}, {"version", dmi_attr(dir, "bios_version")}, {"release_date", date}};
  sm["processors"] = json::array();
  sm["memory"] = nullptr;
  return sm;
}

json memory(const InventoryOptions& o, Notes& notes) {
  std::ifstream in(under(o.root, "/proc/meminfo"));
  std::string key;
  std::uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemTotal:") return {{"total_bytes", kb * 1024}};
  }
  notes.push_back("memory.total_bytes: no MemTotal in /proc/meminfo");
  return {{"total_bytes", nullptr}};
}

json uptime_s(const InventoryOptions& o, Notes& notes) {
  auto line = read_line(under(o.root, "/proc/uptime"));
  if (line) {
    try {
      return static_cast<std::int64_t>(std::stod(*line));
    } catch (const std::exception&) {
    }
  }
  notes.push_back("uptime_s: /proc/uptime unreadable");
  return nullptr;
}

json battery(const InventoryOptions& o, Notes& notes) {
  json b = {{"present", false},    {"design_wh", nullptr},  {"full_wh", nullptr},
            {"wear_pct", nullptr}, {"charge_pct", nullptr}, {"cycle_count", nullptr}};
  const auto dir = under(o.root, "/sys/class/power_supply");
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (read_line(e.path() / "type").value_or("") != "Battery") continue;
    if (read_line(e.path() / "scope").value_or("") == "Device") continue;  // mouse, keyboard
    b["present"] = true;
    // energy_* in µWh; charge_* in µAh (converted with the design voltage).
    auto design = read_u64(e.path() / "energy_full_design");
    auto full = read_u64(e.path() / "energy_full");
    if (!design || !full) {
      auto cd = read_u64(e.path() / "charge_full_design");
      auto cf = read_u64(e.path() / "charge_full");
      auto uv = read_u64(e.path() / "voltage_min_design");
      if (cd && cf && uv) {
        design = *cd * *uv / 1'000'000;
        full = *cf * *uv / 1'000'000;
      }
    }
    if (design && full && *design > 0) {
      b["design_wh"] = static_cast<double>(*design) / 1e6;
      b["full_wh"] = static_cast<double>(*full) / 1e6;
      b["wear_pct"] = std::max(0.0, 100.0 * (1.0 - static_cast<double>(*full) / static_cast<double>(*design)));
    } else {
      notes.push_back("battery.wear_pct: " + e.path().filename().string() + " gives no design/full capacity");
    }
    if (auto cap = read_u64(e.path() / "capacity")) b["charge_pct"] = *cap;
    if (auto cycles = read_u64(e.path() / "cycle_count"); cycles && *cycles > 0)
      b["cycle_count"] = *cycles;  // 0 = not counted
    break;
  }
  return b;
}

json firmware(const InventoryOptions& o, Notes& notes) {
  json f = {{"uefi", nullptr}, {"secure_boot", nullptr}, {"secure_boot_capable", nullptr}};
  const auto efi = under(o.root, "/sys/firmware/efi");
  std::error_code ec;
  if (!std::filesystem::exists(under(o.root, "/sys/firmware"), ec)) {
    notes.push_back("firmware: /sys/firmware absent");
    return f;
  }
  const bool uefi = std::filesystem::is_directory(efi, ec);
  f["uefi"] = uefi;
  if (!uefi) {
    f["secure_boot"] = false;
    f["secure_boot_capable"] = nullptr;
    notes.push_back(
        "firmware.secure_boot_capable: legacy (BIOS/CSM) boot; whether the firmware can do Secure Boot is unknown");
    return f;
  }
  // efivar SecureBoot: 4 attribute bytes, then 1 value byte.
  auto sb = smbios::read_file_bytes(efi / "efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
  if (sb && sb.value().size() >= 5) {
    f["secure_boot"] = sb.value()[4] == 1;
    f["secure_boot_capable"] = true;
  } else {
    notes.push_back("firmware.secure_boot: SecureBoot efivar unreadable (efivarfs not mounted?)");
  }
  return f;
}

json tpm(const InventoryOptions& o, Notes& notes) {
  json t = {{"present", false}, {"version", nullptr}};
  const auto dir = under(o.root, "/sys/class/tpm/tpm0");
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    notes.push_back("tpm: no /sys/class/tpm/tpm0 (no TPM, disabled in firmware, or driver not loaded)");
    return t;
  }
  t["present"] = true;
  if (auto major = read_u64(dir / "tpm_version_major"))
    t["version"] = *major == 2 ? "2.0" : *major == 1 ? "1.2" : std::to_string(*major);
  else if (std::filesystem::exists(dir / "caps", ec) || std::filesystem::exists(dir / "device/caps", ec))
    t["version"] = "1.2";
  else if (std::filesystem::exists(under(o.root, "/sys/class/tpmrm/tpmrm0"), ec))
    t["version"] = "2.0";
  else
    notes.push_back("tpm.version: not exposed by this kernel");
  return t;
}

}  // namespace itsa::collectors::platform
