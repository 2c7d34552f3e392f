#include "agent/tasks/network_task.hpp"

#include <algorithm>
#include <cmath>

#include <boost/asio/post.hpp>

#include "collectors/network/cause_rules.hpp"
#include "common/clock_sync.hpp"
#include "common/log.hpp"
#include "common/time_format.hpp"
#include "protocol/payloads.hpp"
#include "protocol/record_types.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::network {

namespace {
constexpr int k_attempts = 4;                             ///< tries per probe inside probes.timeout_ms
constexpr auto k_http_every = std::chrono::seconds(120);  ///< HTTP(S) is costly: probed less often
constexpr char k_memory_draft[] = "network|responders";   ///< the store draft of ResponderMemory
constexpr char k_memory_type[] = "network_memory";        ///< its type (not a record type: never uploaded)
constexpr char k_gateway_echo[] = "echo";                 ///< the gateway's echo in the memory
auto logger() {
  return log::get("network");
}

/// The outage payload with the settings that defined it, for the report's "scope and method":
/// evidence.probe_interval_s, down_after, up_after (docs/protocol.md).
nlohmann::json outage_record(const Outage& outage, const OutageDetector& detector, int interval_s) {
  nlohmann::json payload = outage_payload(outage);
  payload[protocol::evidence_key::evidence].update(
      nlohmann::json(protocol::OutageProbeSettings{interval_s, detector.down_after(), detector.up_after()}));
  return payload;
}
}  // namespace

NetworkTask::NetworkTask(LinkReader reader, std::function<void()> on_recovery, int dns_port)
    : m_reader(std::move(reader)), m_on_recovery(std::move(on_recovery)), m_dns_port(dns_port) {}

NetworkTask::~NetworkTask() {
  *m_alive = false;
}

void NetworkTask::start(agent::TaskContext& ctx) {
  m_ctx = &ctx;
  const auto& p = ctx.config.probes;
  m_detector.emplace(p.down_after, p.up_after);
  m_stats.emplace(p.degraded_loss_pct, p.degraded_rtt_factor);
  ProberSettings settings;
  settings.timeout_ms = p.timeout_ms;
  settings.attempts = k_attempts;
  settings.http_timeout_ms = std::max(p.timeout_ms, 3000);
  settings.slow_ms = p.slow_ms;
  settings.proxy = ctx.config.server.proxy;
  settings.dns_name = p.dns.name;
  m_prober = std::make_unique<Prober>(ctx.io, settings);
  m_proxy_mode = uses_proxy(ctx.config.server.proxy);
  m_neighbor = make_neighbor_prober(ctx.io);
  for (const auto& uri : p.lan)
    if (auto t = parse_probe_target(uri, Layer::lan))
      m_static_targets.push_back(t.value());
    else
      logger()->warn("{}", t.error().message);
  for (const auto& uri : p.internet)
    if (auto t = parse_probe_target(uri, Layer::internet))
      m_static_targets.push_back(t.value());
    else
      logger()->warn("{}", t.error().message);
  std::set<std::string> networks;
  for (const auto& t : m_static_targets)
    if (t.layer == Layer::internet) networks.insert(network_key(t.host));
  if (static_cast<int>(networks.size()) < k_min_failed_networks)
    logger()->warn(
        "probes.internet names targets on {} network(s): an internet outage needs {} independent ones "
        "to fail, so none will be recorded (docs/network.md)",
        networks.size(), k_min_failed_networks);
  load_memory();
  m_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  m_patience_timer = std::make_unique<boost::asio::steady_timer>(ctx.io);
  m_watch = make_link_watch(ctx.io);
  if (auto r = m_watch->start([this](const LinkChange& change) { on_link_change(change); }); !r)
    logger()->warn("{} (carrier changes are seen at the next round only)", r.error().message);
  logger()->info("probing every {} s, ICMP mode: {}, ARP mode: {}{}", p.interval_s, m_prober->icmp_mode(),
                 m_neighbor->mode(), m_proxy_mode ? ", through a proxy: HTTP(S) targets every round" : "");
  poll_links(ctx.clock.utc_now());
  schedule_round(std::chrono::milliseconds(0));
}

void NetworkTask::stop(std::string_view reason) {
  if (m_stopped || m_ctx == nullptr) return;
  m_stopped = true;
  *m_alive = false;
  if (m_timer) m_timer->cancel();
  if (m_patience_timer) m_patience_timer->cancel();
  if (m_watch) m_watch->stop();
  if (m_prober) m_prober->cancel();
  if (m_neighbor) m_neighbor->cancel();
  const auto& clock = m_ctx->clock;
  if (auto closed = m_detector->close(clock.utc_now(), clock.mono_now(), "observation_ended")) {
    emit(rt::outage, outage_record(*closed, *m_detector, m_ctx->config.probes.interval_s));
  }
  emit_minutes(m_stats->flush());
  for (const auto& rec : m_links.flush()) emit(rt::link_minute, rec);
  for (const auto& rec : m_blips.flush()) emit(rt::blip_minute, rec);
  keep_observation(true);  // closed above: the draft goes
  logger()->info("stopped ({})", reason);
}

nlohmann::json NetworkTask::status() const {
  nlohmann::json links = nlohmann::json::object();
  for (const auto& [name, s] : m_links.current())
    links[name] = {{"carrier", s.carrier},
                   {"speed_mbps", s.speed_mbps ? nlohmann::json(*s.speed_mbps) : nullptr},
                   {"flaps", m_links.flaps_total(name)}};
  nlohmann::json st{{"rounds", m_rounds}, {"outages", m_outages}, {"links", links}};
  if (m_detector && m_detector->open_outage())
    st["open_outage"] = outage_record(*m_detector->open_outage(), *m_detector, m_ctx->config.probes.interval_s);
  return st;
}

void NetworkTask::emit(const std::string& type, const nlohmann::json& payload) {
  auto r = m_ctx->sink.append(type, m_ctx->clock.utc_now(), payload);
  if (!r) logger()->error("could not store a {} record: {}", type, r.error().message);
}

void NetworkTask::emit_minutes(const MinuteRecords& records) {
  for (const auto& rec : records.probe_minutes) emit(rt::probe_minute, rec);
  for (const auto& rec : records.degraded) emit(rt::degraded, rec);
}

void NetworkTask::schedule_round(std::chrono::milliseconds delay) {
  m_timer->expires_after(delay);
  m_timer->async_wait([this, alive = m_alive](boost::system::error_code ec) {
    if (ec || !*alive) return;
    start_round();
  });
}

void NetworkTask::poll_links(UtcTime now) {
  for (const auto& rec : m_links.roll(now)) emit(rt::link_minute, rec);
  for (const auto& name : m_reader.interfaces()) {
    auto snap = m_reader.read(name);
    if (!snap) continue;
    for (const auto& ev : m_links.update(snap.value(), now)) emit(rt::link_event, ev);
  }
}

void NetworkTask::on_link_change(const LinkChange& change) {
  if (m_stopped) return;
  auto current = m_links.current();
  auto it = current.find(change.interface);
  if (it == current.end()) return;  // not a watched interface
  auto snap = m_reader.read(change.interface);
  if (!snap) return;
  const auto now = m_ctx->clock.utc_now();
  for (const auto& rec : m_links.roll(now)) emit(rt::link_minute, rec);
  // The state the kernel reported at this change (a loss shorter than the read is not missed).
  const LinkSnapshot seen = with_change(snap.value(), change, &it->second);
  bool carrier_changed = it->second.carrier != seen.carrier;
  for (const auto& ev : m_links.update(seen, now)) emit(rt::link_event, ev);
  // Probe at once so the outage or recovery is timed by this change, not by the next tick.
  if (carrier_changed && !m_round_running) {
    m_timer->cancel();
    schedule_round(std::chrono::milliseconds(0));
  }
}

std::vector<ProbeTarget> NetworkTask::round_targets(bool with_http) {
  std::vector<ProbeTarget> out;
  const auto& p = m_ctx->config.probes;
  auto route = m_reader.default_route();
  m_route_interface = route ? route->interface : "";
  note_route(m_route_interface);
  std::string gateway = p.gateway == "auto" ? (route ? route->gateway : "") : p.gateway;
  m_round_gateway = gateway;
  if (!gateway.empty()) {
    ProbeTarget t;
    t.uri = "icmp://" + gateway;
    t.kind = ProbeKind::icmp;
    t.layer = Layer::gateway;
    t.host = gateway;
    out.push_back(t);
  }
  for (const auto& t : m_static_targets)
    if (t.kind != ProbeKind::http || with_http) out.push_back(t);
  std::string resolver = p.dns.resolver;
  if (resolver == "auto") {
    auto system = m_reader.system_resolvers();
    resolver = system.empty() ? "" : system.front();
  }
  if (!resolver.empty() && !p.dns.name.empty()) {
    ProbeTarget t;
    t.kind = ProbeKind::dns;
    t.layer = Layer::dns;
    t.host = resolver;
    t.port = m_dns_port;
    t.uri = "dns://" + (resolver.find(':') != std::string::npos ? "[" + resolver + "]" : resolver) +
            (m_dns_port != 53 ? ":" + std::to_string(m_dns_port) : "");
    out.push_back(t);
  }
  return out;
}

void NetworkTask::start_round() {
  if (m_stopped) return;
  const auto& clock = m_ctx->clock;
  m_round_utc = clock.utc_now();
  m_round_mono = clock.mono_now();
  poll_links(m_round_utc);
  // Through a proxy, HTTP(S) is the only way out: probed every round, and it decides the round.
  bool with_http = m_proxy_mode || !m_http_ever || m_round_mono - m_last_http >= k_http_every;
  m_round_targets = round_targets(with_http);
  if (with_http) {
    m_http_ever = true;
    m_last_http = m_round_mono;
  }
  m_round_results.assign(m_round_targets.size(), std::nullopt);
  m_round_running = true;
  const auto id = ++m_round_id;
  m_round_flaps_at_start = m_links.flaps_total(m_route_interface);
  m_round_arp.reset();
  m_round_patience_over = false;
  if (m_resolver_silent) {
    // The resolver stayed silent through its whole patience last time: this round waits only
    // probes.timeout_ms for it (the query itself still runs to probes.slow_ms, and an answer
    // then gives the next round its full patience again). Otherwise a dead resolver would
    // stretch every round to slow_ms and a short DNS outage would never reach down_after.
    m_patience_timer->expires_after(std::chrono::milliseconds(m_ctx->config.probes.timeout_ms));
    m_patience_timer->async_wait([this, alive = m_alive, id](boost::system::error_code ec) {
      if (ec || !*alive || id != m_round_id) return;
      m_round_patience_over = true;
      maybe_finish_round(id);
    });
  }
  m_round_arp_pending = !m_round_gateway.empty() && !m_route_interface.empty();
  if (m_round_arp_pending)
    m_neighbor->probe(m_route_interface, m_round_gateway, m_ctx->config.probes.timeout_ms, k_attempts,
                      [this, alive = m_alive, id](NeighborResult r) {
                        if (*alive) arp_done(id, std::move(r));
                      });
  for (std::size_t i = 0; i < m_round_targets.size(); ++i) {
    m_prober->probe(m_round_targets[i],
                    [this, alive = m_alive, id, i, target = m_round_targets[i], at = m_round_utc](ProbeSample s) {
                      if (!*alive) return;
                      if (target.kind == ProbeKind::dns) m_resolver_silent = !s.ok;
                      if (id == m_round_id && m_round_running)
                        probe_done(id, i, std::move(s));
                      else
                        emit_minutes(m_stats->add(target, s, at));  // a late HTTP answer still counts in its minute
                    });
  }
  maybe_finish_round(id);
}

void NetworkTask::probe_done(std::uint64_t round_id, std::size_t index, ProbeSample sample) {
  if (index < m_round_results.size()) m_round_results[index] = std::move(sample);
  maybe_finish_round(round_id);
}

void NetworkTask::arp_done(std::uint64_t round_id, NeighborResult result) {
  if (round_id != m_round_id || !m_round_running) return;
  m_round_arp = std::move(result);
  m_round_arp_pending = false;
  maybe_finish_round(round_id);
}

void NetworkTask::maybe_finish_round(std::uint64_t round_id) {
  if (round_id != m_round_id || !m_round_running) return;
  if (m_round_arp_pending) return;
  bool dns_pending = false;
  bool internet_answered = false;
  for (std::size_t i = 0; i < m_round_targets.size(); ++i) {
    const auto& t = m_round_targets[i];
    if (t.kind == ProbeKind::http && !m_proxy_mode) continue;  // HTTP holds a round only through a proxy
    if (!m_round_results[i]) {
      if (t.kind != ProbeKind::dns) return;
      dns_pending = true;
      continue;
    }
    // A refusal may be a first-hop firewall's: it does not show the internet answers.
    internet_answered =
        internet_answered || (t.layer == Layer::internet && m_round_results[i]->ok && !m_round_results[i]->refused);
  }
  // A resolver may answer late (slow, not dead): wait for it up to probes.slow_ms, but only when
  // the internet answers; otherwise the internet layer decides and a late answer is not needed.
  if (dns_pending && internet_answered && !m_round_patience_over) return;
  m_round_running = false;
  m_patience_timer->cancel();
  finish_round();
}

void NetworkTask::note_route(const std::string& interface) {
  if (!interface.empty() && !m_last_route_interface.empty() && interface != m_last_route_interface) {
    // The default route moved to another interface: a failover, not an outage.
    auto ev = link_event_payload(LinkSnapshot{}, "route_failover", m_ctx->clock.utc_now());
    ev["interface"] = interface;
    ev["from_interface"] = m_last_route_interface;
    emit(rt::link_event, ev);
    logger()->info("the default route moved from {} to {}", m_last_route_interface, interface);
  }
  if (!interface.empty()) m_last_route_interface = interface;
}

// While an outage is open, the end of its latest round is kept as a store draft (one small write
// a round, only then), so a crash or power cut ends the outage at its last observed round
// (agent/daemon.cpp) instead of at the last coverage draft, up to a minute earlier.
void NetworkTask::keep_observation(bool was_open) {
  if (!m_ctx->store) return;
  const auto& open = m_detector->open_outage();
  if (open) {
    const nlohmann::json p{{"id", open->id}, {"observed_until", to_rfc3339_ms(m_ctx->clock.utc_now())}};
    if (auto r = m_ctx->store->put_draft(agent::k_outage_observed_draft, rt::outage, m_ctx->clock.utc_now(), p); !r)
      logger()->warn("cannot keep the open outage's last observation: {}", r.error().message);
  } else if (was_open) {
    if (auto r = m_ctx->store->remove_draft(agent::k_outage_observed_draft); !r)
      logger()->warn("{}", r.error().message);
  }
}

void NetworkTask::load_memory() {
  if (!m_ctx->store) return;
  auto drafts = m_ctx->store->drafts();
  if (!drafts) {
    logger()->warn("cannot read the targets known from earlier runs: {}", drafts.error().message);
    return;
  }
  for (const auto& d : drafts.value())
    if (d.key == k_memory_draft) m_memory = ResponderMemory::from_json(d.payload);
}

std::string NetworkTask::memory_gateway() const {
  return (m_proxy_mode ? "proxy " : "") + m_round_gateway;
}

bool NetworkTask::known_good(const std::string& target, UtcTime now) const {
  return m_known_good.count(target) > 0 || m_memory.known(memory_gateway(), target, now);
}

void NetworkTask::proven(const std::string& target, UtcTime now) {
  m_known_good.insert(target);
  remember(target, now);
}

void NetworkTask::remember(const std::string& target, UtcTime now) {
  if (!m_memory.note(memory_gateway(), target, now) || !m_ctx->store) return;
  if (auto r = m_ctx->store->put_draft(k_memory_draft, k_memory_type, now, m_memory.to_json()); !r)
    logger()->warn("cannot keep the targets known good: {}", r.error().message);
}

// What this round proves, per layer (cause_rules.hpp), with the evidence the outage keeps.
RoundFacts NetworkTask::round_facts(nlohmann::json& evidence) {
  RoundFacts f;
  const auto now = m_ctx->clock.utc_now();
  const auto links = m_links.current();
  // Link: the carrier of the interface that carries the default route; another NIC's carrier
  // does not count. A carrier loss during the round counts even if it came back before the end.
  f.lan.has_route = !m_route_interface.empty();
  if (auto it = links.find(m_route_interface); it != links.end()) {
    f.route_link_up = it->second.carrier && m_links.flaps_total(m_route_interface) == m_round_flaps_at_start;
  } else if (!f.lan.has_route) {
    f.route_link_up = std::any_of(links.begin(), links.end(), [](const auto& l) { return l.second.carrier; });
  }
  nlohmann::json gateway = nlohmann::json::object();
  if (!m_round_gateway.empty()) {
    gateway["address"] = m_round_gateway;
    const bool echo_known = m_echo_known.count(m_round_gateway) > 0 || known_good(k_gateway_echo, now);
    gateway["echo_known"] = echo_known;
    f.lan.gateway_echo_known = echo_known;
  }
  if (m_round_arp) {
    f.lan.gateway_l2 = m_round_arp->answered;
    gateway["arp"] = m_round_arp->answered ? nlohmann::json(*m_round_arp->answered) : nlohmann::json(nullptr);
    if (m_round_arp->answered.value_or(false)) {
      gateway["arp_rtt_ms"] = std::round(m_round_arp->rtt_ms * 100) / 100;
      m_gateway_rtt_ms = m_round_arp->rtt_ms;
    } else if (!m_round_arp->answered) {
      gateway["arp_detail"] = m_round_arp->detail;
    }
  }
  nlohmann::json internet = nlohmann::json::array();
  for (std::size_t i = 0; i < m_round_targets.size(); ++i) {
    const auto& t = m_round_targets[i];
    if (!m_round_results[i]) continue;
    const auto& s = *m_round_results[i];
    switch (t.layer) {
      case Layer::gateway:
        f.lan.gateway_echo = s.ok;
        gateway["echo"] = s.ok;
        if (s.ok) {
          m_gateway_rtt_ms = s.rtt_ms;
          m_echo_known.insert(m_round_gateway);
          remember(k_gateway_echo, now);
        }
        break;
      case Layer::lan:
        if (s.ok)
          ++f.lan.lan_answered;
        else if (known_good(t.uri, now))
          ++f.lan.lan_silent_known;
        if (s.ok) proven(t.uri, now);
        break;
      case Layer::internet: {
        InternetProbe p;
        p.target = t.uri;
        p.network = network_key(t.host);
        p.known_good = known_good(t.uri, now);
        const bool known_from_earlier_run = p.known_good && m_known_good.count(t.uri) == 0;
        if (s.ok && !s.refused)
          p.outcome = TargetOutcome::answered;
        else if (s.ok)
          p.outcome =
              refusal_from_beyond(s.rtt_ms, m_gateway_rtt_ms) ? TargetOutcome::answered : TargetOutcome::answered_near;
        if (p.outcome == TargetOutcome::answered) proven(t.uri, now);
        const char* outcome = p.outcome == TargetOutcome::answered        ? "answered"
                              : p.outcome == TargetOutcome::answered_near ? "refused_near"
                                                                          : "failed";
        nlohmann::json row{
            {"target", t.uri}, {"network", p.network}, {"outcome", outcome}, {"known_good", p.known_good}};
        if (known_from_earlier_run) row["known_from_earlier_run"] = true;
        if (s.refused) {
          row["refusal_rtt_ms"] = std::round(s.rtt_ms * 100) / 100;
          row["gateway_rtt_ms"] =
              m_gateway_rtt_ms ? nlohmann::json(std::round(*m_gateway_rtt_ms * 100) / 100) : nlohmann::json(nullptr);
        }
        internet.push_back(row);
        f.internet.push_back(std::move(p));
        break;
      }
      case Layer::dns:
        f.dns_ok = s.ok;
        if (s.slow) evidence["dns_slow_ms"] = std::round(s.rtt_ms);
        break;
    }
  }
  const bool asked_resolver = std::any_of(m_round_targets.begin(), m_round_targets.end(),
                                          [](const ProbeTarget& t) { return t.kind == ProbeKind::dns; });
  if (m_round_patience_over && asked_resolver && !f.dns_ok) {
    // Silent last time through probes.slow_ms and silent again through probes.timeout_ms.
    f.dns_ok = false;
    evidence["dns_waited_ms"] = m_ctx->config.probes.timeout_ms;
  }
  evidence["gateway"] = gateway;
  evidence["internet"] = internet;
  return f;
}

void NetworkTask::finish_round() {
  ++m_rounds;
  RoundResult round;
  round.utc = m_round_utc;
  round.mono = m_round_mono;
  round.interface = m_route_interface;
  nlohmann::json carrier = nlohmann::json::object();
  for (const auto& [name, s] : m_links.current()) {
    carrier[name] = s.carrier;
    if (round.interface.empty() && s.carrier) round.interface = name;
  }
  nlohmann::json evidence = nlohmann::json::object();
  round.facts = round_facts(evidence);
  // A round that waited for a late resolver saw the path work only when the answer came: an
  // outage it closes ends then, not when the round began (a failed round keeps its start).
  if (evidence.contains("dns_slow_ms") && !classify(round.facts).cause) {
    round.utc = m_ctx->clock.utc_now();
    round.mono = m_ctx->clock.mono_now();
  }
  nlohmann::json failed = nlohmann::json::array();
  for (std::size_t i = 0; i < m_round_targets.size(); ++i) {
    const auto& t = m_round_targets[i];
    if (!m_round_results[i]) continue;  // HTTP (or a late resolver) still running: not part of this round
    const auto& s = *m_round_results[i];
    if (!s.ok) failed.push_back({{"target", t.uri}, {"layer", layer_name(t.layer)}, {"error", s.error}});
    emit_minutes(m_stats->add(t, s, m_round_utc));
  }
  const Verdict verdict = classify(round.facts);
  nlohmann::json link = nlohmann::json::object();
  if (auto it = m_links.current(); it.count(round.interface)) {
    const auto& s = it.at(round.interface);
    link = {{"interface", s.interface},
            {"carrier", s.carrier},
            {"speed_mbps", s.speed_mbps ? nlohmann::json(*s.speed_mbps) : nullptr},
            {"rx_errors_total", s.counters.rx_errors},
            {"rx_crc_errors_total",
             s.counters.rx_crc_errors ? nlohmann::json(*s.counters.rx_crc_errors) : nlohmann::json(nullptr)},
            {"flaps_total", m_links.flaps_total(s.interface)}};
  }
  evidence.update({{"at", to_rfc3339_ms(m_round_utc)},
                   {"failed_probes", failed},
                   {"carrier", carrier},
                   {"link", link},
                   {"rule", verdict.rule}});
  round.evidence = std::move(evidence);
  const bool was_open = m_detector->open_outage().has_value();
  auto change = m_detector->feed(round, clock_synchronized());
  for (const auto& rec : m_blips.roll(m_round_utc)) emit(rt::blip_minute, rec);
  if (auto blip = m_detector->take_blip()) {
    for (const auto& rec : m_blips.add(*blip)) emit(rt::blip_minute, rec);
    logger()->info("short drop ({}, {} round(s)) below probes.down_after", cause_name(blip->cause), blip->rounds);
  }
  // A minute that overlaps an outage is not "degraded"; single failed rounds do not count.
  if (was_open || m_detector->open_outage()) m_stats->mark_failing();
  if (change) {
    emit(rt::outage, outage_record(*change, *m_detector, m_ctx->config.probes.interval_s));
    if (change->end_utc) {
      logger()->info("outage {} ({}) ended after {:.1f} s", change->id, cause_name(change->cause), change->duration_s);
      if (m_on_recovery) m_on_recovery();
    } else {
      ++m_outages;
      logger()->warn("outage {} started: {}", change->id, cause_name(change->cause));
    }
  }
  keep_observation(was_open);
  // Next round one interval (jittered by +-10%) after this one started.
  const auto interval = std::chrono::milliseconds(m_ctx->config.probes.interval_s * 1000);
  std::uniform_int_distribution<long> jitter(-interval.count() / 10, interval.count() / 10);
  auto next = m_round_mono + interval + std::chrono::milliseconds(jitter(m_rng));
  auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(next - m_ctx->clock.mono_now());
  schedule_round(std::max(delay, std::chrono::milliseconds(0)));
}

}  // namespace itsa::network
