#pragma once
// The daemon task that watches links and probes connectivity: link_event, link_minute,
// probe_minute, outage (emitted open at once, re-emitted closed) and degraded records,
// all through the EvidenceSink, all on the daemon's io_context.
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "agent/tasks/task.hpp"
#include "collectors/network/blip_counter.hpp"
#include "collectors/network/link_reader.hpp"
#include "collectors/network/link_tracker.hpp"
#include "collectors/network/link_watch.hpp"
#include "collectors/network/neighbor_prober.hpp"
#include "collectors/network/outage_detector.hpp"
#include "collectors/network/probe_stats.hpp"
#include "collectors/network/probe_target.hpp"
#include "collectors/network/prober.hpp"
#include "collectors/network/responder_memory.hpp"

namespace itsa::network {

class NetworkTask final : public agent::DaemonTask {
 public:
  /// `reader` points at the live /sys, /proc, /etc (or fixture trees); `on_recovery` runs
  /// when an outage closes (the uploader's nudge), may be empty; `dns_port` is 53 but for tests.
  explicit NetworkTask(LinkReader reader = LinkReader{}, std::function<void()> on_recovery = {}, int dns_port = 53);
  ~NetworkTask() override;
  std::string name() const override { return "network"; }
  void start(agent::TaskContext& ctx) override;
  void stop(std::string_view reason) override;
  nlohmann::json status() const override;

 private:
  void schedule_round(std::chrono::milliseconds delay);
  void start_round();
  void probe_done(std::uint64_t round_id, std::size_t index, ProbeSample sample);
  void maybe_finish_round(std::uint64_t round_id);
  void finish_round();
  void poll_links(UtcTime now);
  void load_memory();
  void keep_observation(bool was_open);
  /// Known good: answered in this run, or through the same gateway in an earlier one (responder_memory.hpp).
  bool known_good(const std::string& target, UtcTime now) const;
  /// Notes a proven answer of `target` in this run and in the saved memory.
  void proven(const std::string& target, UtcTime now);
  /// Saves a proven answer in the memory of earlier runs (a store draft, at most hourly per target).
  void remember(const std::string& target, UtcTime now);
  std::string memory_gateway() const;
  void on_link_change(const LinkChange& change);
  std::vector<ProbeTarget> round_targets(bool with_http);
  void emit(const std::string& type, const nlohmann::json& payload);
  void emit_minutes(const MinuteRecords& records);
  void arp_done(std::uint64_t round_id, NeighborResult result);
  RoundFacts round_facts(nlohmann::json& evidence);
  void note_route(const std::string& interface);

  LinkReader m_reader;
  agent::TaskContext* m_ctx = nullptr;
  std::unique_ptr<Prober> m_prober;
  std::unique_ptr<NeighborProber> m_neighbor;  ///< ARP to the gateway (layer 2)
  std::unique_ptr<LinkWatch> m_watch;
  std::unique_ptr<boost::asio::steady_timer> m_timer;
  std::unique_ptr<boost::asio::steady_timer> m_patience_timer;  ///< ends a round's wait for a silent resolver
  std::optional<OutageDetector> m_detector;
  std::optional<ProbeStats> m_stats;
  BlipCounter m_blips;
  LinkTracker m_links;
  std::vector<ProbeTarget> m_static_targets;  ///< configured lan/internet targets
  std::mt19937 m_rng{std::random_device{}()};
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
  std::function<void()> m_on_recovery;
  bool m_stopped = false;
  int m_dns_port = 53;

  // The round in flight.
  std::uint64_t m_round_id = 0;
  bool m_round_running = false;
  std::vector<ProbeTarget> m_round_targets;
  std::vector<std::optional<ProbeSample>> m_round_results;
  UtcTime m_round_utc{};
  MonoTime m_round_mono{};
  MonoTime m_last_http{};
  bool m_http_ever = false;
  bool m_proxy_mode = false;  ///< HTTP(S) goes through a proxy: it is probed every round and holds it
  std::string m_route_interface;
  std::string m_round_gateway;                ///< gateway of the round in flight ("" = none)
  bool m_round_arp_pending = false;           ///< its ARP request not answered yet
  std::optional<NeighborResult> m_round_arp;  ///< its ARP result
  bool m_resolver_silent = false;             ///< the last resolver query ended unanswered after probes.slow_ms
  bool m_round_patience_over = false;         ///< this round waited probes.timeout_ms for a resolver known silent
  int m_round_flaps_at_start = 0;             ///< route interface's carrier losses when the round began
  std::string m_last_route_interface;         ///< for route_failover events
  std::set<std::string> m_echo_known;         ///< gateways that answered echo in this run
  std::set<std::string> m_known_good;         ///< targets that gave a proven answer in this run
  ResponderMemory m_memory;                   ///< proven answers of earlier runs too (a store draft)
  std::optional<double> m_gateway_rtt_ms;     ///< latest gateway RTT (echo or ARP), for refusal provenance
  std::uint64_t m_rounds = 0;
  std::uint64_t m_outages = 0;
};

}  // namespace itsa::network
