#pragma once
// The single table that declares every config key: its type, default, allowed range or
// values and a one-line description. Validation, defaults and the sample file test
// (config/agent.sample.json documents every key) all come from this table.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace itsa::config {

enum class KeyType { String, Integer, Number, Boolean, StringList };

/// Extra check for one value; returns a problem description, or nullopt when fine.
using ValueCheck = std::function<std::optional<std::string>(const nlohmann::json& value)>;

struct KeySpec {
  std::string path;  ///< dotted JSON path, e.g. "probes.interval_s"
  KeyType type;
  nlohmann::json default_value;      ///< used when the key is absent
  std::optional<double> min;         ///< inclusive, numbers only
  std::optional<double> max;         ///< inclusive, numbers only
  std::vector<std::string> allowed;  ///< non-empty: the only allowed string values
  std::string description;           ///< one line, for humans
  ValueCheck check;                  ///< optional extra check (addresses, URIs)
};

/// Every key of the agent config, in the order of the sample file.
const std::vector<KeySpec>& agent_keys();

/// The spec for a path, or nullptr.
const KeySpec* find_key(const std::string& path);

/// "string", "integer", ... for messages.
const char* type_name(KeyType type);

}  // namespace itsa::config
