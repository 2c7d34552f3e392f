// itsa-agent report: the evidence report for this one PC from its local store, no server
// needed (same sections as itsa-server report; docs/report.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "agent/commands/registry.hpp"
#include "assess/assess.hpp"
#include "common/time_format.hpp"
#include "config/agent_config.hpp"
#include "protocol/record_types.hpp"
#include "report/compute.hpp"
#include "report/office_hours.hpp"
#include "report/render.hpp"
#include "store/evidence_store.hpp"

namespace rt = itsa::protocol::record_type;

namespace itsa::agent {

namespace {

/// Options of `report`.
struct AgentReportOptions {
  std::string config_file;  ///< agent config
  std::string from;         ///< first day (default: 29 days before --to)
  std::string to;           ///< last day (default: today, local time)
  std::string hours = "office";
  std::string lang = "vi";
  std::string format = "html";
  std::string out;           ///< file (html/json; default stdout) or directory (csv)
  std::string office_hours;  ///< working windows
  std::string profile;       ///< re-assess under this profile
};

/// Every record type the report reads.
/// Enough for 90 days of per-minute records of several targets.
constexpr std::size_t k_max_records_per_type = 4'000'000;

int fail(const std::string& message, int code) {
  std::cerr << "itsa-agent report: " << message << "\n";
  return code;
}

int run_report(const AgentReportOptions& o) {
  auto loaded = config::load_agent_config(o.config_file);
  if (!loaded) return fail(loaded.error().message, k_exit_invalid_config);

  report::ReportOptions options;
  auto hours = report::parse_hours(o.hours);
  if (!hours) return fail(hours.error().message, k_exit_invalid_config);
  auto lang = report::parse_lang(o.lang);
  if (!lang) return fail(lang.error().message, k_exit_invalid_config);
  if (!o.office_hours.empty()) {
    auto windows = report::parse_windows(o.office_hours);
    if (!windows) return fail("--office-hours: " + windows.error().message, k_exit_invalid_config);
    options.schedule.windows = windows.value();
  }
  if (!o.profile.empty()) {
    if (auto profile = collectors::load_profile(o.profile); !profile)
      return fail("--profile: " + profile.error().message, k_exit_invalid_config);
    options.profile = o.profile;
  }
  options.hours = hours.value();
  options.lang = lang.value();
  options.generated_at = SystemClock::instance().utc_now();
  const long long today = report::local_day(options.schedule, to_unix_ms(options.generated_at));
  options.to_date = o.to.empty() ? report::format_date(today) : o.to;
  if (o.from.empty()) {
    auto to_day = report::parse_date(options.to_date, "--to");
    if (!to_day) return fail(to_day.error().message, k_exit_invalid_config);
    options.from_date = report::format_date(to_day.value() - 29);
  } else {
    options.from_date = o.from;
  }
  auto period = report::period_ms(options);
  if (!period) return fail(period.error().message, k_exit_invalid_config);
  if (options.profile) {
    const std::string as_of = options.to_date;
    options.assessor = [as_of](const nlohmann::json& inventory,
                               const std::string& name) -> std::optional<nlohmann::json> {
      auto profile_doc = collectors::load_profile(name);
      if (!profile_doc) return std::nullopt;
      return collectors::assess(inventory, profile_doc.value(), as_of);
    };
  }
  if (o.format == "csv" && o.out.empty())
    return fail("--format csv writes one file per table: give --out DIR", k_exit_invalid_config);

  store::StoreOptions so;
  so.data_dir = loaded.value().data_dir;
  so.read_only = true;
  auto opened = store::EvidenceStore::open(so);
  if (!opened) return fail(opened.error().message, k_exit_failure);
  store::EvidenceStore& st = *opened.value();

  report::MachineInput m;
  m.agent_id = st.agent_id();
  for (const char* type : {rt::inventory, rt::assessment}) {
    auto latest = st.latest(type);
    if (!latest) return fail(latest.error().message, k_exit_failure);
    if (latest.value() && latest.value()->payload.is_object()) {
      (std::string(type) == rt::inventory ? m.inventory : m.assessment) = latest.value()->payload;
    }
  }
  m.hostname = m.inventory ? m.inventory->value("hostname", std::string()) : std::string();
  if (m.hostname.empty()) m.hostname = options.lang == report::Lang::vi ? "Máy này" : "This PC";
  m.agent_version = m.inventory ? m.inventory->value("agent_version", std::string()) : std::string();
  const UtcTime since = from_unix_ms(period.value().first);
  for (const std::string_view type : protocol::report_types) {
    auto records = st.query(std::string(type), since, k_max_records_per_type);
    if (!records) return fail(records.error().message, k_exit_failure);
    for (auto& r : records.value()) {
      if (r.agent_id != m.agent_id) continue;  // records of an earlier agent_id (cloned disk) are not this PC's
      report::add_record(m.records, {r.type, r.time, static_cast<long long>(r.seq), r.boot_id, std::move(r.payload)});
    }
  }
  report::ReportInput input;
  input.machines.push_back(std::move(m));
  auto computed = report::compute_report(input, options);
  if (!computed) return fail(computed.error().message, k_exit_invalid_config);

  if (o.format == "csv") {
    auto written = report::write_csv_dir(computed.value(), o.out);
    if (!written) return fail(written.error().message, k_exit_failure);
    for (const auto& p : written.value()) std::cout << p << "\n";
    return k_exit_ok;
  }
  const std::string text =
      o.format == "json" ? report::render_json(computed.value()) : report::render_html(computed.value());
  if (o.out.empty()) {
    std::cout << text;
    return std::cout ? k_exit_ok : k_exit_failure;
  }
  std::ofstream f(std::filesystem::path(std::u8string(o.out.begin(), o.out.end())), std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  return f ? k_exit_ok : fail("cannot write " + o.out, k_exit_failure);
}

}  // namespace

void register_report(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<AgentReportOptions>();
  auto* cmd = app.add_subcommand("report", "The evidence report for this PC from its local store (no server needed)");
  cmd->add_option("--config", o->config_file, "Agent config file")->required();
  cmd->add_option("--from", o->from, "First day YYYY-MM-DD (default: 29 days before --to)");
  cmd->add_option("--to", o->to, "Last day YYYY-MM-DD (default: today)");
  cmd->add_option("--hours", o->hours, "office (default) or all");
  cmd->add_option("--lang", o->lang, "vi (default) or en");
  cmd->add_option("--format", o->format, "html (default), json or csv")->check(CLI::IsMember({"html", "json", "csv"}));
  cmd->add_option("--out", o->out, "Output file (html, json; default stdout) or directory (csv, required)");
  cmd->add_option("--profile", o->profile, "Verdict for this profile (default: the latest assessment)");
  cmd->add_option("--office-hours", o->office_hours,
                  "Working windows (default 07:30-11:30,13:30-17:00, Mon-Fri, UTC+7)");
  cmd->callback([o, &result] { result.exit_code = run_report(*o); });
}

}  // namespace itsa::agent
