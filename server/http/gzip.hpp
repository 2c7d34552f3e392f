#pragma once
// gunzip with an output limit (a small gzip body must not inflate into gigabytes).
#include <string>
#include <string_view>

namespace itsa::server {

/// Outcome of inflating a body.
enum class InflateStatus { ok, corrupt, too_large };

/// Inflates a gzip stream into `out`, stopping at `max_bytes`.
InflateStatus gunzip(std::string_view in, std::size_t max_bytes, std::string& out);

}  // namespace itsa::server
