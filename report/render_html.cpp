// The printable HTML report: A4 pages, administrative layout (STT / Chỉ tiêu / Đơn vị tính /
// Số liệu / Ghi chú tables), inline SVG charts, no scripts and no external assets.
#include <cmath>
#include <string>

#include "report/render.hpp"
#include "report/svg_charts.hpp"
#include "report/text.hpp"

namespace itsa::report {

namespace {

using nlohmann::json;

const char* const k_css = R"CSS(
@page { size: A4; margin: 16mm 15mm 16mm 20mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", Tinos, "Liberation Serif", "Noto Serif", "DejaVu Serif", serif;
       font-size: 12pt; line-height: 1.35; color: #000; margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
header.doc { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 6mm; }
header.doc .agency { text-align: center; font-weight: bold; text-transform: uppercase; font-size: 11.5pt; }
header.doc .agency .site { font-weight: normal; text-transform: none; }
header.doc .asof { text-align: right; font-style: italic; font-size: 11pt; }
h1 { text-align: center; font-size: 14pt; margin: 2mm 0 1mm; }
p.sub { text-align: center; margin: 0; font-style: italic; }
p.period { text-align: center; margin: 1mm 0 6mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; }
h3 { font-size: 12pt; font-style: italic; margin: 4mm 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm; font-size: 10pt; }
th, td { border: 0.6pt solid #000; padding: 0.9mm 1.3mm; vertical-align: top; }
th { background: #eee; text-align: center; font-weight: bold; }
td.c { text-align: center; } td.r { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.page { break-before: page; page-break-before: always; }
figure { margin: 2mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { text-align: center; font-style: italic; font-size: 10.5pt; margin-top: 1mm; }
svg text { font-family: "Times New Roman", Tinos, "Liberation Serif", "DejaVu Serif", serif; }
ul { margin: 1mm 0 3mm; padding-left: 6mm; } li { margin-bottom: 1mm; }
.v-supported { color: #a50026; font-weight: bold; } .v-partly_supported { color: #b35806; font-weight: bold; }
.v-not_supported { color: #1a6330; font-weight: bold; } .v-insufficient_data, .v-not_measured { color: #555; font-weight: bold; }
.fail { color: #a50026; } .muted { color: #555; font-size: 10.5pt; }
footer { margin-top: 8mm; font-size: 10pt; font-style: italic; border-top: 0.6pt solid #000; padding-top: 2mm; }
@media screen { body { background: #f3f3f3; } main { background: #fff; padding: 15mm; margin: 10mm auto; box-shadow: 0 0 4px #999; } }
)CSS";

class Html {
 public:
  Html(const json& report, Lang lang) : m_r(report), m_lang(lang) {}

  std::string build() {
    head();
    scope();
    computers();
    network();
    claims();
    m_out += "<footer>" + esc(L("footer")) + " itsa · " + esc(m_r["generated_at"].get<std::string>()) + "</footer>";
    m_out += "</main></body></html>\n";
    return m_out;
  }

 private:
  const json& m_r;
  Lang m_lang;
  std::string m_out;
  int m_row = 0;

  std::string L(const char* key) const { return label(key, m_lang); }
  static std::string esc(const std::string& s) { return html_escape(s); }
  bool vi() const { return m_lang == Lang::vi; }
  std::string num(const json& v, int digits = 0) const {
    return v.is_number() ? fmt_num(v.get<double>(), digits, m_lang) : "—";
  }
  std::string date(const std::string& iso) const {
    if (!vi() || iso.size() != 10) return iso;
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  }
  std::string datetime(const std::string& local) const {  // "YYYY-MM-DD HH:MM"
    return date(local.substr(0, 10)) + local.substr(10);
  }
  static std::string value_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "—";
    return v.dump();
  }
  std::string join(const json& list) const {
    std::string out;
    for (const auto& v : list)
      out += (out.empty() ? "" : ", ") +
             (v.is_number() ? num(v, v.get<double>() == std::floor(v.get<double>()) ? 0 : 1) : value_text(v));
    return out.empty() ? L("none") : out;
  }

  /// Where the recorded probe settings come from, and which machines differ or recorded none.
  std::string probe_note(const json& probe) const {
    const auto settings = probe.value("settings", json::array());
    const auto not_recorded = probe.value("machines_not_recorded", json::array());
    const auto changed = probe.value("machines_changed", json::array());
    std::string out;
    if (probe.value("mixed", false)) {
      out = vi() ? "Các máy dùng thiết lập khác nhau (chu kỳ, ngưỡng mất/có): "
                 : "Machines used different settings (interval, down/up): ";
      std::string groups;
      for (const auto& g : settings) {
        groups += (groups.empty() ? "" : "; ") + num(g["interval_s"]) + (vi() ? " giây, " : " s, ") +
                  num(g["down_after"]) + "/" + num(g["up_after"]) + ": " + join(g["machines"]);
      }
      out += groups;
      if (!changed.empty())
        out += (vi() ? ". Đã thay đổi thiết lập trong kỳ: " : ". Changed during the period: ") + join(changed);
    } else {
      out = vi() ? "Theo bản ghi đo" : "As recorded";
    }
    if (!not_recorded.empty()) {
      out += vi() ? ". Không có trong bản ghi của (thiết lập được ghi kèm mỗi lần mất kết nối): "
                  : ". Not recorded by (settings are recorded with each outage): ";
      out += join(not_recorded);
    }
    return out;
  }

  void table_open(std::initializer_list<const char*> header_keys) {
    m_out +=
        "<table><colgroup><col style=\"width:7%\"><col style=\"width:40%\"><col style=\"width:10%\">"
        "<col style=\"width:15%\"><col style=\"width:28%\"></colgroup><thead><tr>";
    for (const char* k : header_keys) m_out += "<th>" + esc(L(k)) + "</th>";
    m_out += "</tr></thead><tbody>";
    m_row = 0;
  }
  void indicator(const std::string& name, const std::string& unit, const std::string& value,
                 const std::string& note = "") {
    m_out += "<tr><td class=\"c\">" + std::to_string(++m_row) + "</td><td>" + esc(name) + "</td><td class=\"c\">" +
             esc(unit) + "</td><td class=\"r\">" + esc(value) + "</td><td>" + esc(note) + "</td></tr>";
  }
  void table_close() { m_out += "</tbody></table>"; }
  void figure(const std::string& svg, const char* caption_key) {
    m_out += "<figure>" + svg + "<figcaption>" + esc(L(caption_key)) + "</figcaption></figure>";
  }

  void head() {
    const std::string title = L("title");
    m_out += "<!DOCTYPE html>\n<html lang=\"" + std::string(vi() ? "vi" : "en") + "\"><head><meta charset=\"utf-8\">";
    m_out +=
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + esc(title) + "</title>";
    m_out += "<style>" + std::string(k_css) + "</style></head><body><main>";
    const std::string agency = m_r["agency"].is_string() ? m_r["agency"].get<std::string>() : "";
    const std::string site = m_r["site"].is_string() ? m_r["site"].get<std::string>() : L("all_sites");
    m_out += "<header class=\"doc\"><div class=\"agency\">" + esc(agency.empty() ? L("agency") : agency) +
             "<br><span class=\"site\">" + esc(L("site")) + ": " + esc(site) + "</span></div>";
    m_out += "<div class=\"asof\">" + esc(L("data_as_of")) + " " +
             esc(date(m_r["generated_at"].get<std::string>().substr(0, 10))) + "</div></header>";
    m_out += "<h1>" + esc(L("appendix")) + "<br>" + esc(title) + "</h1><p class=\"sub\">" + esc(L("subtitle")) + "</p>";
    const json& p = m_r["period"];
    m_out += "<p class=\"period\">(" + esc(L("period")) + ": " +
             esc(vi() ? "từ ngày " + date(p["from"]) + " đến ngày " + date(p["to"])
                      : "from " + date(p["from"]) + " to " + date(p["to"])) +
             "; " + esc(p["hours"] == "office" ? L("hours_office") : L("hours_all")) + ")</p>";
  }

  std::string office_hours_text() const {
    const json& oh = m_r["period"]["office_hours"];
    std::string days;
    if (oh["weekdays"] == json::array({"mon", "tue", "wed", "thu", "fri"})) {
      days = L("weekdays_mon_fri");
    } else {
      days = join(oh["weekdays"]);
    }
    std::string windows;
    for (const auto& w : oh["windows"]) windows += (windows.empty() ? "" : ", ") + w.get<std::string>();
    return days + " " + windows + " (" + oh["time_zone"].get<std::string>() + ")";
  }

  void scope() {
    const json& s = m_r["scope"];
    const json& p = m_r["period"];
    m_out += "<section><h2>" + esc(L("s1")) + "</h2>";
    table_open({"no", "indicator", "unit", "value", "notes"});
    indicator(L("period"), vi() ? "ngày" : "days", num(p["days"]),
              date(p["from"]) + " – " + date(p["to"]) + "; " +
                  (p["hours"] == "office" ? L("office_hours") + ": " + office_hours_text() : L("hours_all")));
    indicator(L("sites"), "", join(s["sites"]));
    indicator(L("machines_total"), L("machines_unit"), num(s["machines_total"]));
    indicator(L("machines_observed"), L("machines_unit"), num(s["machines_observed"]),
              s["machines_not_observed"].empty()
                  ? ""
                  : (vi() ? "Không có số liệu (máy tắt hoặc chưa gửi): " : "No data (off or not reporting): ") +
                        join(s["machines_not_observed"]));
    indicator(L("observed_pc_hours"), L("pc_hours_unit"), num(s["observed_pc_hours"], 1),
              L("coverage_pct") + ": " + fmt_pct(s["coverage_pct"], 2, m_lang));
    const json& probe = s["probe"];
    const bool recorded = probe["recorded"].get<bool>();
    const std::string from_where =
        recorded ? probe_note(probe)
                 : (vi() ? "Không có trong bản ghi; giá trị mặc định của itsa" : "Not in the records; itsa's default");
    indicator(
        L("probe_interval"), vi() ? "giây" : "s",
        recorded && !probe["interval_s"].empty() ? join(probe["interval_s"]) : num(probe["defaults"]["interval_s"]),
        from_where);
    indicator(
        L("probe_thresholds"), vi() ? "lượt đo" : "rounds",
        (recorded && !probe["down_after"].empty() ? join(probe["down_after"]) : num(probe["defaults"]["down_after"])) +
            " / " +
            (recorded && !probe["up_after"].empty() ? join(probe["up_after"]) : num(probe["defaults"]["up_after"])),
        from_where);
    std::string versions;
    for (const auto& v : s["agent_versions"]) {
      versions += (versions.empty() ? "" : "; ") + v["version"].get<std::string>() + " (" + num(v["machines"]) + " " +
                  L("machines_unit") + ")";
    }
    indicator(L("agent_versions"), "", versions);
    indicator(
        L("clock_sync"), "%", fmt_pct(s["clock"]["synced_pct"], 2, m_lang),
        s["clock"]["machines_unsynced"].empty()
            ? (vi() ? "Toàn bộ thời gian quan sát có đồng hồ đã đồng bộ (NTP)" : "Clock NTP-synchronised throughout")
            : (vi() ? "Máy có thời gian chưa đồng bộ: " : "Machines with unsynchronised time: ") +
                  join(s["clock"]["machines_unsynced"]) +
                  (vi() ? "; số lần mất kết nối ghi nhận khi chưa đồng bộ: "
                        : "; outages recorded while unsynchronised: ") +
                  num(s["clock"]["outages_unsynced"]));
    table_close();

    const json& d = probe["recorded"].get<bool>() ? probe : probe["defaults"];
    const auto first = [&](const char* key) {
      const json& v = d[key];
      return v.is_array() ? (v.empty() ? num(probe["defaults"][key]) : num(v[0])) : num(v);
    };
    m_out += "<h3>" + esc(L("causes")) + "</h3><ul>";
    m_out += "<li>" +
             esc(vi() ? "Mỗi máy tự đo kiểm kết nối " + first("interval_s") +
                            " giây một lượt tới cổng mặc định (gateway), máy chủ nội bộ, các địa chỉ Internet và máy "
                            "chủ DNS. "
                            "Một lần mất kết nối được ghi nhận khi " +
                            first("down_after") + " lượt đo liên tiếp thất bại, và kết thúc khi " + first("up_after") +
                            " lượt đo liên tiếp thành công; thời điểm bắt đầu là lượt thất bại đầu tiên, thời điểm kết "
                            "thúc là lượt thành công đầu tiên."
                      : "Each PC probes its default gateway, LAN targets, internet targets and DNS every " +
                            first("interval_s") + " s. An outage opens after " + first("down_after") +
                            " failed rounds in a row and closes after " + first("up_after") +
                            " good rounds; it starts at the first failed round and ends at the first good one.") +
             (probe.value("mixed", false) ? esc(vi() ? " Các máy dùng chu kỳ/ngưỡng khác nhau: xem mục I."
                                                     : " Machines used different settings: see section I.")
                                          : std::string()) +
             "</li>";
    for (const char* cause : {"link_down", "lan", "upstream", "dns"}) {
      std::string meaning;
      const std::string c = cause;
      if (c == "link_down") {
        meaning = vi() ? "máy mất tín hiệu liên kết ở card mạng (rút/đứt cáp, đầu nối hỏng, cổng switch hỏng) hoặc "
                         "không có card mạng dùng được."
                       : "the PC's network card lost carrier (cable pulled or broken, bad connector or switch port) or "
                         "no usable interface.";
      } else if (c == "lan") {
        meaning =
            vi()
                ? "card mạng vẫn có tín hiệu nhưng không liên lạc được với cổng mặc định/máy chủ nội bộ (switch, cáp "
                  "trục, thiết bị mạng nội bộ)."
                : "the link is up but the gateway/LAN targets do not answer (switches, backbone cabling, LAN devices).";
      } else if (c == "upstream") {
        meaning = vi() ? "cổng mặc định phản hồi nhưng không đến được địa chỉ nào trên Internet (đường truyền của nhà "
                         "cung cấp dịch vụ)."
                       : "the gateway answers but no internet target does (the provider's line).";
      } else {
        meaning = vi() ? "các địa chỉ vẫn đến được nhưng không phân giải được tên miền."
                       : "addresses are reachable but name resolution fails.";
      }
      m_out +=
          "<li><b>" + esc(cause_label(cause, m_lang)) + "</b> (<code>" + cause + "</code>): " + esc(meaning) + "</li>";
    }
    m_out += "<li>" +
             esc(vi() ? "Mất kết nối toàn đơn vị: cùng trong một phút, quá nửa số máy đang hoạt động của một đơn vị "
                        "(tối thiểu 2 máy) cùng mất kết nối; được tính là một lần."
                      : "Site-wide outage: within the same minute, more than half of a site's observing PCs (at least "
                        "2) are down; counted once.") +
             "</li></ul>";

    m_out += "<h3>" + esc(L("limits")) + "</h3><ul>";
    const auto li = [&](const std::string& t) { m_out += "<li>" + esc(t) + "</li>"; };
    li(vi() ? "Máy tắt thì không quan sát được gì: thời gian máy tắt không được tính vào thời gian quan sát và cũng "
              "không được tính là mất kết nối. Tỷ lệ sẵn sàng tính trên thời gian quan sát, không tính trên toàn bộ "
              "thời gian."
            : "A PC that is off observes nothing: its off time is neither observed time nor downtime. Availability is "
              "over observed time, not wall time.");
    if (!s["machines_not_observed"].empty()) {
      li((vi() ? "Không có số liệu quan sát trong kỳ: " : "No observation in the period: ") +
         join(s["machines_not_observed"]) + ".");
    }
    if (!s["machines_without_inventory"].empty()) {
      li((vi() ? "Chưa có số liệu kiểm kê cấu hình: " : "No inventory: ") + join(s["machines_without_inventory"]) +
         ".");
    }
    if (p["hours"] == "office") {
      li(vi() ? "Chỉ tính trong giờ làm việc; mất kết nối ngoài giờ làm việc không được tính (một lần mất kết nối kéo "
                "dài qua giờ nghỉ trưa chỉ được tính phần nằm trong giờ làm việc)."
              : "Only office hours count; an outage spanning the lunch break counts only its office-hour parts.");
    }
    li(vi() ? "Tuổi máy ước tính theo ngày phát hành BIOS; nếu BIOS đã được cập nhật thì tuổi thực của máy có thể lớn "
              "hơn."
            : "Machine age is estimated from the BIOS release date; an updated BIOS makes a machine look younger than "
              "it is.");
    li(vi() ? "Nguyên nhân được xác định theo lớp đo thất bại thấp nhất; \"mạng nội bộ\" bao gồm cả switch và cáp "
              "trục, không riêng cáp của từng máy."
            : "The cause is the lowest layer that failed; \"office LAN\" includes switches and backbone cabling, not "
              "only a PC's own cable.");
    li(vi() ? "Tổng thời gian mất kết nối, MTBF và MTTR được cộng theo từng máy (một sự cố làm 3 máy mất kết nối 10 "
              "phút được tính 30 phút-máy)."
            : "Total downtime, MTBF and MTTR are summed per PC (an outage that takes 3 PCs down for 10 minutes counts "
              "30 PC-minutes).");
    m_out += "</ul></section>";
  }

  std::string failing_reason(const json& f) const {
    if (vi() && f.contains("reason_vi")) return f["reason_vi"].get<std::string>();
    std::string out = rule_label(f["id"].get<std::string>(), m_lang) + " (" + (vi() ? "thực tế " : "measured ") +
                      value_text(f["measured"]) + "; " + (vi() ? "yêu cầu " : "required ") + value_text(f["required"]) +
                      ")";
    return out;
  }

  void computers() {
    const json& m = m_r["machines"];
    std::string profiles = join(m["profiles"]);
    m_out += "<section class=\"page\"><h2>" + esc(L("s2")) + "</h2>";
    table_open({"no", "indicator", "unit", "value", "notes"});
    indicator(L("inventoried"), L("machines_unit"), num(m["inventoried"]),
              vi() ? "trên tổng số " + num(m["total"]) + " máy" : "of " + num(m["total"]));
    indicator(L("meeting"), L("machines_unit"), num(m["meeting"]), L("profile") + ": " + profiles);
    indicator(L("not_meeting"), L("machines_unit"), num(m["not_meeting"]),
              fmt_pct(m["not_meeting_pct"], 1, m_lang) + (vi() ? " số máy được đánh giá" : " of assessed PCs"));
    indicator(L("unknown_verdict"), L("machines_unit"), num(m["unknown"]));
    for (const auto& rule : m["rules"]) {
      if (rule["fail"].get<int>() == 0) continue;
      indicator("– " + rule_label(rule["id"].get<std::string>(), m_lang), L("machines_unit"), num(rule["fail"]),
                (vi() ? "Yêu cầu: " : "Required: ") + value_text(rule["required"]));
    }
    indicator(L("age_avg"), L("years_unit"), num(m["age"]["average_years"], 1),
              (vi() ? "Máy cũ nhất: " : "Oldest: ") + num(m["age"]["oldest_years"], 1) + " " + L("years_unit"));
    indicator(L("age_past_life"), L("machines_unit"), num(m["age"]["past_useful_life"]),
              vi() ? "trên " + num(m["age"]["known"]) + " máy xác định được tuổi"
                   : "of " + num(m["age"]["known"]) + " with a known age");
    indicator(L("pressure_share"), "%", fmt_pct(m["pressure"]["over_90_pct"], 2, m_lang),
              (vi() ? "Số máy có từ 10% thời gian trở lên: " : "PCs at or above 10% of the time: ") +
                  num(m["pressure"]["machines_often_saturated"]));
    table_close();

    json rules = json::array();
    for (const auto& rule : m["rules"]) {
      json r = rule;
      r["label"] = rule_label(rule["id"].get<std::string>(), m_lang);
      rules.push_back(r);
    }
    if (!rules.empty()) figure(svg::verdict_bars(rules, m_lang), "verdict_chart");
    std::vector<svg::Bar> ages;
    for (const auto& b : m["age"]["distribution"]) {
      const std::string years = b["years"].get<std::string>();
      const bool old = years == "5-7" || years == "7-10" || years == "10+";
      ages.push_back({years, b["machines"].get<double>(), old ? "#d73027" : "#4575b4"});
    }
    if (m["age"]["known"].get<int>() > 0) {
      figure(svg::histogram(ages,
                            vi() ? "Tuổi máy (năm); màu đỏ: đã quá thời gian sử dụng 5 năm"
                                 : "Age (years); red: past the 5-year useful life",
                            m_lang),
             "age_hist");
    }

    m_out += "<h3>" + esc(L("failing_list")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
             "</th><th>" + esc(L("age")) + "</th><th>" + esc(L("ram")) + "</th><th>" + esc(L("reasons")) +
             "</th></tr></thead><tbody>";
    int n = 0;
    for (const auto& row : m["list"]) {
      if (row["verdict"] != "does_not_meet") continue;
      std::string reasons;
      for (const auto& f : row["failing"]) reasons += "<li>" + esc(failing_reason(f)) + "</li>";
      m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(row["hostname"].get<std::string>()) +
               "</td><td>" + esc(row["site"].get<std::string>()) + "</td><td class=\"r\">" + num(row["age_years"], 1) +
               "</td><td class=\"r\">" +
               (row["ram_bytes"].is_number() ? esc(fmt_gb(row["ram_bytes"].get<double>(), m_lang)) : "—") +
               "</td><td><ul>" + reasons + "</ul></td></tr>";
    }
    if (n == 0) m_out += "<tr><td colspan=\"6\" class=\"c\">" + esc(L("none")) + "</td></tr>";
    m_out += "</tbody></table>";

    m_out += "<h3>" + esc(L("machine_list")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
             "</th><th>" + esc(L("verdict")) + "</th><th>" + esc(L("os")) + "</th><th>" + esc(L("disk")) + "</th><th>" +
             esc(L("pressure")) + "</th></tr></thead><tbody>";
    n = 0;
    for (const auto& row : m["list"]) {
      const std::string v = row["verdict"].get<std::string>();
      m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(row["hostname"].get<std::string>()) +
               "</td><td>" + esc(row["site"].get<std::string>()) + "</td><td class=\"c" +
               (v == "does_not_meet" ? " fail" : "") + "\">" + esc(machine_verdict_label(v, m_lang)) + "</td><td>" +
               esc(value_text(row["os"])) + "</td><td class=\"c\">" + esc(value_text(row["system_disk"])) +
               "</td><td class=\"r\">" + esc(fmt_pct(row["pressure"]["over_90_pct"], 1, m_lang)) + "</td></tr>";
    }
    m_out += "</tbody></table></section>";
  }

  void network() {
    const json& net = m_r["network"];
    const json& o = net["outages"];
    m_out += "<section class=\"page\"><h2>" + esc(L("s3")) + "</h2>";
    table_open({"no", "indicator", "unit", "value", "notes"});
    indicator(L("availability"), "%", fmt_pct(net["availability_pct"], 3, m_lang),
              (vi() ? "Trên " : "Over ") + num(net["observed_s"].get<double>() / 3600.0, 1) + " " + L("pc_hours_unit"));
    indicator(L("outages_count"), L("times_unit"), num(o["count"]),
              (vi() ? "Cộng theo từng máy: " : "Per PC, summed: ") + num(o["machine_outages"]));
    indicator(L("site_wide"), L("times_unit"), num(o["site_wide"]));
    indicator(L("single_machine"), L("times_unit"), num(o["single_machine"]));
    for (const char* cause : {"link_down", "lan", "upstream", "dns"}) {
      indicator("– " + cause_label(cause, m_lang), L("times_unit"), num(o["by_cause"][cause]),
                (vi() ? "Thời gian: " : "Downtime: ") +
                    fmt_duration(net["downtime_by_cause_s"][cause].get<double>(), m_lang));
    }
    indicator(L("downtime"), vi() ? "giờ-máy" : "PC-hours", num(net["downtime_s"].get<double>() / 3600.0, 2),
              fmt_duration(net["downtime_s"].get<double>(), m_lang));
    indicator(L("event_downtime"), L("hours_unit"), num(o["event_downtime_s"].get<double>() / 3600.0, 2),
              fmt_duration(o["event_downtime_s"].get<double>(), m_lang));
    indicator(L("mean_downtime"), vi() ? "phút" : "min",
              o["mean_event_downtime_s"].is_number() ? num(o["mean_event_downtime_s"].get<double>() / 60.0, 1) : "—");
    indicator(L("mtbf"), L("hours_unit"),
              net["mtbf_s"].is_number() ? num(net["mtbf_s"].get<double>() / 3600.0, 1) : "—",
              net["mtbf_s"].is_number() ? "" : (vi() ? "Không có lần mất kết nối" : "No outage"));
    indicator(L("mttr"), vi() ? "phút" : "min",
              net["mttr_s"].is_number() ? num(net["mttr_s"].get<double>() / 60.0, 1) : "—");
    indicator(vi() ? "Số phút chất lượng kém (mất gói hoặc trễ cao, chưa đến mức mất kết nối)"
                   : "Degraded minutes (loss or high latency, no outage)",
              vi() ? "phút" : "min", num(net["degraded"]["minutes"]));
    table_close();

    std::vector<svg::Bar> causes;
    const char* colors[] = {"#d73027", "#fc8d59", "#4575b4", "#91bfdb"};
    int ci = 0;
    for (const char* cause : {"link_down", "lan", "upstream", "dns"}) {
      causes.push_back({cause_label(cause, m_lang), o["by_cause"][cause].get<double>(), colors[ci++]});
    }
    figure(svg::horizontal_bars(causes, m_lang), "by_cause");
    if (!net["daily"].empty()) figure(svg::availability_heatmap(net["daily"], m_lang), "heatmap");

    m_out += "<h3>" + esc(L("events")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("start")) + "</th><th>" + esc(L("end")) +
             "</th><th>" + esc(L("duration")) + "</th><th>" + esc(L("cause")) + "</th><th>" + esc(L("scope_col")) +
             "</th><th>" + esc(L("machines_col")) + "</th></tr></thead><tbody>";
    int n = 0;
    for (const auto& e : net["events"]) {
      const bool wide = e["scope"] == "site_wide";
      m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(datetime(e["start_local"])) +
               "</td><td>" + esc(datetime(e["end_local"])) + "</td><td class=\"r\">" +
               esc(fmt_duration(e["duration_s"].get<double>(), m_lang)) + "</td><td>" +
               esc(cause_label(e["cause"].get<std::string>(), m_lang)) + "</td><td>" +
               esc(wide ? (vi() ? "Toàn đơn vị " : "Site-wide ") + e["site"].get<std::string>()
                        : (vi() ? "Một máy" : "One PC")) +
               "</td><td>" + esc(join(e["machines"])) + "</td></tr>";
    }
    if (n == 0) m_out += "<tr><td colspan=\"7\" class=\"c\">" + esc(L("none")) + "</td></tr>";
    m_out += "</tbody></table>";
    if (m_r["period"]["hours"] == "office") {
      m_out += "<p class=\"muted\">" +
               esc(vi() ? "Thời điểm theo giờ địa phương; thời gian mất kết nối chỉ tính phần nằm trong giờ làm việc "
                          "và trong thời gian máy được quan sát."
                        : "Local times; the duration counts only the part within office hours and observed time.") +
               "</p>";
    }

    m_out += "<h3>" + esc(L("per_machine")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" + esc(L("site")) +
             "</th><th>" + esc(L("observed_pc_hours")) + " (" + esc(L("hours_unit")) + ")</th><th>" +
             esc(L("outages_count")) + "</th><th>" + esc(L("downtime")) + "</th><th>" + esc(L("availability")) +
             "</th></tr></thead><tbody>";
    n = 0;
    for (const auto& pm : net["per_machine"]) {
      m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(pm["hostname"].get<std::string>()) +
               "</td><td>" + esc(pm["site"].get<std::string>()) + "</td><td class=\"r\">" +
               num(pm["observed_s"].get<double>() / 3600.0, 1) + "</td><td class=\"r\">" + num(pm["outages"]) +
               "</td><td class=\"r\">" +
               (pm["availability_pct"].is_null() ? std::string("—")
                                                 : esc(fmt_duration(pm["downtime_s"].get<double>(), m_lang))) +
               "</td><td class=\"r\">" +
               esc(pm["availability_pct"].is_null() ? L("legend_off") : fmt_pct(pm["availability_pct"], 2, m_lang)) +
               "</td></tr>";
    }
    m_out += "</tbody></table>";

    m_out += "<h3>" + esc(L("links")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th>" + esc(L("hostname")) + "</th><th>" +
             esc(L("interface")) + "</th><th>" + esc(L("flaps")) + "</th><th>" + esc(L("crc")) + "</th><th>" +
             esc(L("downgrades")) + "</th><th>" + esc(L("speed")) + "</th></tr></thead><tbody>";
    n = 0;
    for (const auto& l : net["links"]) {
      const long long signs = l["flaps"].get<long long>() + l["crc_errors"].get<long long>() +
                              l["speed_downgrades"].get<long long>() + l["minutes_below_max_speed"].get<long long>();
      if (signs == 0 || n >= 15) continue;
      const std::string speed = num(l["min_speed_mbps"]) + " / " + num(l["max_speed_mbps"]);
      m_out +=
          "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td>" + esc(l["hostname"].get<std::string>()) +
          "</td><td>" + esc(l["interface"].get<std::string>()) + "</td><td class=\"r\">" + num(l["flaps"]) +
          "</td><td class=\"r\">" + num(l["crc_errors"]) + "</td><td class=\"r\">" + num(l["speed_downgrades"]) +
          (l["minutes_below_max_speed"].get<long long>() > 0
               ? " (" + num(l["minutes_below_max_speed"]) + (vi() ? " phút dưới tốc độ tối đa)" : " min below max)")
               : "") +
          "</td><td class=\"r\">" + esc(speed) + "</td></tr>";
    }
    if (n == 0)
      m_out += "<tr><td colspan=\"7\" class=\"c\">" + esc(vi() ? "Không ghi nhận dấu hiệu" : "No symptom recorded") +
               "</td></tr>";
    m_out += "</tbody></table><p class=\"muted\">" +
             esc(vi() ? "Tốc độ liên kết: thấp nhất ghi nhận / tối đa của card mạng. Card 1 Gb/s chỉ đạt 100 Mb/s là "
                        "dấu hiệu điển hình của cáp hỏng một đôi dây."
                      : "Link speed: lowest seen / the card's maximum. A 1 Gb/s card at 100 Mb/s is the classic sign "
                        "of a broken pair.") +
             "</p>";

    m_out += "<h3>" + esc(L("probes")) + "</h3>";
    m_out += "<table><thead><tr><th>" + esc(L("layer")) + "</th><th>" + esc(vi() ? "Số gói gửi / mất" : "Sent / lost") +
             "</th><th>" + esc(L("loss")) + "</th><th>" + esc(L("latency_p50")) + "</th><th>" + esc(L("latency_p95")) +
             "</th><th>" + esc(L("jitter")) + "</th></tr></thead><tbody>";
    for (const auto& p : net["probes"]) {
      m_out += "<tr><td>" + esc(L(("layer_" + p["layer"].get<std::string>()).c_str())) + "</td><td class=\"r\">" +
               num(p["sent"]) + " / " + num(p["lost"]) + "</td><td class=\"r\">" +
               esc(fmt_pct(p["loss_pct"], 2, m_lang)) + "</td><td class=\"r\">" + num(p["rtt_p50_ms"], 1) +
               "</td><td class=\"r\">" + num(p["rtt_p95_ms"], 1) + "</td><td class=\"r\">" +
               num(p["jitter_avg_ms"], 1) + "</td></tr>";
    }
    if (net["probes"].empty()) m_out += "<tr><td colspan=\"6\" class=\"c\">" + esc(L("no_data")) + "</td></tr>";
    m_out += "</tbody></table></section>";
  }

  void claims() {
    m_out += "<section class=\"page\"><h2>" + esc(L("s4")) + "</h2><p>" +
             esc(vi() ? "Mỗi nội dung nêu tại mục “Tồn tại, hạn chế, khó khăn” được đối chiếu với số liệu đo; các câu "
                        "dưới đây có thể trích dẫn nguyên văn vào báo cáo."
                      : "Each claim of the “Shortcomings and difficulties” section set against the measurements; the "
                        "sentences can be quoted as they are.") +
             "</p>";
    m_out += "<table><thead><tr><th>" + esc(L("no")) + "</th><th style=\"width:28%\">" + esc(L("claim")) + "</th><th>" +
             esc(L("finding")) + "</th><th style=\"width:16%\">" + esc(L("assessment")) + "</th></tr></thead><tbody>";
    int n = 0;
    for (const auto& c : m_r["claims"]) {
      const std::string v = c["verdict"].get<std::string>();
      m_out += "<tr><td class=\"c\">" + std::to_string(++n) + "</td><td><i>" + esc(c["claim"].get<std::string>()) +
               "</i></td><td>" + esc(c["text"].get<std::string>()) + "</td><td class=\"c v-" + v + "\">" +
               esc(verdict_label(v, m_lang)) + "</td></tr>";
    }
    m_out += "</tbody></table></section>";
  }
};

}  // namespace

std::string render_json(const nlohmann::json& report) {
  return report.dump(2) + "\n";
}

std::string render_html(const nlohmann::json& report) {
  const Lang lang = report.value("lang", std::string("vi")) == "en" ? Lang::en : Lang::vi;
  return Html(report, lang).build();
}

}  // namespace itsa::report
