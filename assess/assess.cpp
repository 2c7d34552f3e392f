// Rule evaluation and profile lookup for the minimum-spec assessment.
#include "assess/assess.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "common/time_format.hpp"
#include "protocol/payloads.hpp"

namespace mk = itsa::protocol::memory_key;

namespace itsa::collectors {
namespace {

using nlohmann::json;

constexpr double k_gib = 1024.0 * 1024.0 * 1024.0;

/// A measured value with its unit; when unknown, why (in English and Vietnamese).
json metric(json value, const char* unit, const std::string& why = {}, const std::string& why_vi = {}) {
  json m = {{"value", std::move(value)}, {"unit", unit}};
  if (m["value"].is_null()) {
    m["why"] = why.empty() ? "not in the inventory" : why;
    m["why_vi"] = why.empty() ? "không có trong số liệu kiểm kê" : why_vi.empty() ? why : why_vi;
  }
  return m;
}

/// A unit as a Vietnamese reader writes it.
std::string unit_text(const std::string& unit, bool vi) {
  if (!vi) return unit;
  if (unit == "cores") return "nhân";
  if (unit == "years") return "năm";
  return unit;
}

double round1(double v) {
  return std::round(v * 10.0) / 10.0;
}

const json& at(const json& doc, std::initializer_list<const char*> path) {
  static const json k_null;
  const json* cur = &doc;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return k_null;
    cur = &(*cur)[k];
  }
  return *cur;
}

const json* system_disk(const json& inv) {
  if (!inv.contains("disks") || !inv["disks"].is_array()) return nullptr;
  for (const auto& d : inv["disks"])
    if (d.value("system", false)) return &d;
  return nullptr;
}

// Days since 1970-01-01 of "YYYY-MM-DD"; nullopt when malformed.
std::optional<double> days(std::string_view date) {
  auto t = parse_rfc3339(std::string(date) + "T00:00:00Z");
  if (!t) return std::nullopt;
  return std::chrono::duration<double, std::ratio<86400>>(t->time_since_epoch()).count();
}

std::string show(const json& v, const std::string& unit, bool vi) {
  if (v.is_boolean()) return v.get<bool>() ? (vi ? "có" : "yes") : (vi ? "không" : "no");
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (!vi) return s;
    if (s == "supported") return "còn hỗ trợ";
    if (s == "extended") return "chỉ còn hỗ trợ mở rộng (trả phí hoặc LTS)";
    if (s == "ended") return "hết hỗ trợ";
    if (s == "hdd") return "HDD (ổ cứng cơ)";
    if (s == "ssd") return "SSD";
    if (s == "nvme") return "SSD NVMe";
    if (s == "no TPM found") return "không có TPM";
    if (s == "failing") return "đang hỏng";
    if (s == "worn") return "đã hao mòn";
    if (s == "ok") return "tốt";
    return s;
  }
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + show(e, "", vi);
    return out;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    std::string n = d == std::floor(d) ? fmt::format("{:.0f}", d) : fmt::format("{:.1f}", d);
    return unit.empty() ? n : n + " " + unit_text(unit, vi);
  }
  return unit.empty() ? v.dump() : v.dump() + " " + unit_text(unit, vi);
}

std::string required_text(const std::string& op, const json& value, const std::string& unit, bool vi) {
  const std::string v = show(value, unit, vi);
  if (op == ">=") return (vi ? "tối thiểu " : "at least ") + v;
  if (op == "<=") return (vi ? "tối đa " : "at most ") + v;
  if (op == "in") return (vi ? "một trong: " : "one of: ") + v;
  return v;
}

// pass/fail of a known value; nullopt when the types do not compare.
std::optional<bool> compare(const json& measured, const std::string& op, const json& required) {
  if (op == "in") {
    if (!required.is_array()) return std::nullopt;
    for (const auto& r : required)
      if (r == measured) return true;
    return false;
  }
  if (op == "==") return measured == required;
  if (op == "!=") return measured != required;
  if (!measured.is_number() || !required.is_number()) return std::nullopt;
  const double m = measured.get<double>();
  const double r = required.get<double>();
  if (op == ">=") return m >= r;
  if (op == "<=") return m <= r;
  if (op == ">") return m > r;
  if (op == "<") return m < r;
  return std::nullopt;
}

/// The system disk's health verdict ("failing", "worn", "ok") from `inventory.disk_health` (the
/// daemon's latest disk-health reading), matched by device name; null with the disk's own reason
/// when it could not be read. The deciding reason is the detail.
json system_disk_health(const json& inv, const json* sd) {
  const json& health = at(inv, {"disk_health"});
  if (!health.is_array())
    return metric(nullptr, "", "disk health not read yet (the agent reads it at start and once a day)",
                  "chưa có kết quả đọc tình trạng ổ đĩa (ổ đĩa được đọc khi khởi động và mỗi ngày một lần)");
  if (!sd || !(*sd).contains("name") || !(*sd)["name"].is_string())
    return metric(nullptr, "", "the system disk was not identified", "chưa xác định được ổ đĩa hệ thống");
  const std::string name = (*sd)["name"].get<std::string>();
  for (const auto& d : health) {
    if (!d.is_object() || !d.contains("device") || !d["device"].is_string()) continue;
    std::string dev = d["device"].get<std::string>();
    const auto cut = dev.find_last_of("/\\");
    if (cut != std::string::npos) dev = dev.substr(cut + 1);
    if (dev != name) continue;
    const std::string verdict = d.value("verdict", "unknown");
    const json& reason = at(d, {"reason"});
    const std::string en = reason.is_object() ? reason.value("en", "") : "";
    const std::string vi = reason.is_object() ? reason.value("vi", en) : "";
    if (verdict != "failing" && verdict != "worn" && verdict != "ok")
      return metric(nullptr, "", en.empty() ? "the disk's health could not be read" : en,
                    vi.empty() ? "không đọc được tình trạng ổ đĩa" : vi);
    json m = metric(verdict, "");
    if (!en.empty()) {
      m["detail"] = en;
      m["detail_vi"] = vi;
    }
    return m;
  }
  return metric(nullptr, "", "the system disk " + name + " is not among the disks whose health was read",
                "ổ đĩa hệ thống " + name + " không có trong kết quả đọc tình trạng ổ đĩa");
}

}  // namespace

json assessment_metrics(const json& inv, std::string_view today) {
  json m;
  const std::string arch = at(inv, {"os", "arch"}).is_string() ? at(inv, {"os", "arch"}).get<std::string>() : "";
  if (arch == "x86_64" || arch == "amd64" || arch == "aarch64" || arch == "arm64")
    m["cpu_64bit"] = metric(true, "");
  else if (!arch.empty())
    m["cpu_64bit"] = metric(nullptr, "", "the OS is 32-bit (" + arch + "); the CPU itself may be 64-bit",
                            "hệ điều hành 32-bit (" + arch + "); bộ xử lý có thể là 64-bit");
  else
    m["cpu_64bit"] = metric(nullptr, "", "architecture unknown", "chưa rõ kiến trúc");
  m["cpu_cores"] = metric(at(inv, {"cpu", "physical_cores"}), "cores");
  json mhz = nullptr;
  for (const char* k : {"base_mhz", "max_mhz"}) {
    const json& v = at(inv, {"cpu", k});
    if (v.is_number() && (mhz.is_null() || v.get<double>() > mhz.get<double>())) mhz = v;
  }
  m["cpu_mhz"] = metric(mhz, "MHz");
  const json& gen = at(inv, {"cpu", "windows11_generation"});
  m["cpu_windows11_generation"] =
      metric(gen, "", gen.is_null() ? "CPU generation not recognised from the model string" : "",
             "không nhận ra thế hệ bộ xử lý từ tên model");
  if (at(inv, {"cpu", "generation"}).is_string())
    m["cpu_windows11_generation"]["detail"] = at(inv, {"cpu", "generation"});

  const json& installed = at(inv, {mk::memory, mk::installed_bytes});
  const json& total = at(inv, {mk::memory, mk::total_bytes});
  if (installed.is_number()) {
    m["memory_gib"] = metric(round1(installed.get<double>() / k_gib), "GiB");
  } else if (total.is_number()) {
    m["memory_gib"] = metric(round1(total.get<double>() / k_gib), "GiB");
    m["memory_gib"]["approximate"] = true;  // usable memory is a little below the installed size
  } else {
    m["memory_gib"] = metric(nullptr, "GiB");
  }

  const json* sd = system_disk(inv);
  if (sd) {
    const json& size = at(*sd, {"size_bytes"});
    m["system_disk_gb"] = metric(size.is_number() ? json(round1(size.get<double>() / 1e9)) : json(nullptr), "GB");
    const std::string media = (*sd).value("media", "unknown");
    m["system_disk_media"] =
        metric(media == "unknown" ? json(nullptr) : json(media), "", "the disk does not report its media type",
               "ổ đĩa không cho biết loại (SSD hay HDD)");
    const json& fs_size = at(*sd, {"system_fs", "size_bytes"});
    const json& fs_free = at(*sd, {"system_fs", "free_bytes"});
    if (fs_size.is_number() && fs_size.get<double>() > 0 && fs_free.is_number())
      m["system_disk_free_pct"] = metric(round1(100.0 * fs_free.get<double>() / fs_size.get<double>()), "%");
    else
      m["system_disk_free_pct"] =
          metric(nullptr, "%", "system file system size unknown", "chưa rõ dung lượng phân vùng hệ thống");
  } else {
    for (const char* k : {"system_disk_gb", "system_disk_media", "system_disk_free_pct"})
      m[k] = metric(nullptr, "", "the system disk was not identified", "chưa xác định được ổ đĩa hệ thống");
  }

  m["system_disk_health"] = system_disk_health(inv, sd);

  m["firmware_uefi"] = metric(at(inv, {"firmware", "uefi"}), "");
  const json& sbc = at(inv, {"firmware", "secure_boot_capable"});
  m["secure_boot_capable"] =
      metric(sbc, "",
             at(inv, {"firmware", "uefi"}) == false ? "legacy (BIOS/CSM) boot: switch to UEFI to find out"
                                                    : "Secure Boot state not readable",
             at(inv, {"firmware", "uefi"}) == false ? "khởi động kiểu cũ (BIOS/CSM): chuyển sang UEFI mới biết được"
                                                    : "không đọc được trạng thái Secure Boot");
  const json& present = at(inv, {"tpm", "present"});
  const json& version = at(inv, {"tpm", "version"});
  if (present == false)
    m["tpm_version"] = metric(0.0, "", "");
  else if (version.is_string())
    m["tpm_version"] = metric(std::atof(version.get<std::string>().c_str()), "");
  else
    m["tpm_version"] = metric(nullptr, "", present.is_null() ? "TPM not readable" : "TPM present, version unknown",
                              present.is_null() ? "không đọc được TPM" : "có TPM, chưa rõ phiên bản");
  if (present == false) m["tpm_version"]["detail"] = "no TPM found";

  const json& status = at(inv, {"os", "support", "status"});
  m["os_support_status"] =
      metric(status.is_string() && status != "unknown" ? status : json(nullptr), "",
             at(inv, {"os", "support", "basis"}).is_string() ? at(inv, {"os", "support", "basis"}).get<std::string>()
                                                             : "OS release not in the lifecycle table",
             "phiên bản hệ điều hành chưa có trong bảng vòng đời hỗ trợ");
  if (at(inv, {"os", "support", "ends"}).is_string())
    m["os_support_status"]["detail"] = at(inv, {"os", "support", "ends"});

  const json& bios_date = at(inv, {"bios", "release_date"});
  auto now_days = days(today);
  auto bios_days = bios_date.is_string() ? days(bios_date.get<std::string>()) : std::nullopt;
  if (now_days && bios_days)
    m["machine_age_years"] = metric(round1((*now_days - *bios_days) / 365.25), "years");
  else
    m["machine_age_years"] = metric(nullptr, "years", "BIOS release date unknown", "chưa rõ ngày phát hành BIOS");
  return m;
}

Result<void> validate_profile(const json& p) {
  if (!p.is_object()) return Error{"profile: not a JSON object"};
  if (!p.contains("name") || !p["name"].is_string()) return Error{"profile: \"name\" (string) missing"};
  if (!p.contains("rules") || !p["rules"].is_array() || p["rules"].empty())
    return Error{"profile " + p["name"].get<std::string>() + ": \"rules\" must be a non-empty array"};
  static const json k_ops = {">=", "<=", ">", "<", "==", "!=", "in"};
  const json known = assessment_metrics(json::object(), "2000-01-01");
  for (std::size_t i = 0; i < p["rules"].size(); ++i) {
    const json& r = p["rules"][i];
    const std::string where = fmt::format("profile {}: rules[{}]", p["name"].get<std::string>(), i);
    if (!r.is_object()) return Error{where + ": not an object"};
    for (const char* k : {"id", "metric", "op"})
      if (!r.contains(k) || !r[k].is_string()) return Error{where + ": \"" + k + "\" (string) missing"};
    if (!r.contains("value")) return Error{where + ": \"value\" missing"};
    if (!known.contains(r["metric"].get<std::string>()))
      return Error{where + ": unknown metric \"" + r["metric"].get<std::string>() + "\""};
    if (std::find(k_ops.begin(), k_ops.end(), r["op"]) == k_ops.end())
      return Error{where + ": unknown op \"" + r["op"].get<std::string>() + "\""};
    if (r["op"] == "in" && !r["value"].is_array()) return Error{where + ": op \"in\" needs an array value"};
    if (r.contains("if_unknown") && r["if_unknown"] != "not_counted" && r["if_unknown"] != "unknown")
      return Error{where + ": \"if_unknown\" must be \"unknown\" or \"not_counted\""};
  }
  return ok();
}

json assess(const json& inv, const json& profile, std::string_view today) {
  const json metrics = assessment_metrics(inv, today);
  json out;
  out["profile"] = profile.value("name", "");
  if (profile.contains("title") && profile["title"].is_object()) out["profile_title"] = profile["title"];
  out["title"] = profile.contains("title") ? profile["title"] : json(nullptr);
  json rules = json::array();
  bool any_fail = false;
  bool any_unknown = false;
  for (const auto& r : profile.value("rules", json::array())) {
    const std::string id = r.value("id", "");
    const std::string op = r.value("op", "==");
    const json& required = r.contains("value") ? r["value"] : json();
    const json& m = metrics.contains(r.value("metric", "")) ? metrics[r.value("metric", "")] : json();
    const std::string unit = m.is_object() ? m.value("unit", "") : "";
    const std::string title_en = r.contains("title") ? r["title"].value("en", id) : id;
    const std::string title_vi = r.contains("title") ? r["title"].value("vi", title_en) : title_en;
    json measured = m.is_object() ? m["value"] : json(nullptr);
    std::string result = "unknown";
    std::string why = m.is_object() ? m.value("why", "") : "unknown metric";
    std::string why_vi = m.is_object() ? m.value("why_vi", why) : "chỉ số chưa được hỗ trợ";
    if (!measured.is_null()) {
      auto c = compare(measured, op, required);
      if (!c) {
        why = "value and requirement cannot be compared";
        why_vi = "không so sánh được giá trị đo với yêu cầu";
      } else if (m.value("approximate", false) && !*c && op == ">=" && measured.is_number() && required.is_number() &&
                 measured.get<double>() >= 0.9 * required.get<double>()) {
        // Usable memory slightly below the requirement: installed size unknown, cannot tell.
        why = "only the usable memory (" + show(measured, unit, false) + ") is known; the installed size may meet it";
        why_vi =
            "chỉ biết bộ nhớ sử dụng được (" + show(measured, unit, true) + "); dung lượng lắp đặt có thể đạt yêu cầu";
      } else {
        result = *c ? "pass" : "fail";
      }
    }
    const std::string req_en = required_text(op, required, unit, false);
    const std::string req_vi = required_text(op, required, unit, true);
    std::string detail_en, detail_vi;
    if (m.is_object() && m.contains("detail")) {
      detail_en = " (" + show(m["detail"], "", false) + ")";
      detail_vi = " (" + show(m.contains("detail_vi") ? m["detail_vi"] : m["detail"], "", true) + ")";
    }
    std::string reason, reason_vi;
    // A rule whose evidence is often unreadable for reasons that say nothing about the machine
    // (SMART behind RAID, USB or a hypervisor) may be left out of the verdict when unknown.
    const bool counted = result != "unknown" || r.value("if_unknown", "unknown") != "not_counted";
    if (result == "unknown" && !counted) {
      reason =
          fmt::format("{}: could not be determined ({}); required {}. Left out of the verdict.", title_en, why, req_en);
      reason_vi = fmt::format("{}: không xác định được ({}); yêu cầu {}. Tiêu chí này không tính vào kết luận.",
                              title_vi, why_vi, req_vi);
    } else if (result == "unknown") {
      reason = fmt::format("{}: could not be determined ({}); required {}. Unknown, not counted as met.", title_en, why,
                           req_en);
      reason_vi = fmt::format("{}: không xác định được ({}); yêu cầu {}. Chưa xác định, không tính là đạt.", title_vi,
                              why_vi, req_vi);
    } else {
      reason = fmt::format("{}: {}{}, required {}: {}.", title_en, show(measured, unit, false), detail_en, req_en,
                           result == "pass" ? "meets" : "does not meet");
      reason_vi = fmt::format("{}: {}{}, yêu cầu {}: {}.", title_vi, show(measured, unit, true), detail_vi, req_vi,
                              result == "pass" ? "Đạt" : "Không đạt");
    }
    any_fail = any_fail || result == "fail";
    any_unknown = any_unknown || (result == "unknown" && counted);
    rules.push_back({{"id", id},
                     {"result", result},
                     {"counted", counted},
                     {"measured", measured},
                     {"required", req_en},
                     {"required_vi", req_vi},
                     {"unit", unit},
                     {"reason", reason},
                     {"reason_vi", reason_vi}});
  }
  out["verdict"] = any_fail ? "does_not_meet" : any_unknown ? "unknown" : "meets";
  out["rules"] = rules;
  return out;
}

std::vector<std::filesystem::path> profile_dirs() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("ITSA_PROFILE_DIR")) dirs.emplace_back(env);
#ifdef ITSA_INSTALLED_PROFILE_DIR
  dirs.emplace_back(ITSA_INSTALLED_PROFILE_DIR);
#endif
#ifdef ITSA_SOURCE_PROFILE_DIR
  dirs.emplace_back(ITSA_SOURCE_PROFILE_DIR);
#endif
  dirs.emplace_back("profiles");  // beside the agent (Windows install folder as working dir)
  return dirs;
}

Result<json> load_profile(const std::string& name_or_path) {
  std::filesystem::path file;
  std::error_code ec;
  if (name_or_path.find('/') != std::string::npos || name_or_path.find('\\') != std::string::npos ||
      (name_or_path.size() > 5 && name_or_path.substr(name_or_path.size() - 5) == ".json")) {
    file = name_or_path;
  } else {
    for (const auto& d : profile_dirs()) {
      if (std::filesystem::is_regular_file(d / (name_or_path + ".json"), ec)) {
        file = d / (name_or_path + ".json");
        break;
      }
    }
    if (file.empty()) {
      std::string searched;
      for (const auto& d : profile_dirs()) searched += (searched.empty() ? "" : ", ") + d.string();
      return Error{"profile \"" + name_or_path + "\" not found (searched " + searched + ")"};
    }
  }
  std::ifstream in(file);
  if (!in) return Error{"cannot open profile file " + file.string()};
  json p = json::parse(in, nullptr, false);
  if (p.is_discarded()) return Error{"profile file " + file.string() + " is not valid JSON"};
  auto valid = validate_profile(p);
  if (!valid) return Error{file.string() + ": " + valid.error().message};
  return p;
}

}  // namespace itsa::collectors
