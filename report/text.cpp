#include "report/text.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace itsa::report {

namespace {

struct Pair {
  const char* vi;
  const char* en;
};

const std::map<std::string_view, Pair>& labels() {
  static const std::map<std::string_view, Pair> k_labels = {
      {"title", {"SỐ LIỆU ĐO KIỂM MÁY TÍNH VÀ HỆ THỐNG MẠNG", "MEASURED EVIDENCE: COMPUTERS AND NETWORK"}},
      {"subtitle",
       {"Tài liệu minh chứng cho mục “Tồn tại, hạn chế, khó khăn”",
        "Supporting evidence for “Shortcomings and difficulties”"}},
      {"agency", {"Cơ quan", "Agency"}},
      {"site", {"Đơn vị / địa điểm", "Site"}},
      {"all_sites", {"Tất cả", "All"}},
      {"period", {"Kỳ số liệu", "Period"}},
      {"data_as_of", {"Số liệu tính đến ngày", "Data as of"}},
      {"from_to", {"từ ngày %s đến ngày %s", "from %s to %s"}},
      {"s1", {"I. PHẠM VI VÀ PHƯƠNG PHÁP", "I. SCOPE AND METHOD"}},
      {"s2", {"II. MÁY TÍNH", "II. COMPUTERS"}},
      {"s3", {"III. HỆ THỐNG MẠNG", "III. NETWORK"}},
      {"s4", {"IV. NHẬN ĐỊNH TỪ SỐ LIỆU", "IV. WHAT THE FIGURES SUPPORT"}},
      {"appendix", {"PHỤ LỤC", "APPENDIX"}},
      {"no", {"STT", "No."}},
      {"indicator", {"Chỉ tiêu", "Indicator"}},
      {"unit", {"Đơn vị tính", "Unit"}},
      {"value", {"Số liệu", "Value"}},
      {"notes", {"Ghi chú", "Notes"}},
      {"machines_unit", {"máy", "PCs"}},
      {"times_unit", {"lần", "times"}},
      {"hours_unit", {"giờ", "hours"}},
      {"pc_hours_unit", {"giờ-máy", "PC-hours"}},
      {"years_unit", {"năm", "years"}},
      {"hours_office", {"Chỉ tính giờ làm việc", "Office hours only"}},
      {"hours_all", {"Tính toàn bộ thời gian quan sát", "Every observed second"}},
      {"office_hours", {"Giờ làm việc", "Office hours"}},
      {"weekdays_mon_fri", {"Thứ Hai – Thứ Sáu", "Monday – Friday"}},
      {"sites", {"Đơn vị / địa điểm", "Sites"}},
      {"machines_total", {"Số máy tính trong phạm vi", "Computers in scope"}},
      {"machines_observed", {"Số máy có số liệu quan sát trong kỳ", "Computers observed in the period"}},
      {"observed_pc_hours", {"Tổng thời gian quan sát", "Observed time"}},
      {"coverage_pct", {"Tỷ lệ thời gian quan sát so với giờ làm việc", "Observed share of counted time"}},
      {"probe_interval", {"Chu kỳ đo kiểm kết nối", "Probe interval"}},
      {"probe_thresholds", {"Ngưỡng xác định mất / có kết nối", "Down / up thresholds"}},
      {"agent_versions", {"Phiên bản phần mềm đo (itsa)", "Agent versions"}},
      {"clock_sync", {"Đồng bộ thời gian", "Clock synchronisation"}},
      {"limits", {"Giới hạn của số liệu", "Limits of the evidence"}},
      {"causes", {"Phân loại nguyên nhân mất kết nối", "What each cause means"}},
      {"inventoried", {"Số máy đã kiểm kê", "Computers inventoried"}},
      {"meeting", {"Số máy đạt cấu hình", "Meeting the profile"}},
      {"not_meeting", {"Số máy không đạt cấu hình", "Not meeting the profile"}},
      {"unknown_verdict", {"Số máy chưa đánh giá được", "Not assessable"}},
      {"profile", {"Cấu hình đối chiếu", "Profile"}},
      {"by_rule", {"Số máy không đạt theo từng tiêu chí", "Machines failing each rule"}},
      {"rule", {"Tiêu chí", "Rule"}},
      {"required", {"Yêu cầu", "Required"}},
      {"measured", {"Thực tế", "Measured"}},
      {"age_avg", {"Tuổi máy bình quân (theo ngày phát hành BIOS)", "Average machine age (from BIOS date)"}},
      {"age_past_life", {"Số máy đã quá thời gian sử dụng 5 năm", "Machines past the 5-year useful life"}},
      {"age_hist", {"Phân bố tuổi máy", "Machine age distribution"}},
      {"verdict_chart", {"Kết quả đánh giá theo tiêu chí", "Verdicts by rule"}},
      {"failing_list", {"Danh sách máy tính không đạt cấu hình", "Computers that do not meet the profile"}},
      {"machine_list", {"Danh sách máy tính", "Machine inventory"}},
      {"hostname", {"Tên máy", "Computer"}},
      {"verdict", {"Kết quả", "Verdict"}},
      {"reasons", {"Lý do", "Reasons"}},
      {"age", {"Tuổi máy (năm)", "Age (years)"}},
      {"ram", {"RAM", "RAM"}},
      {"cpu", {"CPU", "CPU"}},
      {"os", {"Hệ điều hành", "OS"}},
      {"disk", {"Ổ hệ thống", "System disk"}},
      {"pressure", {"Thời gian CPU hoặc RAM trên 90%", "Time with CPU or memory > 90%"}},
      {"pressure_share",
       {"Tỷ lệ thời gian làm việc có CPU hoặc bộ nhớ trên 90% (toàn bộ máy)",
        "Share of working time with CPU or memory > 90% (all PCs)"}},
      {"availability", {"Tỷ lệ sẵn sàng của kết nối mạng", "Network availability"}},
      {"outages_count", {"Số lần mất kết nối", "Number of outages"}},
      {"site_wide", {"trong đó: ảnh hưởng toàn đơn vị", "of which site-wide"}},
      {"single_machine", {"trong đó: chỉ một máy", "of which single-machine"}},
      {"downtime", {"Tổng thời gian mất kết nối (cộng theo từng máy)", "Total downtime (summed over PCs)"}},
      {"event_downtime", {"Tổng thời gian gián đoạn (theo lần mất kết nối)", "Outage duration (per outage, summed)"}},
      {"mean_downtime", {"Thời gian gián đoạn bình quân mỗi lần", "Mean outage duration"}},
      {"mtbf", {"Thời gian hoạt động bình quân giữa hai lần mất kết nối (MTBF, mỗi máy)", "MTBF (per PC)"}},
      {"mttr", {"Thời gian khôi phục bình quân (MTTR, mỗi máy)", "MTTR (per PC)"}},
      {"by_cause", {"Số lần mất kết nối theo nguyên nhân", "Outages by cause"}},
      {"cause", {"Nguyên nhân", "Cause"}},
      {"heatmap", {"Tỷ lệ sẵn sàng theo ngày và theo máy", "Availability per day and machine"}},
      {"events", {"Danh sách các lần mất kết nối", "Outages, one by one"}},
      {"start", {"Bắt đầu", "Start"}},
      {"end", {"Kết thúc", "End"}},
      {"duration", {"Thời gian", "Duration"}},
      {"scope_col", {"Phạm vi", "Scope"}},
      {"machines_col", {"Máy bị ảnh hưởng", "Machines"}},
      {"links", {"Máy và cổng mạng có dấu hiệu cáp kém", "Machines and ports with cable symptoms"}},
      {"interface", {"Cổng mạng", "Interface"}},
      {"flaps", {"Số lần chập chờn", "Link flaps"}},
      {"crc", {"Lỗi CRC", "CRC errors"}},
      {"downgrades", {"Giảm tốc độ liên kết", "Speed downgrades"}},
      {"speed", {"Tốc độ liên kết (Mb/s)", "Link speed (Mb/s)"}},
      {"probes", {"Tỷ lệ mất gói và độ trễ", "Packet loss and latency"}},
      {"layer", {"Lớp đo", "Layer"}},
      {"loss", {"Tỷ lệ mất gói", "Packet loss"}},
      {"latency_p50", {"Độ trễ trung vị (ms)", "Median latency (ms)"}},
      {"latency_p95", {"Độ trễ P95 (ms)", "P95 latency (ms)"}},
      {"jitter", {"Độ biến động trễ (ms)", "Jitter (ms)"}},
      {"per_machine", {"Tỷ lệ sẵn sàng theo máy", "Availability per machine"}},
      {"claim", {"Nội dung báo cáo", "Claim of the report"}},
      {"finding", {"Số liệu", "What the figures say"}},
      {"assessment", {"Đánh giá", "Assessment"}},
      {"none", {"Không có", "None"}},
      {"unknown", {"Chưa xác định", "Unknown"}},
      {"no_data", {"Không có số liệu", "No data"}},
      {"layer_gateway", {"Cổng mặc định (gateway)", "Default gateway"}},
      {"layer_lan", {"Máy chủ nội bộ (LAN)", "LAN targets"}},
      {"layer_internet", {"Internet", "Internet"}},
      {"layer_dns", {"Phân giải tên miền (DNS)", "DNS"}},
      {"legend_off", {"Không quan sát", "Not observed"}},
      {"footer",
       {"Số liệu do phần mềm itsa tự động đo kiểm và tổng hợp; mọi chỉ tiêu được tính từ bản ghi đo, không nhập tay.",
        "Figures measured and compiled automatically by itsa; every figure is computed from stored records, none is "
        "typed in."}},
  };
  return k_labels;
}

}  // namespace

std::string label(std::string_view key, Lang lang) {
  const auto it = labels().find(key);
  if (it == labels().end()) return std::string(key);
  return lang == Lang::vi ? it->second.vi : it->second.en;
}

std::string fmt_num(double value, int digits, Lang lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  std::string raw = buf;
  const bool negative = !raw.empty() && raw[0] == '-';
  if (negative) raw.erase(0, 1);
  const auto dot = raw.find('.');
  std::string int_part = raw.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : raw.substr(dot + 1);
  const char group = lang == Lang::vi ? '.' : ',';
  const char decimal = lang == Lang::vi ? ',' : '.';
  std::string grouped;
  for (std::size_t i = 0; i < int_part.size(); ++i) {
    if (i > 0 && (int_part.size() - i) % 3 == 0) grouped += group;
    grouped += int_part[i];
  }
  std::string out = (negative ? "-" : "") + grouped;
  if (!frac.empty()) out += decimal + frac;
  return out;
}

std::string fmt_pct(const nlohmann::json& value, int digits, Lang lang) {
  if (!value.is_number()) return "—";
  return fmt_num(value.get<double>(), digits, lang) + "%";
}

std::string fmt_duration(double seconds, Lang lang) {
  const auto total = static_cast<long long>(std::llround(seconds));
  if (total < 60) return std::to_string(total) + (lang == Lang::vi ? " giây" : " s");
  const long long minutes = total / 60;
  const long long hours = minutes / 60;
  char buf[64];
  if (hours == 0) {
    std::snprintf(buf, sizeof buf, lang == Lang::vi ? "%lld phút" : "%lld min", minutes);
  } else {
    std::snprintf(buf, sizeof buf, lang == Lang::vi ? "%lld giờ %02lld phút" : "%lld h %02lld min", hours,
                  minutes % 60);
  }
  return buf;
}

std::string fmt_gb(double bytes, Lang lang) {
  return fmt_num(bytes / (1024.0 * 1024 * 1024), 1, lang) + " GB";
}

std::string rule_label(std::string_view id, Lang lang) {
  struct Match {
    const char* needle;
    Pair text;
  };
  static const Match k_rules[] = {
      {"tpm", {"Không có TPM 2.0", "No TPM 2.0"}},
      {"secure_boot", {"Không hỗ trợ Secure Boot", "No Secure Boot"}},
      {"uefi", {"Không khởi động UEFI", "No UEFI boot"}},
      {"generation", {"CPU không thuộc danh sách hỗ trợ", "CPU generation not supported"}},
      {"64", {"CPU không phải 64-bit", "CPU not 64-bit"}},
      {"arch", {"CPU không phải 64-bit", "CPU not 64-bit"}},
      {"core", {"CPU ít nhân", "Too few CPU cores"}},
      {"mhz", {"Xung nhịp CPU thấp", "CPU clock too low"}},
      {"speed", {"Xung nhịp CPU thấp", "CPU clock too low"}},
      {"ram", {"RAM dưới mức yêu cầu", "RAM below the requirement"}},
      {"memory", {"RAM dưới mức yêu cầu", "RAM below the requirement"}},
      {"free", {"Ổ hệ thống còn ít dung lượng trống", "System disk nearly full"}},
      {"ssd", {"Ổ hệ thống là ổ cứng cơ (HDD)", "HDD system disk"}},
      {"media", {"Ổ hệ thống là ổ cứng cơ (HDD)", "HDD system disk"}},
      {"storage", {"Dung lượng lưu trữ thấp", "Storage too small"}},
      {"disk", {"Ổ đĩa không đạt yêu cầu", "Disk below the requirement"}},
      {"os", {"Hệ điều hành hết hỗ trợ", "OS out of support"}},
      {"age", {"Máy đã sử dụng trên 5 năm", "Older than 5 years"}},
  };
  for (const Match& m : k_rules) {
    if (id.find(m.needle) != std::string_view::npos) return lang == Lang::vi ? m.text.vi : m.text.en;
  }
  return std::string(id);
}

std::string cause_label(std::string_view cause, Lang lang) {
  if (cause == "link_down") return lang == Lang::vi ? "Cáp/cổng mạng của máy" : "Own cable/port";
  if (cause == "lan") return lang == Lang::vi ? "Mạng nội bộ (LAN)" : "Office LAN";
  if (cause == "upstream") return lang == Lang::vi ? "Nhà cung cấp dịch vụ Internet" : "Internet provider";
  if (cause == "dns") return lang == Lang::vi ? "Phân giải tên miền (DNS)" : "DNS";
  return lang == Lang::vi ? "Chưa xác định" : "Unknown";
}

std::string verdict_label(std::string_view verdict, Lang lang) {
  if (verdict == "supported") return lang == Lang::vi ? "Số liệu ủng hộ" : "Supported";
  if (verdict == "partly_supported") return lang == Lang::vi ? "Ủng hộ một phần" : "Partly supported";
  if (verdict == "not_supported") return lang == Lang::vi ? "Số liệu không ủng hộ" : "Not supported";
  if (verdict == "insufficient_data") return lang == Lang::vi ? "Chưa đủ số liệu" : "Insufficient data";
  return lang == Lang::vi ? "Không thuộc phạm vi đo" : "Not measured";
}

std::string machine_verdict_label(std::string_view verdict, Lang lang) {
  if (verdict == "meets") return lang == Lang::vi ? "Đạt" : "Meets";
  if (verdict == "does_not_meet") return lang == Lang::vi ? "Không đạt" : "Does not meet";
  return lang == Lang::vi ? "Chưa đánh giá" : "Unknown";
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace itsa::report
