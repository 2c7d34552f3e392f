// "What the figures support": one plain sentence per claim of the source report, filled from
// the computed sections, with a verdict that says plainly when the data do not support it.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "report/compute_detail.hpp"
#include "report/compute_links.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

namespace {

constexpr double k_majority_pct = 50.0;    // "many computers": at least half of those assessed
constexpr double k_physical_share = 0.25;  // cable symptoms on a quarter of observed PCs = widespread

std::string n(double v, Lang lang, int digits = 0) {
  return fmt_num(v, digits, lang);
}
std::string n(const nlohmann::json& v, Lang lang, int digits = 0) {
  return v.is_number() ? fmt_num(v.get<double>(), digits, lang) : "—";
}

nlohmann::json claim(const char* id, const std::string& verdict, const std::string& source, const std::string& text) {
  return {{"id", id}, {"verdict", verdict}, {"claim", source}, {"text", text}};
}

nlohmann::json computers_inadequate(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& m = r["machines"];
  const int assessed = m["assessed"].get<int>();
  const int not_meeting = m["not_meeting"].get<int>();
  const int unknown = m["unknown"].get<int>();
  const std::string source =
      lang == Lang::vi ? "Nhiều máy tính của cơ quan cấu hình không đảm bảo cho công tác chuyển đổi số."
                       : "Many of the agency's computers are inadequately configured for digital transformation.";
  std::string profiles;
  for (const auto& p : m.contains("profile_titles") ? m["profile_titles"] : m["profiles"])
    profiles += (profiles.empty() ? "" : ", ") + p.get<std::string>();
  if (assessed == 0) {
    return claim("computers_inadequate", "insufficient_data", source,
                 lang == Lang::vi ? "Chưa có máy tính nào được kiểm kê và đánh giá cấu hình trong kỳ, nên chưa đủ căn "
                                    "cứ để khẳng định nội dung này."
                                  : "No computer was inventoried and assessed in the period, so the data can neither "
                                    "support nor refute this claim.");
  }
  const double pct = m["not_meeting_pct"].get<double>();
  std::string text;
  std::string verdict;
  if (not_meeting == 0) {
    verdict = "not_supported";
    text = lang == Lang::vi ? "Cả " + n(assessed, lang) + " máy tính được đánh giá đều đạt cấu hình " + profiles +
                                  "; số liệu không cho thấy máy tính cấu hình không đảm bảo."
                            : "All " + n(assessed, lang) + " assessed computers meet the " + profiles +
                                  " configuration; the data do not show inadequately configured computers.";
  } else {
    verdict = pct >= k_majority_pct ? "supported" : "partly_supported";
    // The most frequent failing rules.
    std::vector<std::pair<int, std::string>> rules;
    for (const auto& [id, count] : m["by_rule"].items()) rules.emplace_back(count.get<int>(), id);
    std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    std::string reasons;
    for (std::size_t i = 0; i < rules.size() && i < 4; ++i) {
      reasons += (i == 0 ? "" : "; ") + rule_label(rules[i].second, lang) + ": " + n(rules[i].first, lang) +
                 (lang == Lang::vi ? " máy" : (rules[i].first == 1 ? " computer" : " computers"));
    }
    if (lang == Lang::vi) {
      text = "Có " + n(not_meeting, lang) + "/" + n(assessed, lang) + " máy tính (" + n(pct, lang, 1) +
             "%) không đạt cấu hình " + profiles + "; trong đó " + n(m["not_meeting_small_ram"], lang) +
             " máy có RAM từ 4 GB trở xuống và " + n(m["not_meeting_past_useful_life"], lang) +
             " máy đã sử dụng trên 5 năm. Các tiêu chí không đạt nhiều nhất: " + reasons + ".";
      if (pct < k_majority_pct) text += " Số máy không đạt chưa chiếm đa số.";
    } else {
      text = n(not_meeting, lang) + " of " + n(assessed, lang) + " computers (" + n(pct, lang, 1) +
             "%) do not meet the " + profiles + " configuration; " + n(m["not_meeting_small_ram"], lang) +
             " of them have 4 GB RAM or less and " + n(m["not_meeting_past_useful_life"], lang) +
             " are older than 5 years. Most frequent failing rules: " + reasons + ".";
      if (pct < k_majority_pct) text += " They are not a majority.";
    }
  }
  if (unknown > 0) {
    text += lang == Lang::vi ? " " + n(unknown, lang) + " máy chưa đánh giá được (chưa có số liệu kiểm kê)."
                             : " " + n(unknown, lang) + " computer(s) could not be assessed (no inventory).";
  }
  return claim("computers_inadequate", verdict, source, text);
}

nlohmann::json computers_degraded(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& age = r["machines"]["age"];
  const nlohmann::json& pressure = r["machines"]["pressure"];
  const int known = age["known"].get<int>();
  const int past = age["past_useful_life"].get<int>();
  const int with_data = pressure["machines_with_data"].get<int>();
  const int saturated = pressure["machines_often_saturated"].get<int>();
  const std::string source =
      lang == Lang::vi ? "Nhiều máy tính của cơ quan đã xuống cấp." : "Many of the agency's computers are degraded.";
  // Wear and failure measured (compute_health.cpp): disks, unexpected shutdowns, crashes, disk saturation.
  const nlohmann::json& health = r["machines"]["health"];
  const nlohmann::json& disk = health["disk"];
  const nlohmann::json& inst = health["instability"];
  const nlohmann::json& busy = health["disk_saturation"];
  const int judged = disk["judged"].get<int>();
  const int failing_or_worn = disk["failing_or_worn"].get<int>();
  const int own_machines = inst["machines_own_shutdowns"].get<int>();
  const long long own = inst["own_shutdowns"].get<long long>();
  const long long crashes = inst["os_crashes"].get<long long>();
  const long long cuts = inst["power_cuts"].get<long long>();
  const int busy_data = busy["machines_with_data"].get<int>();
  const int busy_often = busy["machines_often_saturated"].get<int>();
  const bool instability_seen = own > 0 || crashes > 0 || cuts > 0;
  if (known == 0 && with_data == 0 && judged == 0 && busy_data == 0 && !instability_seen) {
    return claim("computers_degraded", "insufficient_data", source,
                 lang == Lang::vi ? "Chưa xác định được tuổi máy và chưa có số liệu tải CPU/bộ nhớ, nên chưa đủ căn cứ "
                                    "để đánh giá mức độ xuống cấp."
                                  : "Neither machine age nor CPU/memory load could be measured, so there is not enough "
                                    "evidence to judge wear.");
  }
  std::string text;
  if (known > 0) {
    text = lang == Lang::vi
               ? "Tuổi máy bình quân (tính theo ngày phát hành BIOS) là " + n(age["average_years"], lang, 1) +
                     " năm; " + n(past, lang) + "/" + n(known, lang) +
                     " máy đã sử dụng trên 5 năm (hết thời gian sử dụng theo quy định về tài sản công)."
               : "Average machine age (from the BIOS date) is " + n(age["average_years"], lang, 1) + " years; " +
                     n(past, lang) + " of " + n(known, lang) + " computers are past the 5-year useful life.";
  }
  if (with_data > 0) {
    text += (text.empty() ? "" : " ") +
            (lang == Lang::vi ? n(saturated, lang) + "/" + n(with_data, lang) +
                                    " máy có từ 10% thời gian làm việc trở lên ở mức CPU hoặc bộ nhớ trên 90%."
                              : n(saturated, lang) + " of " + n(with_data, lang) +
                                    " computers spent 10% or more of their working time with CPU or memory above 90%.");
  }
  if (judged > 0) {
    text += (text.empty() ? "" : " ") +
            label("claim_degraded_disks", lang,
                  {n(failing_or_worn, lang), n(judged, lang), n(disk["failing"], lang), n(disk["worn"], lang)});
  }
  if (busy_data > 0)
    text +=
        (text.empty() ? "" : " ") + label("claim_degraded_disk_busy", lang, {n(busy_often, lang), n(busy_data, lang)});
  if (own > 0)
    text += (text.empty() ? "" : " ") +
            label("claim_degraded_shutdowns", lang, {n(own_machines, lang), n(static_cast<double>(own), lang)});
  else if (instability_seen || judged > 0)
    text += (text.empty() ? "" : " ") + label("claim_degraded_no_shutdowns", lang);
  if (crashes > 0)
    text += " " + label("claim_degraded_crashes", lang,
                        {n(static_cast<double>(crashes), lang), n(inst["machines_os_crashes"], lang)});
  if (cuts > 0)
    text += " " + label("claim_degraded_power_cuts", lang,
                        {n(static_cast<double>(cuts), lang), n(inst["power_cut_shutdowns"], lang)});
  // Boot time and battery wear are stated as measured; they do not decide the verdict (a slow
  // start or a worn battery alone does not prove a degraded PC: docs/report.md).
  const nlohmann::json& boot = health["boot"];
  if (boot["machines_with_data"].get<int>() > 0)
    text += (text.empty() ? "" : " ") + label("claim_degraded_boot", lang,
                                              {n(boot["machines_slow"], lang), n(boot["machines_with_data"], lang),
                                               n(boot["slow_threshold_s"], lang)});
  const nlohmann::json& battery = health["battery"];
  if (battery["machines_with_data"].get<int>() > 0)
    text +=
        (text.empty() ? "" : " ") + label("claim_degraded_battery", lang,
                                          {n(battery["machines_worn"], lang), n(battery["machines_with_data"], lang),
                                           n(battery["worn_threshold_pct"], lang)});
  std::string verdict;
  // The disks decide "supported" only when those read cover at least half of the PCs in scope:
  // one failing disk among one read of fifty PCs is a fact about one PC, not about "many".
  const int total = r["machines"]["total"].get<int>();
  if ((known > 0 && past * 2 >= known) || (judged > 0 && judged * 2 >= total && failing_or_worn * 2 >= judged)) {
    verdict = "supported";
  } else if (past > 0 || saturated > 0 || failing_or_worn > 0 || own > 0 || crashes > 0 || busy_often > 0) {
    verdict = "partly_supported";
  } else {
    verdict = "not_supported";
    text += lang == Lang::vi ? " Số liệu không cho thấy máy tính đã xuống cấp."
                             : " The data do not show degraded computers.";
  }
  return claim("computers_degraded", verdict, source, text);
}

nlohmann::json network_loses_connection(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& net = r["network"];
  const nlohmann::json& o = net["outages"];
  const nlohmann::json& scope = r["scope"];
  const double observed_h = net["observed_s"].get<double>() / 3600.0;
  const long long days = scope["observed_working_days"].get<long long>();
  const std::optional<double> coverage =
      scope["coverage_pct"].is_number() ? std::optional<double>(scope["coverage_pct"].get<double>()) : std::nullopt;
  const bool office = r["period"]["hours"] == "office";
  const std::string source = label("claim_loss_source", lang);
  // Cabling = outages of one PC alone: a site-wide, agency-wide or shared-equipment event points
  // at a switch or the provider, not at each PC's cable.
  const nlohmann::json& single = o["single_pc_by_cause"];
  const double cabling = single["link_down"].get<double>() + single["lan"].get<double>();
  const nlohmann::json& mins = scope["frequency_minimums"];
  const FrequencyMinimums minimums{mins["pc_hours"].get<double>(), mins["working_days"].get<long long>(),
                                   mins["coverage_pct"].get<double>()};
  double per_week = 0;
  std::string verdict = loss_verdict(minimums, observed_h, days, coverage, cabling, per_week);
  if (verdict == "insufficient_data") {
    return claim("network_frequent_loss", verdict, source,
                 label("claim_loss_insufficient", lang,
                       {n(observed_h, lang, 1), n(days, lang), fmt_pct(scope["coverage_pct"], 1, lang),
                        n(minimums.pc_hours, lang), n(static_cast<double>(minimums.working_days), lang),
                        n(minimums.coverage_pct, lang), n(o["count"], lang)}));
  }
  const int count = o["count"].get<int>();
  const nlohmann::json& bc = o["by_cause"];
  std::string text =
      label("claim_loss_text", lang,
            {n(observed_h, lang, 1), office ? label("claim_loss_office", lang) : "", n(count, lang),
             fmt_pct(net["availability_pct"], 2, lang), fmt_duration(net["downtime_s"].get<double>(), lang),
             n(bc["link_down"], lang), n(bc["lan"], lang), n(bc["upstream"], lang), n(bc["dns"], lang)});
  text += label("claim_loss_scope", lang,
                {n(o["agency_wide"], lang), n(o["site_wide"], lang), n(o["shared_equipment"], lang)});
  text += label("claim_loss_per_week", lang, {n(per_week, lang, 1)});
  const long long short_drops = net["links_summary"]["short_drops"].get<long long>();
  if (short_drops > 0) text += label("claim_loss_short_drops", lang, {n(static_cast<double>(short_drops), lang)});
  // Per site, worst first (network.per_site is sorted so): an average hides the bad building.
  std::string worst;
  int sites_supported = 0;
  const nlohmann::json& per_site = net["per_site"];
  if (per_site.size() > 1) {
    for (const auto& site : per_site) {
      const std::string v = site["verdict"].get<std::string>();
      sites_supported += v == "supported" ? 1 : 0;
      worst += (worst.empty() ? "" : "; ") + label("claim_loss_site", lang,
                                                   {site["site"].get<std::string>(),
                                                    n(site["cabling_per_pc_week"], lang, 1), verdict_label(v, lang)});
    }
    text += label("claim_loss_sites", lang, {worst});
  }
  if (verdict == "not_supported" && sites_supported > 0) {
    verdict = "partly_supported";  // not across the agency, but at the sites named above
    text += label("claim_loss_some_sites", lang);
  } else if (verdict == "partly_supported") {
    text += label("claim_loss_partly", lang);
  } else if (verdict == "not_supported") {
    text += label("claim_loss_none", lang);
  }
  // What fixing the cabling could recover: the share of downtime each cause made.
  const nlohmann::json& share = net["downtime_share_by_cause_pct"];
  if (share["upstream"].is_number() && share["dns"].is_number()) {
    const double provider = share["upstream"].get<double>() + share["dns"].get<double>();
    if (provider > 0) text += label("claim_loss_provider_share", lang, {n(provider, lang, 0)});
    if (provider >= 50.0) text += label("claim_loss_provider", lang);
  }
  return claim("network_frequent_loss", verdict, source, text);
}

nlohmann::json cabling_degraded(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& cabling = r["network"]["cabling"];
  const nlohmann::json& s = r["network"]["links_summary"];
  const std::string source = label("claim_cabling_source", lang);
  if (r["network"]["links"].empty() && cabling.empty())
    return claim("cabling_degraded", "insufficient_data", source, label("claim_cabling_no_data", lang));
  // Cabling evidence only: short drops on wired links, growing CRC errors, speed downgrades
  // (compute_links.cpp). Wi-Fi, a constant speed below the maximum and power cycles are shown apart.
  int drops = 0, crc = 0, downgraded = 0, affected = 0;
  std::string worst;
  for (const auto& pc : cabling) {
    const auto& signs = pc["signs"];
    const auto has = [&](const char* sign) { return std::find(signs.begin(), signs.end(), sign) != signs.end(); };
    drops += has("short_drops") ? 1 : 0;
    crc += has("crc_errors") ? 1 : 0;
    downgraded += has("speed_downgrade") ? 1 : 0;
    affected += signs.empty() ? 0 : 1;
    if (has("short_drops"))
      worst +=
          label("claim_cabling_pc", lang, {pc["hostname"].get<std::string>(), n(pc["short_drops_per_day"], lang, 1)});
  }
  const int observed = r["scope"]["machines_observed"].get<int>();
  std::string text = label("claim_cabling_rule", lang,
                           {n(k_cabling_drops_per_day, lang), n(static_cast<double>(k_cabling_crc_minutes), lang)});
  text += label("claim_cabling_counts", lang,
                {n(drops, lang), n(crc, lang), n(k_cabling_drops_per_day, lang), n(downgraded, lang), n(affected, lang),
                 n(observed, lang)});
  text += worst;
  if (s["machines_below_max_speed"].get<int>() > 0)
    text += label("claim_cabling_below_max", lang, {n(s["machines_below_max_speed"], lang)});
  if (s["wifi_disconnects"].get<long long>() > 0)
    text +=
        label("claim_cabling_wifi", lang, {n(s["wifi_disconnects"], lang), n(s["machines_wifi_disconnects"], lang)});
  long long near_power = 0;
  for (const auto& pc : cabling) near_power += pc["flaps_near_resume"].get<long long>();
  if (near_power > 0) text += label("claim_cabling_resume", lang, {n(static_cast<double>(near_power), lang)});
  std::string verdict;
  if (affected == 0) {
    verdict = "not_supported";
    text += label("claim_cabling_none", lang);
  } else if (static_cast<double>(affected) >= k_physical_share * observed) {
    verdict = "supported";
    text += label("claim_cabling_supported", lang);
  } else {
    verdict = "partly_supported";
    text += label("claim_cabling_partly", lang);
  }
  return claim("cabling_degraded", verdict, source, text);
}

nlohmann::json not_measured(Lang lang) {
  return claim("staff_skills", "not_measured",
               lang == Lang::vi ? "Cán bộ phụ trách công nghệ thông tin kiêm nhiệm; một số công chức còn hạn chế về kỹ "
                                  "năng ứng dụng công nghệ thông tin."
                                : "The IT officer is part-time and untrained; some staff have limited IT skills.",
               lang == Lang::vi
                   ? "itsa không đo các nội dung này; số liệu trong báo cáo không chứng minh cũng không bác bỏ."
                   : "itsa does not measure this; the figures in this report neither support nor refute it.");
}

}  // namespace

nlohmann::json compute_claims(const nlohmann::json& report, Lang lang) {
  return nlohmann::json::array({computers_inadequate(report, lang), computers_degraded(report, lang),
                                network_loses_connection(report, lang), cabling_degraded(report, lang),
                                not_measured(lang)});
}

}  // namespace itsa::report::detail
