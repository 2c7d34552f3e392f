// itsa-server report: the evidence report for a period as HTML, JSON or CSV (docs/report.md).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "assess/assess.hpp"
#include "common/clock.hpp"
#include "report/render.hpp"
#include "report/settings.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"
#include "server/report/report_input.hpp"

namespace itsa::server {

namespace {

/// Options of `report`.
struct ReportCommandOptions {
  StoreOptions store;   ///< where the store is
  std::string from;     ///< first day YYYY-MM-DD
  std::string to;       ///< last day YYYY-MM-DD
  std::string site;     ///< only this site
  std::string profile;  ///< verdicts for this profile
  std::string hours = "office";
  std::string lang = "vi";
  std::string format;        ///< html | json | csv
  std::string out;           ///< file (html/json) or directory (csv); stdout when empty
  std::string agency;        ///< overrides report.json's agency
  std::string for_agency;    ///< only this agency's sites
  std::string office_hours;  ///< overrides report.json's office_hours
};

/// Writes text to a file, or stdout when `path` is empty.
bool write_text(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    return static_cast<bool>(std::cout);
  }
  std::ofstream f(std::filesystem::path(std::u8string(path.begin(), path.end())), std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) std::cerr << "itsa-server: report: cannot write " << path << "\n";
  return static_cast<bool>(f);
}

}  // namespace

void register_report(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<ReportCommandOptions>();
  auto* cmd = app.add_subcommand(
      "report", "The evidence report for a period: scope, computers, network, what the figures support");
  add_store_options(*cmd, o->store);
  cmd->add_option("--from", o->from, "First day, YYYY-MM-DD (local time of the office hours)")->required();
  cmd->add_option("--to", o->to, "Last day included, YYYY-MM-DD")->required();
  cmd->add_option("--site", o->site, "Only this site");
  cmd->add_option("--profile", o->profile,
                  "Verdicts for this assessment profile (default: each machine's latest assessment)");
  cmd->add_option("--hours", o->hours, "office (default: working hours of <data-dir>/report.json) or all");
  cmd->add_option("--lang", o->lang, "vi (default) or en");
  cmd->add_option("--format", o->format, "html, json or csv")
      ->required()
      ->check(CLI::IsMember({"html", "json", "csv"}));
  cmd->add_option("--out", o->out, "Output file (html, json; default stdout) or directory (csv, required)");
  cmd->add_option("--agency", o->agency, "Agency name in the header (default: report.json's agency)");
  cmd->add_option("--for-agency", o->for_agency,
                  "Only the sites of this agency (enrolment tokens' --agency); its name is the header's unless "
                  "--agency is given");
  cmd->add_option("--office-hours", o->office_hours,
                  "Working windows, e.g. 07:30-11:30,13:30-17:00 (default: report.json or that)");
  cmd->callback([o, &result] {
    result.exit_code = k_exit_usage;
    auto settings = report::load_settings_file(report_settings_file(o->store.data_dir));
    if (!settings) {
      std::cerr << "itsa-server: report: " << settings.error().message << "\n";
      return;
    }
    report::ReportOptions options;
    options.from_date = o->from;
    options.to_date = o->to;
    if (!o->site.empty()) options.site = o->site;
    if (!o->for_agency.empty()) options.agency = o->for_agency;
    if (!o->profile.empty()) {
      if (auto profile = collectors::load_profile(o->profile); !profile) {
        std::cerr << "itsa-server: report: --profile: " << profile.error().message << "\n";
        return;
      }
      options.profile = o->profile;
      options.assessor = profile_assessor(o->to);
    }
    options.schedule = settings.value().schedule;
    options.procurement = settings.value().procurement;
    if (!o->office_hours.empty()) {
      auto windows = report::parse_windows(o->office_hours);
      if (!windows) {
        std::cerr << "itsa-server: report: --office-hours: " << windows.error().message << "\n";
        return;
      }
      options.schedule.windows = windows.value();
    }
    auto hours = report::parse_hours(o->hours);
    auto lang = report::parse_lang(o->lang);
    auto period = report::period_ms(options);
    for (const auto* e :
         {hours ? nullptr : &hours.error(), lang ? nullptr : &lang.error(), period ? nullptr : &period.error()}) {
      if (e != nullptr) {
        std::cerr << "itsa-server: report: " << e->message << "\n";
        return;
      }
    }
    if (o->format == "csv" && o->out.empty()) {
      std::cerr << "itsa-server: report: --format csv writes one file per table: give --out DIR\n";
      return;
    }
    options.hours = hours.value();
    options.lang = lang.value();
    options.generated_at = SystemClock::instance().utc_now();

    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    const std::string header_agency = !o->agency.empty()       ? o->agency
                                      : !o->for_agency.empty() ? o->for_agency
                                                               : settings.value().agency;
    auto report = build_server_report(*store, options, header_agency);
    if (!report) {
      std::cerr << "itsa-server: report: " << report.error().message << "\n";
      return;
    }
    if (o->format == "csv") {
      auto written = report::write_csv_dir(report.value(), o->out);
      if (!written) {
        std::cerr << "itsa-server: report: " << written.error().message << "\n";
        return;
      }
      for (const auto& path : written.value()) std::cout << path << "\n";
    } else {
      const std::string text =
          o->format == "json" ? report::render_json(report.value()) : report::render_html(report.value());
      if (!write_text(o->out, text)) return;
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
