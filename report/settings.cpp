#include "report/settings.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace itsa::report {

Result<ReportSettings> parse_settings(const nlohmann::json& doc, const std::string& where) {
  ReportSettings s;
  if (!doc.is_object()) return Error{where + ": expected a JSON object"};
  for (const auto& [key, value] : doc.items()) {
    if (key == "agency") {
      if (!value.is_string()) return Error{where + ": agency: expected a string"};
      s.agency = value.get<std::string>();
    } else if (key == "time_zone") {
      if (!value.is_string()) return Error{where + ": time_zone: expected a string"};
      s.schedule.time_zone = value.get<std::string>();
    } else if (key == "utc_offset_min") {
      if (!value.is_number_integer() || value.get<int>() < -720 || value.get<int>() > 840) {
        return Error{where + ": utc_offset_min: expected an integer from -720 to 840"};
      }
      s.schedule.utc_offset_min = value.get<int>();
    } else if (key == "weekdays") {
      static const char* const k_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
      if (!value.is_array() || value.empty())
        return Error{where + ": weekdays: expected a non-empty array such as [\"mon\",\"tue\"]"};
      for (bool& d : s.schedule.weekdays) d = false;
      for (const auto& day : value) {
        bool found = false;
        for (int i = 0; i < 7 && day.is_string(); ++i) {
          if (day.get<std::string>() == k_names[i]) {
            s.schedule.weekdays[i] = true;
            found = true;
          }
        }
        if (!found) return Error{where + ": weekdays: " + day.dump() + " is not one of sun mon tue wed thu fri sat"};
      }
    } else if (key == "office_hours") {
      if (!value.is_string()) return Error{where + ": office_hours: expected \"HH:MM-HH:MM[,HH:MM-HH:MM]\""};
      auto windows = parse_windows(value.get<std::string>());
      if (!windows) return Error{where + ": " + windows.error().message};
      s.schedule.windows = windows.value();
    } else if (key == "procurement") {
      if (!value.is_object()) return Error{where + ": procurement: expected an object"};
      for (const auto& [k, v] : value.items()) {
        const std::string at = where + ": procurement." + k;
        if (k == "useful_life_years") {
          if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 50)
            return Error{at + ": expected a number of years from 1 to 50"};
          s.procurement.useful_life_years = v.get<double>();
        } else if (k == "price_ceiling_vnd") {
          if (v.is_null()) {
            s.procurement.price_ceiling_vnd.reset();
          } else if (!v.is_number() || v.get<double>() <= 0) {
            return Error{at + ": expected a positive number of VND, or null"};
          } else {
            s.procurement.price_ceiling_vnd = v.get<double>();
          }
        } else if (k == "useful_life_source" || k == "price_source" || k == "checked") {
          if (!v.is_string() || v.get<std::string>().size() > 200) return Error{at + ": expected a short text"};
          (k == "useful_life_source" ? s.procurement.useful_life_source
           : k == "price_source"     ? s.procurement.price_source
                                     : s.procurement.checked) = v.get<std::string>();
        } else {
          return Error{at +
                       ": unknown key (useful_life_years, useful_life_source, price_ceiling_vnd, price_source, "
                       "checked)"};
        }
      }
    } else {
      return Error{where + ": unknown key \"" + key +
                   "\" (agency, time_zone, utc_offset_min, weekdays, office_hours, procurement)"};
    }
  }
  return s;
}

Result<ReportSettings> load_settings_file(const std::string& path) {
  const std::filesystem::path p(std::u8string(path.begin(), path.end()));
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return ReportSettings{};
  std::ifstream f(p, std::ios::binary);
  if (!f) return Error{path + ": cannot be read"};
  std::stringstream ss;
  ss << f.rdbuf();
  const auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded()) return Error{path + ": not valid JSON"};
  return parse_settings(doc, path);
}

}  // namespace itsa::report
