#pragma once
// The narrow interface every measurement writes through: collectors and monitors append
// records (docs/protocol.md record types); the agent's durable store (agent/store)
// implements it. A record is committed to disk before append() returns success.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace itsa {

class EvidenceSink {
 public:
  virtual ~EvidenceSink() = default;
  /// Appends one record of `type` made at `time`; returns its seq once it is durable.
  /// Fails (never throws) when the store cannot take it (disk full, closed).
  virtual Result<std::uint64_t> append(const std::string& type, UtcTime time, nlohmann::json payload) = 0;
};

}  // namespace itsa
