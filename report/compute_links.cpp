// Physical-layer figures and the cabling evidence per PC (compute_links.hpp).
#include "report/compute_links.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "common/time_format.hpp"
#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"
#include "report/minutes.hpp"
#include "report/office_hours.hpp"
#include "report/site_events.hpp"
#include "report/text.hpp"

namespace lk = itsa::protocol::link_minute_key;
namespace rt = itsa::protocol::record_type;

namespace itsa::report::detail {

namespace {

constexpr long long k_day_ms = 86'400'000;
constexpr long long k_minute = 60'000;

nlohmann::json nullable(std::optional<double> v) {
  return v ? nlohmann::json(round_to(*v, 0)) : nlohmann::json(nullptr);
}

/// Per minute of one machine: losses on wired and on wireless links.
struct MinuteDrops {
  long long flaps = 0, link_down_blips = 0, lan_blips = 0;
  long long wifi_flaps = 0, wifi_link_down_blips = 0, wifi_lan_blips = 0;
};

/// Suspend and resume instants of a machine, widened by k_resume_grace_ms.
IntervalSet power_windows(const MachineInput& m) {
  std::vector<Interval> w;
  for (const Record& r : m.records) {
    if (r.type != rt::lifecycle) continue;
    const std::string event = get_or(r.payload, "event", std::string());
    if (event != "resume" && event != "suspend") continue;
    const long long at = to_unix_ms(r.time);
    w.push_back({at - k_resume_grace_ms, at + k_resume_grace_ms});
  }
  return normalize(std::move(w));
}

long long blip_count(const nlohmann::json& blips, const char* layer) {
  return static_cast<long long>(std::max(0.0, number_field(blips, layer).value_or(0)));
}

}  // namespace

void digest_links(const Context& ctx, const MachineInput& machine, MachineDigest& digest) {
  const IntervalSet power = power_windows(machine);
  std::map<std::string, LinkStats>& per_if = digest.link_stats;
  // Which interfaces are wireless: link_minute carries signal_dbm on them only.
  for (const Record& r : machine.records)
    if (r.type == rt::link_minute && r.payload.is_object() && r.payload.contains(lk::signal_dbm))
      for_each_minute(r, [&](const MinuteView& v) { per_if[v.text(lk::iface, "?")].wireless = true; });
  std::map<long long, MinuteDrops> drops;
  for (const Record& r : machine.records) {
    if (r.type == rt::link_minute) {
      for_each_minute(r, [&](const MinuteView& v) {
        const long long minute = v.minute_ms();
        if (!contains(ctx.window, minute)) return;
        LinkStats& s = per_if[v.text(lk::iface, "?")];
        ++s.minutes;
        const auto flaps = static_cast<long long>(std::max(0.0, v.number(lk::flaps).value_or(0)));
        if (overlaps(power, minute, minute + k_minute)) {
          s.flaps_near_power += flaps;
        } else {
          s.flaps += flaps;
          (s.wireless ? drops[minute].wifi_flaps : drops[minute].flaps) += flaps;
        }
        const auto crc =
            static_cast<long long>(v.number(lk::rx_crc_errors).value_or(0) + v.number(lk::rx_frame_errors).value_or(0));
        s.crc += crc;
        s.crc_minutes += crc > 0 ? 1 : 0;
        s.errors += static_cast<long long>(v.number(lk::rx_errors).value_or(0) + v.number(lk::tx_errors).value_or(0));
        const auto speed = v.number(lk::speed_mbps);
        const auto max_speed = v.number(lk::max_speed_mbps);
        const bool carrier = v.flag(lk::carrier, true);
        if (carrier && speed && *speed > 0) {
          s.min_speed = s.min_speed ? std::min(*s.min_speed, *speed) : *speed;
          if (max_speed && *speed < *max_speed) ++s.minutes_below;
        }
        if (max_speed && *max_speed > 0) s.max_speed = s.max_speed ? std::max(*s.max_speed, *max_speed) : *max_speed;
      });
    } else if (r.type == rt::link_event && get_or(r.payload, "event", std::string()) == "speed_downgrade") {
      const long long at = time_field(r.payload, "at").value_or(to_unix_ms(r.time));
      if (!contains(ctx.window, at) || contains(power, at)) continue;
      LinkStats& s = per_if[get_or(r.payload, "interface", std::string("?"))];
      if (!s.wireless) ++s.downgrades;
    } else if (r.type == rt::blip_minute) {
      const auto minute = time_field(r.payload, "minute");
      if (!minute || !contains(ctx.window, *minute) || overlaps(power, *minute, *minute + k_minute)) continue;
      const nlohmann::json blips =
          r.payload.is_object() ? r.payload.value("blips", nlohmann::json::object()) : nlohmann::json::object();
      const std::string iface = get_or(r.payload, lk::iface, std::string());
      const auto it = per_if.find(iface);
      const bool wireless = it != per_if.end() && it->second.wireless;
      MinuteDrops& d = drops[*minute];
      (wireless ? d.wifi_link_down_blips : d.link_down_blips) += blip_count(blips, "link_down");
      (wireless ? d.wifi_lan_blips : d.lan_blips) += blip_count(blips, "lan");
    }
  }
  // A loss shorter than down_after rounds is both a flap and a link_down blip: count it once.
  DropTotals& totals = digest.drops;
  totals.any_minute = totals.any_minute || !drops.empty();
  for (const auto& [minute, d] : drops) {
    totals.short_drops += std::max(d.flaps, d.link_down_blips) + d.lan_blips;
    totals.wifi_disconnects += std::max(d.wifi_flaps, d.wifi_link_down_blips) + d.wifi_lan_blips;
    totals.link_down_blips += d.link_down_blips;
    totals.lan_blips += d.lan_blips;
  }
}

void link_rows(const Context& ctx, const MachineInput& machine, const MachineDigest& digest, nlohmann::json& links,
               nlohmann::json& cabling) {
  const OfficeSchedule& schedule = ctx.options->schedule;
  const long long offset_ms = static_cast<long long>(schedule.utc_offset_min) * 60'000;
  const IntervalSet& observed = digest.observed;
  const DropTotals& totals = digest.drops;
  const long long short_drops = totals.short_drops, wifi_disconnects = totals.wifi_disconnects,
                  link_down_blips = totals.link_down_blips, lan_blips = totals.lan_blips;
  long long wired_flaps = 0, crc = 0, crc_minutes = 0, downgrades = 0, minutes_below = 0, near_power = 0;
  bool any_link = false;
  for (const auto& [name, s] : digest.link_stats) {
    if (s.minutes == 0 && s.downgrades == 0) continue;  // named by a blip only
    any_link = true;
    near_power += s.flaps_near_power;
    if (!s.wireless) {
      wired_flaps += s.flaps;
      crc += s.crc;
      crc_minutes = std::max(crc_minutes, s.crc_minutes);
      downgrades += s.downgrades;
      minutes_below += s.minutes_below;
    }
    links.push_back({{"hostname", machine.hostname},
                     {"site", machine.site},
                     {"interface", name},
                     {"wireless", s.wireless},
                     {"flaps", s.flaps},
                     {"flaps_near_resume", s.flaps_near_power},
                     {"crc_errors", s.crc},
                     {"errors", s.errors},
                     {"speed_downgrades", s.downgrades},
                     {"minutes", s.minutes},
                     {"minutes_below_max_speed", s.minutes_below},
                     {"min_speed_mbps", nullable(s.min_speed)},
                     {"max_speed_mbps", nullable(s.max_speed)}});
  }
  if (!any_link && !totals.any_minute) return;
  // Observed local days of this PC in the window.
  long long days = 0;
  if (!observed.empty()) {
    const long long first = local_day(schedule, observed.front().start_ms);
    const long long last = local_day(schedule, observed.back().end_ms - 1);
    for (long long d = first; d <= last; ++d)
      if (total_ms(intersect(Interval{d * k_day_ms - offset_ms, (d + 1) * k_day_ms - offset_ms}, observed)) > 0) ++days;
  }
  const double per_day = days > 0 ? static_cast<double>(short_drops) / static_cast<double>(days) : 0.0;
  nlohmann::json signs = nlohmann::json::array();
  if (days > 0 && per_day >= k_cabling_drops_per_day) signs.push_back("short_drops");
  if (crc_minutes >= k_cabling_crc_minutes) signs.push_back("crc_errors");
  if (downgrades > 0) signs.push_back("speed_downgrade");
  cabling = {{"hostname", machine.hostname},
             {"site", machine.site},
             {"observed_days", days},
             {"wired_flaps", wired_flaps},
             {"link_down_blips", link_down_blips},
             {"lan_blips", lan_blips},
             {"short_drops", short_drops},
             {"short_drops_per_day", days > 0 ? nlohmann::json(round_to(per_day, 1)) : nlohmann::json(nullptr)},
             {"crc_errors", crc},
             {"crc_minutes", crc_minutes},
             {"speed_downgrades", downgrades},
             {"minutes_below_max_speed", minutes_below},
             {"wifi_disconnects", wifi_disconnects},
             {"flaps_near_resume", near_power},
             {"signs", signs}};
}

nlohmann::json compute_links(const Context& ctx) {
  nlohmann::json links = nlohmann::json::array();
  nlohmann::json cabling = nlohmann::json::array();
  int machines_flapping = 0, machines_crc = 0, machines_downgraded = 0, machines_below_max = 0, machines_wifi = 0,
      machines_evidence = 0;
  long long wifi_total = 0, drops_total = 0;
  for (std::size_t m = 0; m < ctx.machines.size(); ++m) {
    nlohmann::json c;
    link_rows(ctx, *ctx.machines[m], *ctx.digests[m], links, c);
    if (c.is_null()) continue;
    const long long short_drops = c["short_drops"].get<long long>();
    const long long wifi_disconnects = c["wifi_disconnects"].get<long long>();
    machines_flapping += c["wired_flaps"].get<long long>() > 0 ? 1 : 0;
    machines_crc += c["crc_errors"].get<long long>() > 0 ? 1 : 0;
    machines_downgraded += c["speed_downgrades"].get<long long>() > 0 ? 1 : 0;
    machines_below_max += c["minutes_below_max_speed"].get<long long>() > 0 ? 1 : 0;
    machines_wifi += wifi_disconnects > 0 ? 1 : 0;
    machines_evidence += c["signs"].empty() ? 0 : 1;
    wifi_total += wifi_disconnects;
    drops_total += short_drops;
    cabling.push_back(c);
  }
  std::stable_sort(links.begin(), links.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    const auto key = [](const nlohmann::json& j) {
      return std::tuple(!j["wireless"].get<bool>(), j["flaps"].get<long long>(), j["crc_errors"].get<long long>(),
                        j["speed_downgrades"].get<long long>() + j["minutes_below_max_speed"].get<long long>());
    };
    return key(a) > key(b);
  });
  std::stable_sort(cabling.begin(), cabling.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["short_drops"].get<long long>() > b["short_drops"].get<long long>();
  });
  return {{"links", links},
          {"links_summary",
           {{"machines_flapping", machines_flapping},
            {"machines_crc_errors", machines_crc},
            {"machines_speed_downgraded", machines_downgraded},
            {"machines_below_max_speed", machines_below_max},
            {"machines_wifi_disconnects", machines_wifi},
            {"wifi_disconnects", wifi_total},
            {"short_drops", drops_total},
            {"machines_cabling_evidence", machines_evidence}}},
          {"cabling", cabling}};
}

nlohmann::json cabling_survey(const Context& ctx, const nlohmann::json& cabling,
                              const std::vector<long long>& single_pc_outages) {
  const Lang lang = ctx.options->lang;
  std::map<std::string, const nlohmann::json*> by_host;
  for (const auto& c : cabling) by_host[c["hostname"].get<std::string>()] = &c;
  std::vector<nlohmann::json> rows;
  for (std::size_t m = 0; m < ctx.machines.size(); ++m) {
    const MachineInput& mi = *ctx.machines[m];
    const auto it = by_host.find(mi.hostname);
    const nlohmann::json* c = it == by_host.end() ? nullptr : it->second;
    const long long outages = m < single_pc_outages.size() ? single_pc_outages[m] : 0;
    const auto get = [&](const char* key) { return c ? (*c)[key].get<long long>() : 0LL; };
    const nlohmann::json signs = c ? (*c)["signs"] : nlohmann::json::array();
    const long long flaps = get("wired_flaps"), crc_minutes = get("crc_minutes"),
                    below = get("minutes_below_max_speed");
    if (signs.empty() && outages == 0 && flaps == 0 && crc_minutes == 0 && below == 0) continue;
    // "survey": a cabling sign, or its own cable/LAN path failed twice or more; "check": weaker
    // hints (one outage, a few flaps or CRC errors, a constant speed below the card's maximum).
    const long long strength = static_cast<long long>(signs.size()) + (outages >= 2 ? 1 : 0);
    rows.push_back({{"site", mi.site},
                    {"hostname", mi.hostname},
                    {"priority", strength > 0 ? "survey" : "check"},
                    {"signs", signs},
                    {"single_pc_outages", outages},
                    {"short_drops_per_day", c ? (*c)["short_drops_per_day"] : nlohmann::json(nullptr)},
                    {"wired_flaps", flaps},
                    {"crc_minutes", crc_minutes},
                    {"speed_downgrades", get("speed_downgrades")},
                    {"minutes_below_max_speed", below},
                    {"strength", strength}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    const auto key = [](const nlohmann::json& r) {
      const double per_day = r["short_drops_per_day"].is_number() ? r["short_drops_per_day"].get<double>() : 0;
      return std::tuple(r["strength"].get<long long>(), r["single_pc_outages"].get<long long>(), per_day,
                        r["crc_minutes"].get<long long>(), r["wired_flaps"].get<long long>());
    };
    return key(a) > key(b);
  });
  // Per site, the PCs to survey (in rank order).
  std::map<std::string, std::vector<std::string>> survey;
  std::vector<std::string> site_order;
  for (const auto& r : rows) {
    if (r["priority"] != "survey") continue;
    const std::string site = r["site"].get<std::string>();
    if (!survey.contains(site)) site_order.push_back(site);
    survey[site].push_back(r["hostname"].get<std::string>());
  }
  std::string places;
  std::size_t pcs = 0;
  for (const auto& site : site_order) {
    std::string hosts;
    for (const auto& h : survey[site]) hosts += (hosts.empty() ? "" : ", ") + h;
    places += (places.empty() ? "" : "; ") + (site.empty() ? hosts : site + " (" + hosts + ")");
    pcs += survey[site].size();
  }
  const std::string from = format_date(local_day(ctx.options->schedule, ctx.from_ms));
  const std::string to = format_date(local_day(ctx.options->schedule, ctx.to_ms - 1));
  const auto dmy = [&](const std::string& iso) {
    return lang == Lang::vi ? iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) : iso;
  };
  std::string paragraph, request;
  if (pcs == 0) {
    paragraph = label("survey_none", lang, {dmy(from), dmy(to)});
    request = label("survey_request_none", lang);
  } else {
    paragraph = label("survey_paragraph", lang,
                      {dmy(from), dmy(to), fmt_num(static_cast<double>(pcs), 0, lang),
                       fmt_num(static_cast<double>(site_order.size()), 0, lang), places});
    request = label("survey_request", lang, {places});
  }
  return {{"rows", rows},
          {"machines_to_survey", pcs},
          {"sites_to_survey", site_order},
          {"paragraph_ii5", paragraph},
          {"request_iii", request}};
}

}  // namespace itsa::report::detail
