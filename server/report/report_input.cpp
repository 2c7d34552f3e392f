#include "server/report/report_input.hpp"

#include <filesystem>
#include <map>
#include <set>

#include "assess/assess.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "report/compute.hpp"
#include "report/day_digest.hpp"
#include "report/office_hours.hpp"
#include "report/settings.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::server {

namespace {

/// Records made after the period still matter: the closing re-emission of an outage or a
/// coverage span that started inside it. One day of slack covers the agent's re-emit cadence;
/// one day before it, records stamped before their minutes (a clock corrected backwards). The
/// day digests read the same slack around each day (report::day_record_range).
constexpr long long k_after_period_ms = 24LL * 3600 * 1000;
constexpr long long k_before_period_ms = 24LL * 3600 * 1000;

}  // namespace

namespace {

/// The machines in scope with their latest inventory and assessment; `index` maps agent ids.
Result<report::ReportInput> machines_in_scope(Storage& storage, const InputFilter& filter,
                                              std::map<std::string, std::size_t>& index) {
  const std::optional<std::string>& site = filter.site;
  auto agents = storage.agents();
  if (!agents) return agents.error();
  report::ReportInput input;
  for (const AgentRow& a : agents.value()) {
    if (site && a.site != *site) continue;
    if (filter.agency && a.agency != *filter.agency) continue;
    if (filter.agent_id && a.agent_id != *filter.agent_id) continue;
    report::MachineInput m;
    m.agent_id = a.agent_id;
    m.hostname = a.hostname;
    m.site = a.site;
    m.agency = a.agency;
    m.agent_version = a.agent_version;
    index[a.agent_id] = input.machines.size();
    input.machines.push_back(std::move(m));
  }
  for (const char* type : {rt::inventory, rt::assessment}) {
    if (!filter.latest) break;
    auto latest = storage.latest_of_type(type);
    if (!latest) return latest.error();
    for (const StoredRecord& r : latest.value()) {
      const auto it = index.find(r.agent_id);
      if (it == index.end()) continue;
      auto doc = nlohmann::json::parse(r.payload_json, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) continue;
      (std::string(type) == rt::inventory ? input.machines[it->second].inventory
                                          : input.machines[it->second].assessment) = std::move(doc);
    }
  }
  return input;
}

report::Record to_report_record(const StoredRecord& r) {
  report::Record rec;
  rec.type = r.type;
  rec.time = from_unix_ms(r.time_ms);
  rec.seq = r.seq;
  rec.boot_id = r.boot_id;
  rec.payload = nlohmann::json::parse(r.payload_json, nullptr, false);
  return rec;
}

constexpr long long k_day_ms = 86'400'000;

/// Each machine's digest for the options' period from its stored day digests; a day whose
/// digest is missing or stale (a record of its days arrived since) is computed from its records
/// and stored (issue 15). One machine's records of its stale days in memory at a time.
Result<report::ReportInput> load_digested(Storage& storage, const InputFilter& filter,
                                          const report::ReportOptions& options) {
  std::map<std::string, std::size_t> index;
  auto scoped = machines_in_scope(storage, filter, index);
  if (!scoped) return scoped.error();
  report::ReportInput& input = scoped.value();
  auto days = report::period_days(options);
  if (!days) return days.error();
  const auto [first_day, last_day] = days.value();
  const auto utc_days_of = [&](long long day) {
    const auto [lo, hi] = report::day_record_range(options.schedule, day);
    return std::pair{lo / k_day_ms, (hi - 1) / k_day_ms};
  };
  // Generations first: a digest stored later than this reading is at worst recomputed.
  auto gens = storage.day_gens(utc_days_of(first_day).first, utc_days_of(last_day).second);
  if (!gens) return gens.error();
  std::map<std::string, std::map<long long, long long>> gen_of;  // agent -> utc day -> gen
  for (const DayGenRow& g : gens.value())
    if (index.contains(g.agent_id)) gen_of[g.agent_id][g.utc_day] = g.gen;
  // The token a day's digest must carry (the sum of its UTC days' generations); nullopt: no records.
  const auto token_of = [&](const std::string& agent, long long day) -> std::optional<long long> {
    const auto it = gen_of.find(agent);
    if (it == gen_of.end()) return std::nullopt;
    const auto [lo, hi] = utc_days_of(day);
    std::optional<long long> token;
    for (auto g = it->second.lower_bound(lo); g != it->second.end() && g->first <= hi; ++g)
      token = token.value_or(0) + g->second;
    return token;
  };
  // Digests of some record types only (the UI's network views) are kept apart.
  std::string key = report::digest_key(options);
  for (const std::string& type : filter.types) key += "|" + type;
  std::vector<report::DayDigestMerger> mergers(input.machines.size());
  std::vector<DayDigestRow> computed;  // written a few hundred at a time, one transaction each
  const auto flush = [&]() -> Result<void> {
    auto r = storage.put_day_digests(computed, key);
    computed.clear();
    return r;
  };
  std::vector<std::set<long long>> fresh(input.machines.size());
  std::optional<Error> failed;
  auto read = storage.day_digests(key, first_day, last_day, [&](const DayDigestRow& row) {
    const auto it = index.find(row.agent_id);
    if (it == index.end() || token_of(row.agent_id, row.day) != row.token) return true;
    if (auto r = mergers[it->second].add(row.digest, input.machines[it->second].hostname); !r) {
      failed = r.error();
      return false;
    }
    fresh[it->second].insert(row.day);
    return true;
  });
  if (!read) return read.error();
  if (failed) return *failed;
  for (std::size_t m = 0; m < input.machines.size(); ++m) {
    if (filter.cancelled && filter.cancelled()) return Error{"day digests: stopped"};
    report::MachineInput& machine = input.machines[m];
    std::vector<std::pair<long long, long long>> stale;  // (day, token)
    for (long long day = first_day; day <= last_day; ++day) {
      if (fresh[m].contains(day)) continue;
      if (const auto token = token_of(machine.agent_id, day)) stale.emplace_back(day, *token);
    }
    if (!stale.empty()) {
      RecordQuery q;
      q.agent_ids = {machine.agent_id};
      if (filter.types.empty()) {
        q.types.assign(protocol::report_types.begin(), protocol::report_types.end());
      } else {
        q.types = filter.types;
      }
      q.from_ms = report::day_record_range(options.schedule, stale.front().first).first;
      q.to_ms = report::day_record_range(options.schedule, stale.back().first).second;
      std::vector<report::Record> records;
      auto visited = storage.records(q, [&](const StoredRecord& r) {
        report::Record rec = to_report_record(r);
        if (rec.payload.is_object()) records.push_back(std::move(rec));  // ingest validated it
        return true;
      });
      if (!visited) return visited.error();
      for (const auto& [day, token] : stale) {
        const auto [lo, hi] = report::day_record_range(options.schedule, day);
        report::MachineInput part;
        part.agent_id = machine.agent_id;
        part.hostname = machine.hostname;
        part.site = machine.site;
        for (const report::Record& r : records) {
          const long long at = to_unix_ms(r.time);
          if (at >= lo && at < hi) part.records.push_back(r);
        }
        auto digest = report::digest_day(part, day, options);
        if (!digest) return digest.error();
        if (auto r = mergers[m].add(digest.value(), machine.hostname); !r) return r.error();
        computed.push_back({machine.agent_id, day, token, std::move(digest.value())});
      }
    }
    if (auto r = mergers[m].finish(machine, options); !r) return r.error();
    if (computed.size() >= 500)
      if (auto r = flush(); !r) return r.error();
  }
  if (auto r = flush(); !r) return r.error();
  return std::move(input);
}

/// Every record of the machines in scope, held at once (the reference the digests are tested against).
Result<report::ReportInput> load_raw(Storage& storage, long long from_ms, long long to_ms, const InputFilter& filter) {
  std::map<std::string, std::size_t> index;
  auto scoped = machines_in_scope(storage, filter, index);
  if (!scoped) return scoped.error();
  report::ReportInput& input = scoped.value();
  RecordQuery q;
  if (filter.site) q.site = *filter.site;
  if (filter.agent_id) {
    q.agent_ids = {*filter.agent_id};
  } else if (filter.agency) {
    for (const auto& m : input.machines) q.agent_ids.push_back(m.agent_id);
    if (q.agent_ids.empty()) return std::move(input);  // no machine: an empty list would read every agent
  }
  if (filter.types.empty()) {
    q.types.assign(protocol::report_types.begin(), protocol::report_types.end());
  } else {
    q.types = filter.types;
  }
  q.from_ms = from_ms - k_before_period_ms;
  q.to_ms = to_ms + k_after_period_ms;
  auto visited = storage.records(q, [&](const StoredRecord& r) {
    const auto it = index.find(r.agent_id);
    if (it == index.end()) return true;
    report::Record rec = to_report_record(r);
    if (rec.payload.is_discarded() || !rec.payload.is_object())
      return true;  // ingest validated it; never crash on one record
    report::add_record(input.machines[it->second].records, std::move(rec));
    return true;
  });
  if (!visited) return visited.error();
  return std::move(input);
}

}  // namespace

Result<report::ReportInput> load_report_input(Storage& storage, long long from_ms, long long to_ms,
                                              const std::optional<std::string>& site,
                                              const report::ReportOptions* reduce_for) {
  InputFilter filter;
  filter.site = site;
  if (reduce_for) return load_digested(storage, filter, *reduce_for);
  return load_raw(storage, from_ms, to_ms, filter);
}

Result<report::ReportInput> load_report_input(Storage& storage, const InputFilter& filter,
                                              const report::ReportOptions& reduce_for) {
  return load_digested(storage, filter, reduce_for);
}

report::ReportOptions recent_days_options(const report::OfficeSchedule& schedule, long long now_ms, int days) {
  report::ReportOptions o;
  o.schedule = schedule;
  o.hours = report::HoursMode::all;
  o.generated_at = from_unix_ms(now_ms);
  const long long today = report::local_day(schedule, now_ms);
  o.from_date = report::format_date(today - (days - 1));
  o.to_date = report::format_date(today);
  return o;
}

std::vector<std::string> observation_types() {
  return {rt::coverage, rt::outage, rt::lifecycle, rt::disk_health, rt::instability};
}

Result<nlohmann::json> observation_report(Storage& storage, long long now_ms, int days,
                                          const report::OfficeSchedule& schedule,
                                          const std::optional<std::string>& agent_id,
                                          const std::optional<std::string>& agency,
                                          const std::optional<std::string>& site) {
  const report::ReportOptions o = recent_days_options(schedule, now_ms, days);
  InputFilter filter;
  filter.agent_id = agent_id;
  filter.agency = agency;
  filter.site = site;
  filter.types = observation_types();
  auto input = load_report_input(storage, filter, o);
  if (!input) return input.error();
  return report::compute_report(input.value(), o);
}

Result<nlohmann::json> build_server_report(Storage& storage, const report::ReportOptions& options,
                                           const std::string& agency) {
  auto period = report::period_ms(options);
  if (!period) return period.error();
  InputFilter filter;
  filter.site = options.site;
  filter.agency = options.agency;
  auto input = load_report_input(storage, filter, options);
  if (!input) return input.error();
  input.value().agency = agency;
  return report::compute_report(input.value(), options);
}

report::Assessor profile_assessor(const std::string& today) {
  return [today](const nlohmann::json& inventory, const std::string& profile) -> std::optional<nlohmann::json> {
    auto loaded = collectors::load_profile(profile);
    if (!loaded) return std::nullopt;
    return collectors::assess(inventory, loaded.value(), today);
  };
}

std::string report_settings_file(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "report.json").string();
}

report::OfficeSchedule installation_schedule(const std::string& data_dir) {
  if (data_dir.empty()) return {};
  auto settings = report::load_settings_file(report_settings_file(data_dir));
  return settings ? settings.value().schedule : report::OfficeSchedule{};
}

}  // namespace itsa::server
