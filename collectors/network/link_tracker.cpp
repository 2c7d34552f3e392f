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
// The same for a counter the driver may not give: null unless known at both ends.
nlohmann::json delta(const std::optional<std::uint64_t>& now, const std::optional<std::uint64_t>& before) {
  return now && before ? nlohmann::json(delta(*now, *before)) : nlohmann::json(nullptr);
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

LinkSnapshot with_change(LinkSnapshot read, const LinkChange& change, const LinkSnapshot* last) {
  if (change.removed || !change.carrier_changes_total || !change.carrier) return read;
  if (last && last->carrier_changes_total && *change.carrier_changes_total < *last->carrier_changes_total)
    return read;  // built before the state we already have
  if (change.admin_up) read.admin_up = *change.admin_up;
  read.carrier = *change.carrier && read.admin_up;
  read.carrier_changes_total = change.carrier_changes_total;
  if (!read.carrier) read.speed_mbps.reset();
  return read;
}

int losses_in_changes(bool was_up, std::uint64_t changes) {
  return static_cast<int>(was_up ? (changes + 1) / 2 : changes / 2);
}

std::vector<nlohmann::json> LinkTracker::update(const LinkSnapshot& snap, UtcTime at) {
  std::vector<nlohmann::json> out;
  if (!m_minute) m_minute = minute_start(at);
  auto [it, fresh] = m_states.try_emplace(snap.interface);
  State& st = it->second;
  // Wi-Fi rates move with the radio all the time: speed events are for wired links only.
  const bool up_speed_known = snap.carrier && !snap.wireless && snap.speed_mbps && *snap.speed_mbps > 0;
  if (fresh) {
    st.last = snap;
    st.minute_base = snap;
  } else {
    const LinkSnapshot& prev = st.last;
    if (prev.admin_up != snap.admin_up) {
      out.push_back(link_event_payload(snap, snap.admin_up ? "admin_up" : "admin_down", at));
      st.admin_changed_at = at;
      // A loss seen just before the disable, with the carrier still down, was the disable itself
      // (the driver drops carrier first). A loss whose carrier came back before is a flap.
      if (!snap.admin_up && !prev.carrier && st.last_down_at && at - *st.last_down_at <= k_admin_grace &&
          minute_start(*st.last_down_at) == *m_minute && st.downs_in_minute > 0) {
        --st.downs_in_minute;
        --st.downs_total;
        st.last_down_at.reset();
      }
    }
    if (prev.carrier != snap.carrier)
      out.push_back(link_event_payload(snap, snap.carrier ? "carrier_up" : "carrier_down", at));
    // Losses since the last look: the kernel's counter sees the ones shorter than our looks;
    // its parity must agree with the states we saw, else (driver reset, admin change) count
    // the transition we saw.
    int losses = prev.carrier && !snap.carrier ? 1 : 0;
    if (prev.carrier_changes_total && snap.carrier_changes_total &&
        *snap.carrier_changes_total >= *prev.carrier_changes_total) {
      const std::uint64_t changes = *snap.carrier_changes_total - *prev.carrier_changes_total;
      if ((changes % 2 == 1) == (prev.carrier != snap.carrier)) losses = losses_in_changes(prev.carrier, changes);
    }
    const bool admin_related =
        !snap.admin_up || !prev.admin_up || (st.admin_changed_at && at - *st.admin_changed_at <= k_admin_grace);
    if (losses > 0 && !admin_related) {
      st.downs_in_minute += losses;
      st.downs_total += losses;
      st.last_down_at = at;
    }
    if (up_speed_known && st.last_up_speed_mbps && *st.last_up_speed_mbps != *snap.speed_mbps) {
      // A change while connected, or after a reconnect of the same NIC: renegotiated.
      bool slower = *snap.speed_mbps < *st.last_up_speed_mbps;
      out.push_back(link_event_payload(snap, slower ? "speed_downgrade" : "speed_change", at));
      if (slower) st.below_max_reported = true;
    }
    if (snap.carrier && prev.carrier && !snap.duplex.empty() && !prev.duplex.empty() && snap.duplex != prev.duplex)
      out.push_back(link_event_payload(snap, "duplex_change", at));
  }
  // A NIC running at a constant speed below its own maximum (a gigabit NIC on a 100 Mb/s
  // switch port): shown, not by itself a sign of a bad cable.
  if (up_speed_known && snap.max_speed_mbps && *snap.speed_mbps < *snap.max_speed_mbps && !st.below_max_reported) {
    out.push_back(link_event_payload(snap, "below_max_speed", at));
    st.below_max_reported = true;
  }
  if (up_speed_known && snap.max_speed_mbps && *snap.speed_mbps >= *snap.max_speed_mbps) st.below_max_reported = false;
  if (up_speed_known) st.last_up_speed_mbps = snap.speed_mbps;
  st.last = snap;
  return out;
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
