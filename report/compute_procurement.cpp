// machines.procurement (issue 16 item 11): the table behind a budget request ("Bảng đề xuất trang
// bị, nâng cấp"): per PC its configuration, age, OS support, Windows 11 readiness and measured
// load, and one proposal by a fixed rule (docs/report.md "Procurement proposal"), with counts per
// proposal and the rules cited (useful life, price ceiling) as configured in report.json.
#include <algorithm>
#include <string>

#include "report/compute_detail.hpp"

namespace itsa::report::detail {

namespace {

/// The failing rule ids of a machines.list row.
bool fails(const nlohmann::json& row, const char* id) {
  for (const auto& f : row["failing"])
    if (f.value("id", std::string()) == id) return true;
  return false;
}

/// Windows 11 readiness: the latest assessment when it is for the windows11 profile, else the
/// assessor's; null when neither can say.
nlohmann::json windows11_ready(const ReportOptions& options, const MachineInput& m) {
  std::optional<nlohmann::json> a;
  if (m.assessment && m.assessment->is_object() && get_or(*m.assessment, "profile", std::string()) == "windows11") {
    a = m.assessment;
  } else if (options.assessor && m.inventory) {
    a = options.assessor(*m.inventory, "windows11");
  }
  if (!a || !a->is_object()) return nullptr;
  const std::string verdict = get_or(*a, "verdict", std::string());
  if (verdict == "meets") return true;
  if (verdict == "does_not_meet") return false;
  return nullptr;
}

/// How far the OS is from being supported: ended (no updates at all, e.g. Windows 7),
/// paid_extension_only (Windows 10 after 14/10/2025: paid ESU only), free_update (not supported
/// or paid only, but the hardware takes a supported version for free), supported, unknown.
std::string os_class(const std::string& status, const nlohmann::json& win11, bool windows) {
  if (status == "supported") return "supported";
  if (status != "ended" && status != "extended") return "unknown";
  if (windows && win11 == true) return "free_update";
  return status == "ended" ? "ended" : "paid_extension_only";
}

/// The useful-life rule in force for a period ending on `to_date` (when not configured).
std::string useful_life_source(const ReportOptions& options) {
  if (!options.procurement.useful_life_source.empty()) return options.procurement.useful_life_source;
  return options.to_date < "2026-01-01" ? "Thông tư 23/2023/TT-BTC" : "Thông tư 141/2025/TT-BTC";
}

}  // namespace

nlohmann::json compute_procurement(const Context& ctx, const nlohmann::json& machine_rows) {
  const ReportOptions& options = *ctx.options;
  const double life = options.procurement.useful_life_years;
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json counts = {{"replace", 0},   {"replace_disk", 0}, {"upgrade_ram_ssd", 0},
                           {"update_os", 0}, {"keep", 0},         {"unknown", 0}};
  for (std::size_t i = 0; i < ctx.machines.size() && i < machine_rows.size(); ++i) {
    const MachineInput& m = *ctx.machines[i];
    const nlohmann::json& row = machine_rows[i];
    std::string status = "unknown";
    nlohmann::json ends = nullptr, extended_ends = nullptr;
    bool windows = false;
    if (m.inventory && m.inventory->is_object()) {
      if (const auto os = m.inventory->find("os"); os != m.inventory->end() && os->is_object()) {
        windows = get_or(*os, "name", std::string()).find("Windows") != std::string::npos;
        if (const auto sup = os->find("support"); sup != os->end() && sup->is_object()) {
          status = get_or(*sup, "status", std::string("unknown"));
          if (sup->contains("ends") && (*sup)["ends"].is_string()) ends = (*sup)["ends"];
          if (sup->contains("extended_ends") && (*sup)["extended_ends"].is_string())
            extended_ends = (*sup)["extended_ends"];
        }
      }
    }
    const nlohmann::json win11 = windows ? windows11_ready(options, m) : nlohmann::json(nullptr);
    const std::string os = os_class(status, win11, windows);
    const bool old = row["age_years"].is_number() && row["age_years"].get<double>() >= life;
    // The system disk's health from the latest disk_health reading (compute_health.cpp).
    const nlohmann::json disk_verdict =
        row.contains("disk_health") ? row["disk_health"]["verdict"] : nlohmann::json(nullptr);
    // The rule, first match wins (docs/report.md): what the evidence says this PC needs.
    nlohmann::json reasons = nlohmann::json::array();
    std::string proposal;
    if (!m.inventory) {
      proposal = "unknown";
      reasons.push_back("no_inventory");
    } else {
      if (fails(row, "cpu_cores")) reasons.push_back("cpu_below_spec");
      if (old && row["verdict"] == "does_not_meet") reasons.push_back("past_useful_life");
      if ((os == "ended" || os == "paid_extension_only") && win11 == false) reasons.push_back("no_windows11");
      if (!reasons.empty()) {
        proposal = "replace";
      } else if (disk_verdict == "failing" || disk_verdict == "worn") {
        // Its own proposal: the disk must go whatever else the PC needs (RAM, SSD named beside it).
        proposal = "replace_disk";
        reasons.push_back(disk_verdict == "failing" ? "disk_failing" : "disk_worn");
        if (fails(row, "memory")) reasons.push_back("ram_below_spec");
        if (fails(row, "system_disk_ssd")) reasons.push_back("hdd");
      } else {
        if (fails(row, "memory")) reasons.push_back("ram_below_spec");
        if (fails(row, "system_disk_ssd")) reasons.push_back("hdd");
        if (!reasons.empty()) {
          proposal = "upgrade_ram_ssd";
        } else if (os == "ended" || os == "paid_extension_only" || os == "free_update") {
          proposal = "update_os";
          reasons.push_back(os == "free_update" ? "os_free_update" : "os_unsupported");
        } else {
          proposal = "keep";
        }
      }
    }
    counts[proposal] = counts[proposal].get<int>() + 1;
    rows.push_back(
        {{"hostname", row["hostname"]},
         {"site", row["site"]},
         {"cpu", row["cpu"]},
         {"ram_bytes", row["ram_bytes"]},
         {"system_disk", row["system_disk"]},
         {"age_years", row["age_years"]},
         {"os", row["os"]},
         {"os_support", status},
         {"os_support_ends", ends},
         {"os_extended_ends", extended_ends},
         {"os_class", os},
         {"windows11_ready", win11},
         {"over_90_pct", row["pressure"]["over_90_pct"]},
         {"disk_health", disk_verdict},
         {"disk_reason", row.contains("disk_health") ? row["disk_health"]["reason"] : nlohmann::json(nullptr)},
         {"verdict", row["verdict"]},
         {"proposal", proposal},
         {"reasons", reasons}});
  }
  // Replacements first, then upgrades, OS updates; oldest first within each.
  std::vector<nlohmann::json> sorted(rows.begin(), rows.end());
  const auto rank = [](const nlohmann::json& r) {
    const std::string p = r["proposal"].get<std::string>();
    return p == "replace"           ? 0
           : p == "replace_disk"    ? 1
           : p == "upgrade_ram_ssd" ? 2
           : p == "update_os"       ? 3
           : p == "keep"            ? 4
                                    : 5;
  };
  std::stable_sort(sorted.begin(), sorted.end(), [&](const nlohmann::json& a, const nlohmann::json& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    const double aa = a["age_years"].is_number() ? a["age_years"].get<double>() : -1;
    const double ab = b["age_years"].is_number() ? b["age_years"].get<double>() : -1;
    return aa > ab;
  });
  const auto& p = options.procurement;
  return {{"rows", sorted},
          {"counts", counts},
          {"useful_life", {{"years", life}, {"source", useful_life_source(options)}}},
          {"price_ceiling",
           {{"vnd", p.price_ceiling_vnd ? nlohmann::json(*p.price_ceiling_vnd) : nlohmann::json(nullptr)},
            {"source", p.price_source}}},
          {"checked", p.checked},
          {"replacement_budget_vnd", p.price_ceiling_vnd
                                         ? nlohmann::json(*p.price_ceiling_vnd * counts["replace"].get<double>())
                                         : nlohmann::json(nullptr)}};
}

}  // namespace itsa::report::detail
