#include "config/validate.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "config/schema.hpp"

namespace itsa::config {
namespace {

using nlohmann::json;

std::string short_value(const json& v) {
  auto s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return json(v).dump();
}

// All declared key paths and every object path that leads to one ("probes", "probes.dns").
const std::set<std::string>& object_paths() {
  static const std::set<std::string> paths = [] {
    std::set<std::string> out;
    for (const auto& k : agent_keys()) {
      for (auto dot = k.path.find('.'); dot != std::string::npos; dot = k.path.find('.', dot + 1))
        out.insert(k.path.substr(0, dot));
    }
    return out;
  }();
  return paths;
}

std::string did_you_mean(const std::string& path) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  auto consider = [&](const std::string& candidate) {
    const auto d = edit_distance(path, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  };
  for (const auto& k : agent_keys()) consider(k.path);
  for (const auto& p : object_paths()) consider(p);
  // The key may sit under the wrong parent: compare the last component too.
  const auto last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  for (const auto& k : agent_keys()) {
    const auto klast = k.path.substr(k.path.rfind('.') == std::string::npos ? 0 : k.path.rfind('.') + 1);
    if (klast == last && best_distance > 1) {
      best = k.path;
      best_distance = 1;
    }
  }
  const auto limit = std::max<std::size_t>(2, path.size() / 3);
  if (best_distance <= limit) return "; did you mean " + best + "?";
  return "";
}

bool type_matches(KeyType type, const json& v) {
  switch (type) {
    case KeyType::String:
      return v.is_string();
    case KeyType::Integer:
      return v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
    case KeyType::Number:
      return v.is_number();
    case KeyType::Boolean:
      return v.is_boolean();
    case KeyType::StringList:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); });
  }
  return false;
}

void check_value(const KeySpec& spec, const json& v, std::vector<Problem>& problems) {
  if (!type_matches(spec.type, v)) {
    problems.push_back({spec.path, short_value(v) + " is not " + type_name(spec.type)});
    return;
  }
  if (v.is_number()) {
    const double d = v.get<double>();
    if (spec.min && d < *spec.min) {
      problems.push_back({spec.path, short_value(v) + " is below the minimum " + format_number(*spec.min)});
      return;
    }
    if (spec.max && d > *spec.max) {
      problems.push_back({spec.path, short_value(v) + " is above the maximum " + format_number(*spec.max)});
      return;
    }
  }
  if (!spec.allowed.empty()) {
    const auto s = v.get<std::string>();
    if (std::find(spec.allowed.begin(), spec.allowed.end(), s) == spec.allowed.end()) {
      std::string list;
      for (const auto& a : spec.allowed) list += (list.empty() ? "" : ", ") + a;
      problems.push_back({spec.path, short_value(v) + " is not one of: " + list});
      return;
    }
  }
  if (spec.check) {
    if (auto problem = spec.check(v)) problems.push_back({spec.path, *problem});
  }
}

void walk(const json& node, const std::string& prefix, std::vector<Problem>& problems) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (const auto* spec = find_key(path)) {
      check_value(*spec, it.value(), problems);
    } else if (object_paths().count(path)) {
      if (!it.value().is_object())
        problems.push_back({path, short_value(it.value()) + " is not an object"});
      else
        walk(it.value(), path, problems);
    } else {
      problems.push_back({path, "unknown key" + did_you_mean(path)});
    }
  }
}

void set_path(json& doc, const std::string& path, const json& value) {
  json* node = &doc;
  std::size_t start = 0;
  for (auto dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
    node = &(*node)[path.substr(start, dot - start)];
    start = dot + 1;
  }
  (*node)[path.substr(start)] = value;
}

const json* get_path(const json& doc, const std::string& path) {
  const json* node = &doc;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    const auto part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(part)) return nullptr;
    node = &(*node)[part];
    if (dot == std::string::npos) return node;
    start = dot + 1;
  }
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

Validated validate(const json& doc) {
  Validated out;
  if (!doc.is_object()) {
    out.problems.push_back({"", "the config must be a JSON object, not " + std::string(doc.type_name())});
    return out;
  }
  walk(doc, "", out.problems);
  json resolved = json::object();
  for (const auto& spec : agent_keys()) {
    const json* given = get_path(doc, spec.path);
    const bool usable = given && type_matches(spec.type, *given);
    json value = usable ? *given : spec.default_value;
    if (spec.type == KeyType::Integer && value.is_number_float()) value = static_cast<long long>(value.get<double>());
    set_path(resolved, spec.path, value);
  }
  out.resolved = std::move(resolved);
  return out;
}

Validated parse_and_validate(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into line and column.
    std::size_t line = 1, column = 1;
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
    const auto colon = what.find(": ", what.find("parse error"));
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    Validated out;
    out.problems.push_back(
        {"", "line " + std::to_string(line) + ", column " + std::to_string(column) + ": invalid JSON: " + detail});
    return out;
  }
  return validate(doc);
}

}  // namespace itsa::config
