// CSV tables of the report: one file per table, UTF-8 with BOM (Excel opens Vietnamese text
// correctly), CRLF rows, headers in the report's language, numbers with a '.' decimal point.
#include <filesystem>
#include <fstream>

#include "report/render.hpp"
#include "report/text.hpp"

namespace itsa::report {

namespace {

using nlohmann::json;

struct Column {
  const char* vi;
  const char* en;
};

std::string cell(const json& v) {
  std::string s;
  if (v.is_string()) {
    s = v.get<std::string>();
  } else if (v.is_null()) {
    return "";
  } else if (v.is_array()) {
    for (const auto& e : v) s += (s.empty() ? "" : "; ") + (e.is_string() ? e.get<std::string>() : e.dump());
  } else {
    s = v.dump();
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

class Table {
 public:
  Table(std::string name, std::initializer_list<Column> columns, Lang lang) : m_name(std::move(name)) {
    m_text = "\xEF\xBB\xBF";
    std::string line;
    for (const Column& c : columns) line += (line.empty() ? "" : ",") + cell(lang == Lang::vi ? c.vi : c.en);
    m_text += line + "\r\n";
  }
  void row(std::initializer_list<json> values) {
    std::string line;
    bool first = true;
    for (const json& v : values) {
      line += (first ? "" : ",") + cell(v);
      first = false;
    }
    m_text += line + "\r\n";
  }
  CsvTable done() { return {m_name, m_text}; }

 private:
  std::string m_name;
  std::string m_text;
};

}  // namespace

std::vector<CsvTable> render_csv(const nlohmann::json& r) {
  const Lang lang = r.value("lang", std::string("vi")) == "en" ? Lang::en : Lang::vi;
  std::vector<CsvTable> out;
  const json& s = r["scope"];
  const json& m = r["machines"];
  const json& n = r["network"];
  const json& o = n["outages"];

  Table summary("summary.csv",
                {{"Chỉ tiêu", "Indicator"}, {"Mã", "Key"}, {"Số liệu", "Value"}, {"Đơn vị tính", "Unit"}}, lang);
  const auto add = [&](const char* key, const json& value, const char* unit) {
    summary.row({label(key, lang), key, value, unit});
  };
  add("period", r["period"]["from"].get<std::string>() + " – " + r["period"]["to"].get<std::string>(), "");
  add("machines_total", s["machines_total"], "");
  add("machines_observed", s["machines_observed"], "");
  add("observed_pc_hours", s["observed_pc_hours"], "h");
  add("coverage_pct", s["coverage_pct"], "%");
  add("inventoried", m["inventoried"], "");
  add("meeting", m["meeting"], "");
  add("not_meeting", m["not_meeting"], "");
  add("unknown_verdict", m["unknown"], "");
  add("age_avg", m["age"]["average_years"], "y");
  add("age_past_life", m["age"]["past_useful_life"], "");
  add("pressure_share", m["pressure"]["over_90_pct"], "%");
  add("availability", n["availability_pct"], "%");
  add("outages_count", o["count"], "");
  add("site_wide", o["site_wide"], "");
  add("single_machine", o["single_machine"], "");
  for (const char* cause : {"link_down", "lan", "upstream", "dns"}) {
    summary.row({label("by_cause", lang) + ": " + cause_label(cause, lang), std::string("by_cause.") + cause,
                 o["by_cause"][cause], ""});
  }
  add("downtime", n["downtime_s"], "s");
  add("event_downtime", o["event_downtime_s"], "s");
  add("mean_downtime", o["mean_event_downtime_s"], "s");
  add("mtbf", n["mtbf_s"], "s");
  add("mttr", n["mttr_s"], "s");
  out.push_back(summary.done());

  Table machines("machines.csv",
                 {{"Tên máy", "Computer"},
                  {"Đơn vị", "Site"},
                  {"Mã agent", "Agent id"},
                  {"Kết quả", "Verdict"},
                  {"Tuổi máy (năm)", "Age (years)"},
                  {"Ngày BIOS", "BIOS date"},
                  {"RAM (byte)", "RAM (bytes)"},
                  {"CPU", "CPU"},
                  {"Hệ điều hành", "OS"},
                  {"Hỗ trợ HĐH", "OS support"},
                  {"Ổ hệ thống", "System disk"},
                  {"Tiêu chí không đạt", "Failing rules"},
                  {"Số phút đo tải", "Pressure minutes"},
                  {"% thời gian CPU > 90%", "% time CPU > 90%"},
                  {"% thời gian RAM > 90%", "% time memory > 90%"},
                  {"% thời gian CPU hoặc RAM > 90%", "% time CPU or memory > 90%"}},
                 lang);
  Table failing("failing_rules.csv",
                {{"Tên máy", "Computer"},
                 {"Đơn vị", "Site"},
                 {"Mã tiêu chí", "Rule id"},
                 {"Tiêu chí", "Rule"},
                 {"Thực tế", "Measured"},
                 {"Yêu cầu", "Required"},
                 {"Lý do", "Reason"}},
                lang);
  for (const auto& row : m["list"]) {
    json ids = json::array();
    for (const auto& f : row["failing"]) {
      ids.push_back(f["id"]);
      failing.row({row["hostname"], row["site"], f["id"], rule_label(f["id"].get<std::string>(), lang), f["measured"],
                   f["required"], lang == Lang::vi && f.contains("reason_vi") ? f["reason_vi"] : f["reason"]});
    }
    machines.row({row["hostname"], row["site"], row["agent_id"],
                  machine_verdict_label(row["verdict"].get<std::string>(), lang), row["age_years"], row["bios_date"],
                  row["ram_bytes"], row["cpu"], row["os"], row["os_support"], row["system_disk"], ids,
                  row["pressure"]["minutes"], row["pressure"]["cpu_over_90_pct"], row["pressure"]["mem_over_90_pct"],
                  row["pressure"]["over_90_pct"]});
  }
  out.push_back(machines.done());
  out.push_back(failing.done());

  Table rules("rules.csv",
              {{"Mã tiêu chí", "Rule id"},
               {"Tiêu chí", "Rule"},
               {"Đạt", "Pass"},
               {"Không đạt", "Fail"},
               {"Chưa xác định", "Unknown"},
               {"Yêu cầu", "Required"}},
              lang);
  for (const auto& rule : m["rules"]) {
    rules.row({rule["id"], rule_label(rule["id"].get<std::string>(), lang), rule["pass"], rule["fail"], rule["unknown"],
               rule["required"]});
  }
  out.push_back(rules.done());

  Table ages("machine_age.csv", {{"Tuổi máy (năm)", "Age (years)"}, {"Số máy", "Computers"}}, lang);
  for (const auto& b : m["age"]["distribution"]) ages.row({b["years"], b["machines"]});
  out.push_back(ages.done());

  Table events("outages.csv",
               {{"Đơn vị", "Site"},
                {"Bắt đầu (UTC)", "Start (UTC)"},
                {"Kết thúc (UTC)", "End (UTC)"},
                {"Bắt đầu (giờ địa phương)", "Start (local)"},
                {"Kết thúc (giờ địa phương)", "End (local)"},
                {"Thời gian tính (giây)", "Counted duration (s)"},
                {"Mã nguyên nhân", "Cause id"},
                {"Nguyên nhân", "Cause"},
                {"Phạm vi", "Scope"},
                {"Máy bị ảnh hưởng", "Machines"},
                {"Cổng mạng", "Interfaces"}},
               lang);
  for (const auto& e : n["events"]) {
    events.row({e["site"], e["start"], e["end"], e["start_local"], e["end_local"], e["duration_s"], e["cause"],
                cause_label(e["cause"].get<std::string>(), lang), e["scope"], e["machines"], e["interfaces"]});
  }
  out.push_back(events.done());

  Table per_machine("availability_machines.csv",
                    {{"Tên máy", "Computer"},
                     {"Đơn vị", "Site"},
                     {"Thời gian quan sát (giây)", "Observed (s)"},
                     {"Thời gian mất kết nối (giây)", "Downtime (s)"},
                     {"Tỷ lệ sẵn sàng (%)", "Availability (%)"},
                     {"Số lần mất kết nối", "Outages"},
                     {"Cáp/cổng", "link_down"},
                     {"LAN", "lan"},
                     {"Internet", "upstream"},
                     {"DNS", "dns"}},
                    lang);
  for (const auto& pm : n["per_machine"]) {
    per_machine.row({pm["hostname"], pm["site"], pm["observed_s"], pm["downtime_s"], pm["availability_pct"],
                     pm["outages"], pm["by_cause"]["link_down"], pm["by_cause"]["lan"], pm["by_cause"]["upstream"],
                     pm["by_cause"]["dns"]});
  }
  out.push_back(per_machine.done());

  Table daily("availability_daily.csv",
              {{"Tên máy", "Computer"},
               {"Đơn vị", "Site"},
               {"Ngày", "Date"},
               {"Thời gian quan sát (giây)", "Observed (s)"},
               {"Thời gian mất kết nối (giây)", "Downtime (s)"},
               {"Tỷ lệ sẵn sàng (%)", "Availability (%)"}},
              lang);
  for (const auto& dm : n["daily"]) {
    for (const auto& d : dm["days"])
      daily.row({dm["hostname"], dm["site"], d["date"], d["observed_s"], d["downtime_s"], d["availability_pct"]});
  }
  out.push_back(daily.done());

  Table links("links.csv",
              {{"Tên máy", "Computer"},
               {"Đơn vị", "Site"},
               {"Cổng mạng", "Interface"},
               {"Số lần chập chờn", "Flaps"},
               {"Lỗi CRC", "CRC errors"},
               {"Lỗi khác", "Errors"},
               {"Giảm tốc độ", "Speed downgrades"},
               {"Số phút dưới tốc độ tối đa", "Minutes below max speed"},
               {"Tốc độ thấp nhất (Mb/s)", "Lowest speed (Mb/s)"},
               {"Tốc độ tối đa (Mb/s)", "Max speed (Mb/s)"}},
              lang);
  for (const auto& l : n["links"]) {
    links.row({l["hostname"], l["site"], l["interface"], l["flaps"], l["crc_errors"], l["errors"],
               l["speed_downgrades"], l["minutes_below_max_speed"], l["min_speed_mbps"], l["max_speed_mbps"]});
  }
  out.push_back(links.done());

  Table probes("probes.csv",
               {{"Lớp đo", "Layer"},
                {"Số phút", "Minutes"},
                {"Gói gửi", "Sent"},
                {"Gói mất", "Lost"},
                {"Tỷ lệ mất gói (%)", "Loss (%)"},
                {"Độ trễ trung vị (ms)", "Median RTT (ms)"},
                {"Độ trễ P95 (ms)", "P95 RTT (ms)"},
                {"Độ trễ lớn nhất (ms)", "Max RTT (ms)"},
                {"Jitter bình quân (ms)", "Mean jitter (ms)"}},
               lang);
  for (const auto& p : n["probes"]) {
    probes.row({p["layer"], p["minutes"], p["sent"], p["lost"], p["loss_pct"], p["rtt_p50_ms"], p["rtt_p95_ms"],
                p["rtt_max_ms"], p["jitter_avg_ms"]});
  }
  out.push_back(probes.done());

  Table claims(
      "claims.csv",
      {{"Mã", "Id"}, {"Nội dung báo cáo", "Claim"}, {"Số liệu", "What the figures say"}, {"Đánh giá", "Verdict"}},
      lang);
  for (const auto& c : r["claims"])
    claims.row({c["id"], c["claim"], c["text"], verdict_label(c["verdict"].get<std::string>(), lang)});
  out.push_back(claims.done());
  return out;
}

namespace {
/// A path from UTF-8 text (Vietnamese folder names work on Windows too).
std::filesystem::path utf8_path(const std::string& text) {
  return std::filesystem::path(std::u8string(text.begin(), text.end()));
}
/// UTF-8 text of a path.
std::string utf8_text(const std::filesystem::path& path) {
  const std::u8string s = path.u8string();
  return std::string(s.begin(), s.end());
}
}  // namespace

Result<std::vector<std::string>> write_csv_dir(const nlohmann::json& report, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(utf8_path(dir), ec);
  if (ec) return Error{"cannot create directory " + dir + ": " + ec.message()};
  std::vector<std::string> written;
  for (const CsvTable& t : render_csv(report)) {
    const auto path = utf8_path(dir) / t.name;
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(t.content.data(), static_cast<std::streamsize>(t.content.size()));
    f.close();
    if (!f) return Error{"cannot write " + utf8_text(path)};
    written.push_back(utf8_text(path));
  }
  return written;
}

}  // namespace itsa::report
