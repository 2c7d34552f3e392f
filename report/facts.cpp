// Machine facts read from an inventory and an assessment as the agent sends them
// (docs/inventory.md): one reading for the report and the review UI.
#include "report/facts.hpp"

#include <cctype>

#include "common/time_format.hpp"
#include "protocol/payloads.hpp"
#include "report/compute_detail.hpp"

namespace mk = itsa::protocol::memory_key;

namespace itsa::report {

using nlohmann::json;

namespace {

/// The value at a dotted path, or null.
const json& at_path(const json& doc, const std::string& path) {
  static const json k_null;
  const json* cur = &doc;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto dot = path.find('.', pos);
    auto key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!cur->is_object()) return k_null;
    auto it = cur->find(key);
    if (it == cur->end()) return k_null;
    cur = &*it;
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return *cur;
}

/// The string at the path, or "".
std::string string_at(const json& doc, const char* path) {
  const auto& v = at_path(doc, path);
  return v.is_string() ? v.get<std::string>() : std::string{};
}

// The inventory paths of the installed and the usable memory ("memory.installed_bytes", ...).
const std::string k_memory_installed = std::string(mk::memory) + "." + mk::installed_bytes;
const std::string k_memory_total = std::string(mk::memory) + "." + mk::total_bytes;

/// The first number among the paths, or -1.

double first_number(const json& doc, std::initializer_list<const char*> paths) {
  for (const char* p : paths) {
    const auto& v = at_path(doc, p);
    if (v.is_number()) return v.get<double>();
  }
  return -1;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

/// The BIOS release date as a day number; accepts YYYY-MM-DD and MM/DD/YYYY.
std::optional<long long> bios_day(const nlohmann::json& inventory) {
  const auto bios = inventory.find("bios");
  if (bios == inventory.end() || !bios->is_object()) return std::nullopt;
  const auto date = bios->find("release_date");
  if (date == bios->end() || !date->is_string()) return std::nullopt;
  std::string text = date->get<std::string>();
  if (text.size() == 10 && text[2] == '/' && text[5] == '/') {
    text = text.substr(6, 4) + "-" + text.substr(0, 2) + "-" + text.substr(3, 2);
  }
  auto day = parse_date(text, "bios.release_date");
  if (!day) return std::nullopt;
  return day.value();
}

/// RAM in bytes: installed when known, else usable total.
std::optional<double> ram_bytes(const nlohmann::json& inventory) {
  const auto mem = inventory.find(mk::memory);
  if (mem == inventory.end() || !mem->is_object()) return std::nullopt;
  if (auto v = detail::number_field(*mem, mk::installed_bytes); v && *v > 0) return v;
  if (auto v = detail::number_field(*mem, mk::total_bytes); v && *v > 0) return v;
  return std::nullopt;
}

/// A string at a JSON path, or null.
nlohmann::json text_at(const nlohmann::json& doc, const char* object, const char* key) {
  const auto o = doc.find(object);
  if (o == doc.end() || !o->is_object()) return nullptr;
  const auto v = o->find(key);
  if (v == o->end() || !v->is_string()) return nullptr;
  return *v;
}

/// Media of the system disk ("ssd"/"hdd"/"unknown") or null.
nlohmann::json system_disk_media(const nlohmann::json& inventory) {
  const auto disks = inventory.find("disks");
  if (disks == inventory.end() || !disks->is_array()) return nullptr;
  for (const auto& d : *disks) {
    if (d.is_object() && detail::get_or(d, "system", false)) return detail::get_or(d, "media", std::string("unknown"));
  }
  return nullptr;
}

MachineFacts machine_facts(const json& inv, const json& assessment, std::int64_t now_ms) {
  MachineFacts f;
  if (inv.is_object()) {
    // Field names as the agent sends them (docs/inventory.md).
    auto maker = string_at(inv, "system.manufacturer");
    auto model = string_at(inv, "system.product");
    f.model = maker.empty() ? model : (model.empty() ? maker : maker + " " + model);
    f.cpu = string_at(inv, "cpu.model");
    // The installed modules (SMBIOS), else what the OS can use: as the assessment reads it.
    double bytes = first_number(inv, {k_memory_installed.c_str(), k_memory_total.c_str()});
    if (bytes > 0) f.ram_gb = bytes / (1024.0 * 1024 * 1024);
    const auto& disks = at_path(inv, "disks");
    if (disks.is_array()) {
      const json* chosen = nullptr;
      for (const auto& d : disks) {
        if (!d.is_object()) continue;
        if (!chosen) chosen = &d;
        if (d.value("system", false) == true) {
          chosen = &d;
          break;
        }
      }
      if (chosen) f.system_disk_media = string_at(*chosen, "media");
    }
    auto os_name = string_at(inv, "os.name");
    auto os_ver = string_at(inv, "os.version");
    f.os = os_ver.empty() || os_name.find(os_ver) != std::string::npos ? os_name : os_name + " " + os_ver;
    f.os_support = lower(string_at(inv, "os.support.status"));
    f.bios_date = string_at(inv, "bios.release_date");
    if (!f.bios_date.empty()) {
      // BIOS dates come as YYYY-MM-DD or MM/DD/YYYY (SMBIOS).
      std::string iso = f.bios_date;
      if (iso.size() == 10 && iso[2] == '/' && iso[5] == '/')
        iso = iso.substr(6, 4) + "-" + iso.substr(0, 2) + "-" + iso.substr(3, 2);
      if (auto t = parse_rfc3339(iso.substr(0, 10))) {
        f.bios_date = iso.substr(0, 10);
        f.age_years = static_cast<double>(now_ms - to_unix_ms(*t)) / (365.25 * static_cast<double>(k_day_ms));
      }
    }
  }
  f.wear = wear_facts(inv);
  if (f.os_support.empty()) f.os_support = "unknown";
  f.verdict = assessment.is_object() && assessment.value("verdict", json()).is_string()
                  ? assessment["verdict"].get<std::string>()
                  : "unknown";
  return f;
}

}  // namespace itsa::report
