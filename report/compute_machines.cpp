// The "machines" section: verdicts against the profile, failing rules, machine age from the
// BIOS date, and resource pressure from pressure_minute records.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "protocol/record_types.hpp"
#include "report/compute_detail.hpp"
#include "report/facts.hpp"
#include "report/minutes.hpp"
#include "report/office_hours.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::report::detail {

namespace {

constexpr double k_pressure_machine_share_pct = 10.0;           // a machine "often saturated" above this share
constexpr double k_small_ram_bytes = 4.5 * 1024 * 1024 * 1024;  // "4 GB or less" (usable RAM is a bit under 4 GiB)

/// Age buckets in years: [lo, hi).
struct AgeBucket {
  const char* label;
  double lo;
  double hi;
};
constexpr AgeBucket k_age_buckets[] = {{"0-2", 0, 2}, {"2-4", 2, 4},   {"4-5", 4, 5},
                                       {"5-7", 5, 7}, {"7-10", 7, 10}, {"10+", 10, 1e9}};

/// The assessment to use for a machine under the options' profile, or nullopt.
std::optional<nlohmann::json> pick_assessment(const MachineInput& m, const ReportOptions& options) {
  const bool latest_fits = m.assessment && m.assessment->is_object() &&
                           (!options.profile || get_or(*m.assessment, "profile", std::string()) == *options.profile);
  if (latest_fits) return m.assessment;
  if (options.assessor && m.inventory) {
    return options.assessor(*m.inventory, options.profile.value_or("office-recommended"));
  }
  return std::nullopt;
}

}  // namespace

void digest_pressure(const Context& ctx, const MachineInput& machine, MachineDigest& digest) {
  for (const Record& r : machine.records) {
    if (r.type != rt::pressure_minute) continue;
    for_each_minute(r, [&](const MinuteView& v) {
      if (!contains(ctx.window, v.minute_ms())) return;
      ++digest.pressure_minutes;
      const PressureOver over = pressure_over(v);
      digest.cpu_over += over.cpu ? 1 : 0;
      digest.mem_over += over.mem ? 1 : 0;
      digest.either_over += over.either() ? 1 : 0;
      if (const auto busy = v.number("disk_busy_pct")) {
        ++digest.disk_busy_minutes;
        digest.disk_busy_over += *busy >= k_disk_busy_threshold_pct ? 1 : 0;
      }
    });
  }
}

nlohmann::json compute_machines(const Context& ctx) {
  const ReportOptions& options = *ctx.options;
  const long long end_day = local_day(options.schedule, ctx.to_ms - 1) + 1;
  int inventoried = 0;
  int meeting = 0;
  int not_meeting = 0;
  int unknown = 0;
  int small_ram_failing = 0;
  int old_failing = 0;
  std::map<std::string, int> by_rule;
  std::map<std::string, std::map<std::string, int>> rule_results;  // id -> result -> count
  std::map<std::string, nlohmann::json> rule_texts;                // id -> {required, reason}
  std::set<std::string> profiles;
  std::map<std::string, std::string> profile_titles;  // id -> title in the report's language
  std::vector<double> ages;
  int older_than_life = 0;
  std::vector<int> age_counts(std::size(k_age_buckets), 0);
  long long pressure_minutes_total = 0;
  long long pressure_over_total = 0;
  int machines_pressured = 0;
  int machines_with_pressure_data = 0;
  nlohmann::json list = nlohmann::json::array();

  for (std::size_t i = 0; i < ctx.machines.size(); ++i) {
    const MachineInput& m = *ctx.machines[i];
    nlohmann::json row;
    row["agent_id"] = m.agent_id;
    row["hostname"] = m.hostname;
    row["site"] = m.site;
    row["inventoried"] = m.inventory.has_value();
    row["bios_date"] = nullptr;
    row["age_years"] = nullptr;
    row["ram_bytes"] = nullptr;
    row["cpu"] = nullptr;
    row["os"] = nullptr;
    row["os_support"] = nullptr;
    row["system_disk"] = nullptr;
    bool small_ram = false;
    bool old = false;
    if (m.inventory && m.inventory->is_object()) {
      const nlohmann::json& inv = *m.inventory;
      ++inventoried;
      if (auto day = bios_day(inv)) {
        const double age = round_to(static_cast<double>(end_day - *day) / 365.25, 1);
        row["bios_date"] = format_date(*day);
        row["age_years"] = age;
        ages.push_back(age);
        old = age >= options.procurement.useful_life_years;
        if (old) ++older_than_life;
        for (std::size_t b = 0; b < std::size(k_age_buckets); ++b) {
          if (age >= k_age_buckets[b].lo && age < k_age_buckets[b].hi) ++age_counts[b];
        }
      }
      if (auto ram = ram_bytes(inv)) {
        row["ram_bytes"] = *ram;
        small_ram = *ram <= k_small_ram_bytes;
      }
      row["cpu"] = text_at(inv, "cpu", "model");
      row["os"] = text_at(inv, "os", "name");
      if (const auto os = inv.find("os"); os != inv.end() && os->is_object()) {
        if (const auto sup = os->find("support"); sup != os->end() && sup->is_object()) {
          row["os_support"] = get_or(*sup, "status", std::string("unknown"));
        }
      }
      row["system_disk"] = system_disk_media(inv);
    }

    const auto assessment = pick_assessment(m, options);
    std::string verdict = "unknown";
    nlohmann::json failing = nlohmann::json::array();
    if (assessment) {
      verdict = get_or(*assessment, "verdict", std::string("unknown"));
      if (verdict != "meets" && verdict != "does_not_meet") verdict = "unknown";
      const std::string profile = get_or(*assessment, "profile", std::string("unknown"));
      profiles.insert(profile);
      // The profile's title in the report's language (its id when the assessment carries none).
      if (const auto title = assessment->find("profile_title"); title != assessment->end() && title->is_object()) {
        const std::string t = get_or(*title, options.lang == Lang::vi ? "vi" : "en", std::string());
        if (!t.empty()) profile_titles[profile] = t;
      }
      if (const auto rules = assessment->find("rules"); rules != assessment->end() && rules->is_array()) {
        for (const auto& rule : *rules) {
          if (!rule.is_object()) continue;
          const std::string id = get_or(rule, "id", std::string("?"));
          std::string result = get_or(rule, "result", std::string("unknown"));
          if (result != "pass" && result != "fail") result = "unknown";
          ++rule_results[id][result];
          if (!rule_texts.contains(id)) {
            const char* key = options.lang == Lang::vi && rule.contains("required_vi") ? "required_vi" : "required";
            rule_texts[id] = {{"required", rule.contains(key) ? rule[key] : nlohmann::json(nullptr)}};
          }
          if (result == "fail") {
            ++by_rule[id];
            const char* req = options.lang == Lang::vi && rule.contains("required_vi") ? "required_vi" : "required";
            nlohmann::json f = {{"id", id},
                                {"measured", rule.contains("measured") ? rule["measured"] : nlohmann::json(nullptr)},
                                {"required", rule.contains(req) ? rule[req] : nlohmann::json(nullptr)},
                                {"reason", get_or(rule, "reason", std::string())}};
            if (rule.contains("reason_vi") && rule["reason_vi"].is_string()) f["reason_vi"] = rule["reason_vi"];
            failing.push_back(f);
          }
        }
      }
    }
    if (verdict == "meets") {
      ++meeting;
    } else if (verdict == "does_not_meet") {
      ++not_meeting;
      if (small_ram) ++small_ram_failing;
      if (old) ++old_failing;
    } else {
      ++unknown;
    }
    row["verdict"] = verdict;
    row["failing"] = failing;

    // Pressure: minutes whose start lies in the counted window (digest_pressure).
    const MachineDigest& digest = *ctx.digests[i];
    const long long minutes = digest.pressure_minutes;
    const long long cpu_over = digest.cpu_over;
    const long long mem_over = digest.mem_over;
    const long long either_over = digest.either_over;
    const auto pct = [&](long long part) {
      return minutes > 0 ? nlohmann::json(round_to(100.0 * static_cast<double>(part) / static_cast<double>(minutes), 2))
                         : nlohmann::json(nullptr);
    };
    row["pressure"] = {{"minutes", minutes},
                       {"cpu_over_90_pct", pct(cpu_over)},
                       {"mem_over_90_pct", pct(mem_over)},
                       {"over_90_pct", pct(either_over)}};
    if (minutes > 0) {
      ++machines_with_pressure_data;
      pressure_minutes_total += minutes;
      pressure_over_total += either_over;
      if (100.0 * static_cast<double>(either_over) / static_cast<double>(minutes) >= k_pressure_machine_share_pct) {
        ++machines_pressured;
      }
    }
    list.push_back(row);
  }

  nlohmann::json rules = nlohmann::json::array();
  for (const auto& [id, counts] : rule_results) {
    const auto get = [&](const char* k) {
      const auto it = counts.find(k);
      return it == counts.end() ? 0 : it->second;
    };
    rules.push_back({{"id", id},
                     {"pass", get("pass")},
                     {"fail", get("fail")},
                     {"unknown", get("unknown")},
                     {"required", rule_texts[id]["required"]}});
  }
  nlohmann::json distribution = nlohmann::json::array();
  for (std::size_t b = 0; b < std::size(k_age_buckets); ++b) {
    distribution.push_back({{"years", k_age_buckets[b].label}, {"machines", age_counts[b]}});
  }
  double age_sum = 0;
  for (double a : ages) age_sum += a;
  std::sort(ages.begin(), ages.end());

  nlohmann::json out;
  out["total"] = ctx.machines.size();
  out["inventoried"] = inventoried;
  out["assessed"] = meeting + not_meeting;
  out["meeting"] = meeting;
  out["not_meeting"] = not_meeting;
  out["unknown"] = unknown;
  out["not_meeting_pct"] = meeting + not_meeting > 0
                               ? nlohmann::json(round_to(100.0 * not_meeting / (meeting + not_meeting), 1))
                               : nlohmann::json(nullptr);
  out["profiles"] = std::vector<std::string>(profiles.begin(), profiles.end());
  nlohmann::json titles = nlohmann::json::array();
  for (const std::string& p : profiles) titles.push_back(profile_titles.contains(p) ? profile_titles[p] : p);
  out["profile_titles"] = titles;
  out["by_rule"] = by_rule;
  out["rules"] = rules;
  out["not_meeting_small_ram"] = small_ram_failing;
  out["not_meeting_past_useful_life"] = old_failing;
  out["age"] = {
      {"known", ages.size()},
      {"average_years", ages.empty() ? nlohmann::json(nullptr)
                                     : nlohmann::json(round_to(age_sum / static_cast<double>(ages.size()), 1))},
      {"oldest_years", ages.empty() ? nlohmann::json(nullptr) : nlohmann::json(ages.back())},
      {"useful_life_years", options.procurement.useful_life_years},
      {"past_useful_life", older_than_life},
      {"distribution", distribution}};
  out["pressure"] = {{"threshold_pct", k_pressure_threshold_pct},
                     {"machine_share_pct", k_pressure_machine_share_pct},
                     {"machines_with_data", machines_with_pressure_data},
                     {"machines_often_saturated", machines_pressured},
                     {"minutes", pressure_minutes_total},
                     {"over_90_pct", pressure_minutes_total > 0
                                         ? nlohmann::json(round_to(100.0 * static_cast<double>(pressure_over_total) /
                                                                       static_cast<double>(pressure_minutes_total),
                                                                   2))
                                         : nlohmann::json(nullptr)}};
  out["health"] = compute_health(ctx, list);
  out["list"] = list;
  out["procurement"] = compute_procurement(ctx, list);
  return out;
}

}  // namespace itsa::report::detail
