#include "server/report/report_input.hpp"

#include <filesystem>
#include <map>

#include "assess/assess.hpp"
#include "common/time_format.hpp"
#include "protocol/record_types.hpp"
#include "report/compute.hpp"
#include "report/office_hours.hpp"
#include "report/settings.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::server {

namespace {

/// Records made after the period still matter: the closing re-emission of an outage or a
/// coverage span that started inside it. One day of slack covers the agent's re-emit cadence.
constexpr long long k_after_period_ms = 24LL * 3600 * 1000;

}  // namespace

namespace {

Result<report::ReportInput> load_input(Storage& storage, long long from_ms, long long to_ms, const InputFilter& filter,
                                       const report::ReportOptions* reduce_for) {
  const std::optional<std::string>& site = filter.site;
  auto agents = storage.agents();
  if (!agents) return agents.error();
  report::ReportInput input;
  std::map<std::string, std::size_t> index;
  for (const AgentRow& a : agents.value()) {
    if (site && a.site != *site) continue;
    if (filter.agent_id && a.agent_id != *filter.agent_id) continue;
    report::MachineInput m;
    m.agent_id = a.agent_id;
    m.hostname = a.hostname;
    m.site = a.site;
    m.agent_version = a.agent_version;
    index[a.agent_id] = input.machines.size();
    input.machines.push_back(std::move(m));
  }
  for (const char* type : {rt::inventory, rt::assessment}) {
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
  RecordQuery q;
  if (site) q.site = *site;
  if (filter.agent_id) q.agent_ids = {*filter.agent_id};
  if (filter.types.empty()) {
    q.types.assign(protocol::report_types.begin(), protocol::report_types.end());
  } else {
    q.types = filter.types;
  }
  q.from_ms = from_ms;
  q.to_ms = to_ms + k_after_period_ms;
  // Records arrive ordered by agent: a machine's are complete when the next machine's begin.
  std::optional<std::size_t> reading;
  std::optional<Error> failed;
  const auto reduce = [&] {
    if (!reduce_for || !reading) return true;
    if (auto r = report::digest_records(input.machines[*reading], *reduce_for); !r) {
      failed = r.error();
      return false;
    }
    return true;
  };
  auto visited = storage.records(q, [&](const StoredRecord& r) {
    const auto it = index.find(r.agent_id);
    if (it == index.end()) return true;
    if (reading != it->second) {
      if (!reduce()) return false;
      reading = it->second;
    }
    report::Record rec;
    rec.type = r.type;
    rec.time = from_unix_ms(r.time_ms);
    rec.seq = r.seq;
    rec.boot_id = r.boot_id;
    rec.payload = nlohmann::json::parse(r.payload_json, nullptr, false);
    if (rec.payload.is_discarded() || !rec.payload.is_object())
      return true;  // ingest validated it; never crash on one record
    report::add_record(input.machines[it->second].records, std::move(rec));
    return true;
  });
  if (!visited) return visited.error();
  if (!failed) reduce();
  if (failed) return *failed;
  return input;
}

}  // namespace

Result<report::ReportInput> load_report_input(Storage& storage, long long from_ms, long long to_ms,
                                              const std::optional<std::string>& site,
                                              const report::ReportOptions* reduce_for) {
  InputFilter filter;
  filter.site = site;
  return load_input(storage, from_ms, to_ms, filter, reduce_for);
}

Result<report::ReportInput> load_report_input(Storage& storage, long long from_ms, long long to_ms,
                                              const InputFilter& filter, const report::ReportOptions& reduce_for) {
  return load_input(storage, from_ms, to_ms, filter, &reduce_for);
}

Result<nlohmann::json> observation_report(Storage& storage, long long now_ms, int days,
                                          const report::OfficeSchedule& schedule,
                                          const std::optional<std::string>& agent_id) {
  report::ReportOptions o;
  o.schedule = schedule;
  o.hours = report::HoursMode::all;
  o.generated_at = from_unix_ms(now_ms);
  const long long today = report::local_day(schedule, now_ms);
  o.from_date = report::format_date(today - (days - 1));
  o.to_date = report::format_date(today);
  auto period = report::period_ms(o);
  if (!period) return period.error();
  InputFilter filter;
  filter.agent_id = agent_id;
  filter.types = {rt::coverage, rt::outage, rt::lifecycle};
  auto input = load_report_input(storage, period.value().first, period.value().second, filter, o);
  if (!input) return input.error();
  return report::compute_report(input.value(), o);
}

Result<nlohmann::json> build_server_report(Storage& storage, const report::ReportOptions& options,
                                           const std::string& agency) {
  auto period = report::period_ms(options);
  if (!period) return period.error();
  auto input = load_report_input(storage, period.value().first, period.value().second, options.site, &options);
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
