// "What the figures support": one plain sentence per claim of the source report, filled from
// the computed sections, with a verdict that says plainly when the data do not support it.
#include <algorithm>
#include <string>
#include <vector>

#include "report/compute_detail.hpp"
#include "report/text.hpp"

namespace itsa::report::detail {

namespace {

constexpr double k_majority_pct = 50.0;           // "many computers": at least half of those assessed
constexpr double k_working_week_hours = 40.0;     // one PC's working week
constexpr double k_min_observed_pc_hours = 40.0;  // below this, too little observation to judge frequency
constexpr double k_physical_share = 0.25;         // cable symptoms on a quarter of observed PCs = widespread

std::string n(double v, Lang lang, int digits = 0) {
  return fmt_num(v, digits, lang);
}
std::string n(const nlohmann::json& v, Lang lang, int digits = 0) {
  return v.is_number() ? fmt_num(v.get<double>(), digits, lang) : "—";
}

nlohmann::json claim(const char* id, const std::string& verdict, const std::string& source, const std::string& text) {
  return {{"id", id}, {"verdict", verdict}, {"claim", source}, {"text", text}};
}

nlohmann::json computers_inadequate(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& m = r["machines"];
  const int assessed = m["assessed"].get<int>();
  const int not_meeting = m["not_meeting"].get<int>();
  const int unknown = m["unknown"].get<int>();
  const std::string source =
      lang == Lang::vi ? "Nhiều máy tính của cơ quan cấu hình không đảm bảo cho công tác chuyển đổi số."
                       : "Many of the agency's computers are inadequately configured for digital transformation.";
  std::string profiles;
  for (const auto& p : m["profiles"]) profiles += (profiles.empty() ? "" : ", ") + p.get<std::string>();
  if (assessed == 0) {
    return claim("computers_inadequate", "insufficient_data", source,
                 lang == Lang::vi ? "Chưa có máy tính nào được kiểm kê và đánh giá cấu hình trong kỳ, nên chưa đủ căn "
                                    "cứ để khẳng định nội dung này."
                                  : "No computer was inventoried and assessed in the period, so the data can neither "
                                    "support nor refute this claim.");
  }
  const double pct = m["not_meeting_pct"].get<double>();
  std::string text;
  std::string verdict;
  if (not_meeting == 0) {
    verdict = "not_supported";
    text = lang == Lang::vi ? "Cả " + n(assessed, lang) + " máy tính được đánh giá đều đạt cấu hình " + profiles +
                                  "; số liệu không cho thấy máy tính cấu hình không đảm bảo."
                            : "All " + n(assessed, lang) + " assessed computers meet the " + profiles +
                                  " configuration; the data do not show inadequately configured computers.";
  } else {
    verdict = pct >= k_majority_pct ? "supported" : "partly_supported";
    // The most frequent failing rules.
    std::vector<std::pair<int, std::string>> rules;
    for (const auto& [id, count] : m["by_rule"].items()) rules.emplace_back(count.get<int>(), id);
    std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    std::string reasons;
    for (std::size_t i = 0; i < rules.size() && i < 4; ++i) {
      reasons += (i == 0 ? "" : "; ") + rule_label(rules[i].second, lang) + ": " + n(rules[i].first, lang) +
                 (lang == Lang::vi ? " máy" : (rules[i].first == 1 ? " computer" : " computers"));
    }
    if (lang == Lang::vi) {
      text = "Có " + n(not_meeting, lang) + "/" + n(assessed, lang) + " máy tính (" + n(pct, lang, 1) +
             "%) không đạt cấu hình " + profiles + "; trong đó " + n(m["not_meeting_small_ram"], lang) +
             " máy có RAM từ 4 GB trở xuống và " + n(m["not_meeting_past_useful_life"], lang) +
             " máy đã sử dụng trên 5 năm. Các tiêu chí không đạt nhiều nhất: " + reasons + ".";
      if (pct < k_majority_pct) text += " Số máy không đạt chưa chiếm đa số.";
    } else {
      text = n(not_meeting, lang) + " of " + n(assessed, lang) + " computers (" + n(pct, lang, 1) +
             "%) do not meet the " + profiles + " configuration; " + n(m["not_meeting_small_ram"], lang) +
             " of them have 4 GB RAM or less and " + n(m["not_meeting_past_useful_life"], lang) +
             " are older than 5 years. Most frequent failing rules: " + reasons + ".";
      if (pct < k_majority_pct) text += " They are not a majority.";
    }
  }
  if (unknown > 0) {
    text += lang == Lang::vi ? " " + n(unknown, lang) + " máy chưa đánh giá được (chưa có số liệu kiểm kê)."
                             : " " + n(unknown, lang) + " computer(s) could not be assessed (no inventory).";
  }
  return claim("computers_inadequate", verdict, source, text);
}

nlohmann::json computers_degraded(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& age = r["machines"]["age"];
  const nlohmann::json& pressure = r["machines"]["pressure"];
  const int known = age["known"].get<int>();
  const int past = age["past_useful_life"].get<int>();
  const int with_data = pressure["machines_with_data"].get<int>();
  const int saturated = pressure["machines_often_saturated"].get<int>();
  const std::string source =
      lang == Lang::vi ? "Nhiều máy tính của cơ quan đã xuống cấp." : "Many of the agency's computers are degraded.";
  if (known == 0 && with_data == 0) {
    return claim("computers_degraded", "insufficient_data", source,
                 lang == Lang::vi ? "Chưa xác định được tuổi máy và chưa có số liệu tải CPU/bộ nhớ, nên chưa đủ căn cứ "
                                    "để đánh giá mức độ xuống cấp."
                                  : "Neither machine age nor CPU/memory load could be measured, so there is not enough "
                                    "evidence to judge wear.");
  }
  std::string text;
  if (known > 0) {
    text = lang == Lang::vi
               ? "Tuổi máy bình quân (tính theo ngày phát hành BIOS) là " + n(age["average_years"], lang, 1) +
                     " năm; " + n(past, lang) + "/" + n(known, lang) +
                     " máy đã sử dụng trên 5 năm (hết thời gian sử dụng theo quy định về tài sản công)."
               : "Average machine age (from the BIOS date) is " + n(age["average_years"], lang, 1) + " years; " +
                     n(past, lang) + " of " + n(known, lang) + " computers are past the 5-year useful life.";
  }
  if (with_data > 0) {
    text += (text.empty() ? "" : " ") +
            (lang == Lang::vi ? n(saturated, lang) + "/" + n(with_data, lang) +
                                    " máy có từ 10% thời gian làm việc trở lên ở mức CPU hoặc bộ nhớ trên 90%."
                              : n(saturated, lang) + " of " + n(with_data, lang) +
                                    " computers spent 10% or more of their working time with CPU or memory above 90%.");
  }
  std::string verdict;
  if (known > 0 && past * 2 >= known) {
    verdict = "supported";
  } else if (past > 0 || saturated > 0) {
    verdict = "partly_supported";
  } else {
    verdict = "not_supported";
    text += lang == Lang::vi ? " Số liệu không cho thấy máy tính đã xuống cấp."
                             : " The data do not show degraded computers.";
  }
  return claim("computers_degraded", verdict, source, text);
}

nlohmann::json network_loses_connection(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& net = r["network"];
  const nlohmann::json& o = net["outages"];
  const double observed_h = net["observed_s"].get<double>() / 3600.0;
  const bool office = r["period"]["hours"] == "office";
  const std::string source = lang == Lang::vi ? "Hệ thống dây mạng thường xuyên mất kết nối."
                                              : "The network cabling frequently loses connection.";
  if (observed_h < k_min_observed_pc_hours) {
    return claim("network_frequent_loss", "insufficient_data", source,
                 lang == Lang::vi
                     ? "Mới quan sát được " + n(observed_h, lang, 1) + " giờ-máy (cần tối thiểu " +
                           n(k_min_observed_pc_hours, lang) + " giờ-máy), chưa đủ để đánh giá tần suất mất kết nối."
                     : "Only " + n(observed_h, lang, 1) + " PC-hours were observed (at least " +
                           n(k_min_observed_pc_hours, lang) +
                           " are needed), too little to judge how often the network drops.");
  }
  const int count = o["count"].get<int>();
  const nlohmann::json& bc = o["by_cause"];
  const nlohmann::json& mc = o["machine_by_event_cause"];
  const double cabling = mc["link_down"].get<double>() + mc["lan"].get<double>();
  const double per_week = cabling / observed_h * k_working_week_hours;
  std::string text;
  if (lang == Lang::vi) {
    text = "Trong " + n(observed_h, lang, 1) + " giờ-máy quan sát" + (office ? " trong giờ làm việc" : "") +
           ", ghi nhận " + n(count, lang) + " lần mất kết nối (tỷ lệ sẵn sàng " +
           fmt_pct(net["availability_pct"], 2, lang) + ", tổng thời gian mất kết nối " +
           fmt_duration(net["downtime_s"].get<double>(), lang) + "), gồm: " + n(bc["link_down"], lang) +
           " lần do cáp/cổng mạng của máy, " + n(bc["lan"], lang) + " lần do mạng nội bộ (LAN), " +
           n(bc["upstream"], lang) + " lần do nhà cung cấp dịch vụ Internet, " + n(bc["dns"], lang) + " lần do DNS; " +
           n(o["site_wide"], lang) +
           " lần ảnh hưởng đồng thời phần lớn máy của đơn vị. Bình quân mỗi máy mất kết nối do cáp hoặc mạng nội bộ " +
           n(per_week, lang, 1) + " lần/tuần làm việc.";
  } else {
    text = "Over " + n(observed_h, lang, 1) + " observed PC-hours" + (office ? " of working time" : "") + ", " +
           n(count, lang) + " outages were recorded (availability " + fmt_pct(net["availability_pct"], 2, lang) +
           ", total downtime " + fmt_duration(net["downtime_s"].get<double>(), lang) +
           "): " + n(bc["link_down"], lang) + " from a PC's own cable/port, " + n(bc["lan"], lang) +
           " from the office LAN, " + n(bc["upstream"], lang) + " from the internet provider, " + n(bc["dns"], lang) +
           " from DNS; " + n(o["site_wide"], lang) +
           " hit most PCs of a site at once. On average each PC lost the network through its cable or the LAN " +
           n(per_week, lang, 1) + " times per working week.";
  }
  std::string verdict;
  if (per_week >= 1.0) {
    verdict = "supported";
  } else if (cabling > 0) {
    verdict = "partly_supported";
    text += lang == Lang::vi
                ? " Có mất kết nối do cáp hoặc mạng nội bộ nhưng chưa đến mức thường xuyên (dưới 1 lần/máy/tuần)."
                : " Cable or LAN outages occur, but less than once per PC per week.";
  } else {
    verdict = "not_supported";
    text += lang == Lang::vi
                ? " Không ghi nhận lần mất kết nối nào do cáp hoặc mạng nội bộ; số liệu không ủng hộ nội dung này."
                : " No outage was caused by the cabling or the LAN; the data do not support this claim.";
  }
  if (bc["upstream"].get<int>() + bc["dns"].get<int>() > bc["link_down"].get<int>() + bc["lan"].get<int>()) {
    text +=
        lang == Lang::vi
            ? " Phần lớn các lần mất kết nối do phía nhà cung cấp Internet/DNS, không phải do dây mạng trong cơ quan."
            : " Most outages came from the internet provider or DNS, not from the office cabling.";
  }
  return claim("network_frequent_loss", verdict, source, text);
}

nlohmann::json cabling_degraded(const nlohmann::json& r, Lang lang) {
  const nlohmann::json& links = r["network"]["links"];
  const nlohmann::json& s = r["network"]["links_summary"];
  const std::string source = lang == Lang::vi ? "Hệ thống dây mạng lắp đặt trên 15 năm đã xuống cấp, hư hỏng."
                                              : "The cabling, installed over 15 years ago, is degraded and damaged.";
  std::vector<std::string> affected;
  for (const auto& l : links) {
    const bool sign = l["flaps"].get<long long>() > 0 || l["crc_errors"].get<long long>() > 0 ||
                      l["speed_downgrades"].get<long long>() > 0 || l["minutes_below_max_speed"].get<long long>() > 0;
    const std::string host = l["hostname"].get<std::string>();
    if (sign && std::find(affected.begin(), affected.end(), host) == affected.end()) affected.push_back(host);
  }
  if (links.empty()) {
    return claim("cabling_degraded", "insufficient_data", source,
                 lang == Lang::vi ? "Chưa có số liệu về trạng thái liên kết vật lý (cổng mạng) trong kỳ."
                                  : "No physical-link data were recorded in the period.");
  }
  const int observed = r["scope"]["machines_observed"].get<int>();
  std::string text =
      lang == Lang::vi
          ? n(s["machines_flapping"], lang) + " máy có kết nối chập chờn (mất/có tín hiệu liên kết), " +
                n(s["machines_crc_errors"], lang) + " máy có lỗi CRC, " + n(s["machines_speed_downgraded"], lang) +
                " máy có card mạng chạy dưới tốc độ tối đa (ví dụ card 1 Gb/s chỉ đạt 100 Mb/s) — tổng cộng " +
                n(static_cast<double>(affected.size()), lang) + "/" + n(observed, lang) +
                " máy có dấu hiệu cáp hoặc đầu nối kém."
          : n(s["machines_flapping"], lang) + " computers had flapping links, " + n(s["machines_crc_errors"], lang) +
                " had CRC errors, " + n(s["machines_speed_downgraded"], lang) +
                " ran below their card's speed (e.g. a 1 Gb/s card at 100 Mb/s) — " +
                n(static_cast<double>(affected.size()), lang) + " of " + n(observed, lang) +
                " computers show signs of a poor cable or connector.";
  std::string verdict;
  if (affected.empty()) {
    verdict = "not_supported";
    text += lang == Lang::vi ? " Số liệu không cho thấy dấu hiệu hư hỏng ở lớp vật lý."
                             : " The data show no physical-layer damage.";
  } else if (static_cast<double>(affected.size()) >= k_physical_share * observed) {
    verdict = "supported";
    text += lang == Lang::vi
                ? " Đề nghị khảo sát, đo kiểm, sửa chữa hệ thống cáp mạng, ưu tiên các cổng nêu tại mục III."
                : " A cabling survey, test and repair is warranted, starting with the ports listed in section III.";
  } else {
    verdict = "partly_supported";
    text += lang == Lang::vi ? " Dấu hiệu tập trung ở một số ít máy, nên kiểm tra cục bộ các cổng này trước."
                             : " The symptoms are limited to a few PCs; check those ports first.";
  }
  return claim("cabling_degraded", verdict, source, text);
}

nlohmann::json not_measured(Lang lang) {
  return claim("staff_skills", "not_measured",
               lang == Lang::vi ? "Cán bộ phụ trách công nghệ thông tin kiêm nhiệm; một số công chức còn hạn chế về kỹ "
                                  "năng ứng dụng công nghệ thông tin."
                                : "The IT officer is part-time and untrained; some staff have limited IT skills.",
               lang == Lang::vi
                   ? "itsa không đo các nội dung này; số liệu trong báo cáo không chứng minh cũng không bác bỏ."
                   : "itsa does not measure this; the figures in this report neither support nor refute it.");
}

}  // namespace

nlohmann::json compute_claims(const nlohmann::json& report, Lang lang) {
  return nlohmann::json::array({computers_inadequate(report, lang), computers_degraded(report, lang),
                                network_loses_connection(report, lang), cabling_degraded(report, lang),
                                not_measured(lang)});
}

}  // namespace itsa::report::detail
