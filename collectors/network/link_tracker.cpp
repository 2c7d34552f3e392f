#include "collectors/network/link_tracker.hpp"

#include "collectors/network/probe_stats.hpp"
#include "common/time_format.hpp"
#include "protocol/payloads.hpp"

namespace lk = itsa::protocol::link_minute_key;

namespace itsa::network {

namespace {
nlohmann::json opt(const std::optional<int>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
// A delta of a total counter; a decrease means the driver reset it.
std::uint64_t delta(std::uint64_t now, std::uint64_t before) {
  return now >= before ? now - before : now;
}
}  // namespace

nlohmann::json link_event_payload(const LinkSnapshot& s, const std::string& event, UtcTime at) {
  return {{"interface", s.interface},
          {"event", event},
          {"at", to_rfc3339_ms(at)},
          {"speed_mbps", opt(s.speed_mbps)},
          {"max_speed_mbps", opt(s.max_speed_mbps)},
          {"duplex", s.duplex.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.duplex)}};
}

std::vector<nlohmann::json> LinkTracker::update(const LinkSnapshot& snap, UtcTime at) {
  std::vector<nlohmann::json> events = roll(at);
  std::vector<nlohmann::json> out;
  if (!m_minute) m_minute = minute_start(at);
  auto [it, fresh] = m_states.try_emplace(snap.interface);
  State& st = it->second;
  const bool up_speed_known = snap.carrier && snap.speed_mbps && *snap.speed_mbps > 0;
  if (fresh) {
    st.last = snap;
    st.minute_base = snap;
  } else {
    if (st.last.carrier != snap.carrier) {
      out.push_back(link_event_payload(snap, snap.carrier ? "carrier_up" : "carrier_down", at));
      if (!snap.carrier) {
        ++st.downs_in_minute;
        ++st.downs_total;
      }
    } else if (st.last.carrier_changes_total && snap.carrier_changes_total &&
               *snap.carrier_changes_total > *st.last.carrier_changes_total + 1) {
      // A down+up flap between two looks: the kernel counted it, we never saw it.
      int missed = static_cast<int>((*snap.carrier_changes_total - *st.last.carrier_changes_total) / 2);
      st.downs_in_minute += missed;
      st.downs_total += missed;
    }
    if (up_speed_known && st.last_up_speed_mbps && *st.last_up_speed_mbps != *snap.speed_mbps) {
      bool slower = *snap.speed_mbps < *st.last_up_speed_mbps;
      out.push_back(link_event_payload(snap, slower ? "speed_downgrade" : "speed_change", at));
      st.downgrade_reported = slower;
    }
    if (snap.carrier && st.last.carrier && !snap.duplex.empty() && !st.last.duplex.empty() &&
        snap.duplex != st.last.duplex)
      out.push_back(link_event_payload(snap, "duplex_change", at));
  }
  // A NIC running below its own maximum (a gigabit NIC at 100 Mb/s: a broken pair).
  if (up_speed_known && snap.max_speed_mbps && *snap.speed_mbps < *snap.max_speed_mbps && !st.downgrade_reported) {
    out.push_back(link_event_payload(snap, "speed_downgrade", at));
    st.downgrade_reported = true;
  }
  if (up_speed_known && snap.max_speed_mbps && *snap.speed_mbps >= *snap.max_speed_mbps) st.downgrade_reported = false;
  if (up_speed_known) st.last_up_speed_mbps = snap.speed_mbps;
  st.last = snap;
  events.insert(events.end(), out.begin(), out.end());
  return events;
}

std::vector<nlohmann::json> LinkTracker::roll(UtcTime now) {
  if (m_minute && minute_start(now) > *m_minute) return finish();
  return {};
}

std::vector<nlohmann::json> LinkTracker::flush() {
  return finish();
}

std::vector<nlohmann::json> LinkTracker::finish() {
  std::vector<nlohmann::json> out;
  if (!m_minute) return out;
  const std::string minute = to_rfc3339(*m_minute);
  for (auto& [name, st] : m_states) {
    const auto& c = st.last.counters;
    const auto& b = st.minute_base.counters;
    nlohmann::json rec{{"minute", minute},
                       {lk::iface, name},
                       {lk::carrier, st.last.carrier},
                       {lk::speed_mbps, opt(st.last.speed_mbps)},
                       {lk::max_speed_mbps, opt(st.last.max_speed_mbps)},
                       {lk::duplex, st.last.duplex.empty() ? nlohmann::json(nullptr) : nlohmann::json(st.last.duplex)},
                       {lk::flaps, st.downs_in_minute},
                       {lk::rx_errors, delta(c.rx_errors, b.rx_errors)},
                       {lk::tx_errors, delta(c.tx_errors, b.tx_errors)},
                       {lk::rx_crc_errors, delta(c.rx_crc_errors, b.rx_crc_errors)},
                       {lk::rx_frame_errors, delta(c.rx_frame_errors, b.rx_frame_errors)},
                       {lk::rx_dropped, delta(c.rx_dropped, b.rx_dropped)},
                       {lk::tx_dropped, delta(c.tx_dropped, b.tx_dropped)}};
    if (st.last.wireless) rec[lk::signal_dbm] = opt(st.last.signal_dbm);
    out.push_back(rec);
    st.minute_base = st.last;
    st.downs_in_minute = 0;
  }
  m_minute.reset();
  return out;
}

std::map<std::string, LinkSnapshot> LinkTracker::current() const {
  std::map<std::string, LinkSnapshot> out;
  for (const auto& [name, st] : m_states) out[name] = st.last;
  return out;
}

int LinkTracker::flaps_total(const std::string& interface) const {
  auto it = m_states.find(interface);
  return it == m_states.end() ? 0 : it->second.downs_total;
}

}  // namespace itsa::network
