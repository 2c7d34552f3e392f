#include "report/text.hpp"

#include "report/catalogue.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace itsa::report {

namespace {

/// The entry of `key` in `lang`, or nullptr.
const char* find_label(std::string_view key, Lang lang) {
  const auto it = catalogue().find(key);
  if (it == catalogue().end()) return nullptr;
  return lang == Lang::vi ? it->second.vi : it->second.en;
}

/// "1234567" → "1.234.567" with `sep`.
std::string group_digits(std::string digits, char sep) {
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), 1, sep);
  return digits;
}

}  // namespace

std::string fmt_date(const std::string& iso, Lang lang) {
  if (lang != Lang::vi || iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string label(std::string_view key, Lang lang) {
  const char* text = find_label(key, lang);
  return text ? text : std::string(key);
}

std::string label(std::string_view key, Lang lang, std::initializer_list<std::string_view> args) {
  const char* text = find_label(key, lang);
  if (!text) return std::string(key);
  const std::string_view t = text;
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 2 < t.size() && t[i + 1] >= '1' && t[i + 1] <= '9' && t[i + 2] == '}') {
      const auto n = static_cast<std::size_t>(t[i + 1] - '1');
      if (n < args.size()) {
        out += *(args.begin() + n);
        i += 2;
        continue;
      }
    }
    out += t[i];
  }
  return out;
}

std::string fmt_num(double value, int digits, Lang lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  std::string raw = buf;
  const bool negative = !raw.empty() && raw[0] == '-';
  if (negative) raw.erase(0, 1);
  const auto dot = raw.find('.');
  const std::string frac = dot == std::string::npos ? "" : raw.substr(dot + 1);
  const char group = lang == Lang::vi ? '.' : ',';
  const char decimal = lang == Lang::vi ? ',' : '.';
  std::string out = (negative ? "-" : "") + group_digits(raw.substr(0, dot), group);
  if (!frac.empty()) out += decimal + frac;
  return out;
}

std::string format_number(Lang lang, double value, int decimals) {
  if (!std::isfinite(value)) return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string s = buf;
  auto dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  const char group = lang == Lang::vi ? '.' : ',';
  const char dec = lang == Lang::vi ? ',' : '.';
  std::string out =
      (value < 0 && std::fabs(value) >= 0.5 * std::pow(10.0, -decimals) ? "-" : "") + group_digits(whole, group);
  if (!frac.empty()) out += dec + frac;
  return out;
}

std::string fmt_pct(const nlohmann::json& value, int digits, Lang lang) {
  if (!value.is_number()) return "—";
  return fmt_num(value.get<double>(), digits, lang) + "%";
}

std::string fmt_duration(double seconds, Lang lang) {
  const auto total = static_cast<long long>(std::llround(seconds));
  if (total < 60) return label("duration_seconds", lang, {std::to_string(total)});
  const long long minutes = total / 60;
  const long long hours = minutes / 60;
  if (hours == 0) return label("duration_minutes", lang, {std::to_string(minutes)});
  char mm[32];
  std::snprintf(mm, sizeof mm, "%02lld", minutes % 60);
  return label("duration_hours", lang, {std::to_string(hours), mm});
}

std::string fmt_gb(double bytes, Lang lang) {
  return fmt_num(bytes / (1024.0 * 1024 * 1024), 1, lang) + " GB";
}

std::string rule_label(std::string_view id, Lang lang) {
  struct Match {
    const char* needle;  // first needle found in the id wins
    const char* key;
  };
  static const Match k_rules[] = {
      {"tpm", "rule_tpm"},
      {"secure_boot", "rule_secure_boot"},
      {"uefi", "rule_uefi"},
      {"generation", "rule_generation"},
      {"64", "rule_64bit"},
      {"arch", "rule_64bit"},
      {"core", "rule_cores"},
      {"mhz", "rule_clock"},
      {"speed", "rule_clock"},
      {"ram", "rule_ram"},
      {"memory", "rule_ram"},
      {"free", "rule_free"},
      {"ssd", "rule_hdd"},
      {"media", "rule_hdd"},
      {"disk_health", "rule_disk_health"},
      {"storage", "rule_storage"},
      {"disk", "rule_disk"},
      {"os", "rule_os"},
      {"age", "rule_age"},
  };
  for (const Match& m : k_rules) {
    if (id.find(m.needle) != std::string_view::npos) return label(m.key, lang);
  }
  return std::string(id);
}

std::string cause_label(std::string_view cause, Lang lang) {
  if (cause == "link_down") return label("cause_link_down", lang);
  if (cause == "lan") return label("cause_lan", lang);
  if (cause == "upstream") return label("cause_upstream", lang);
  if (cause == "dns") return label("cause_dns", lang);
  if (cause == "unknown") return label("cause_unknown", lang);
  return label("unknown", lang);
}

std::string verdict_label(std::string_view verdict, Lang lang) {
  if (verdict == "supported") return label("verdict_supported", lang);
  if (verdict == "partly_supported") return label("verdict_partly_supported", lang);
  if (verdict == "not_supported") return label("verdict_not_supported", lang);
  if (verdict == "insufficient_data") return label("verdict_insufficient_data", lang);
  return label("verdict_not_measured", lang);
}

std::string machine_verdict_label(std::string_view verdict, Lang lang) {
  if (verdict == "meets") return label("machine_meets", lang);
  if (verdict == "does_not_meet") return label("machine_does_not_meet", lang);
  return label("machine_unknown", lang);
}

std::string csv_cell(std::string_view value, bool text) {
  std::string s;
  if (text && !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) s = "'";
  s += value;
  if (s.find_first_of(",;\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
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
