#pragma once
// Validation of a config document against the key table: every problem at once, each
// with its JSON path; unknown keys get a did-you-mean.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace itsa::config {

struct Problem {
  std::string path;     ///< JSON path ("probes.interval_s"); empty for the whole document
  std::string message;  ///< what is wrong and what is allowed
  std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

struct Validated {
  nlohmann::json resolved;        ///< the document with every default filled in
  std::vector<Problem> problems;  ///< empty when valid
  bool ok() const { return problems.empty(); }
};

/// Parses JSON text (comments allowed). On a syntax error, returns one problem with
/// "line L, column C" and leaves resolved null.
Validated parse_and_validate(std::string_view text);

/// Validates a parsed document.
Validated validate(const nlohmann::json& doc);

/// Levenshtein edit distance (for did-you-mean).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace itsa::config
