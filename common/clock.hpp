#pragma once
// An injectable clock: every time-based rule takes a Clock&, so tests drive hours of
// probing in milliseconds with ManualClock.
#include <chrono>

namespace itsa {

using UtcTime = std::chrono::system_clock::time_point;
using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time in UTC (may jump when the clock is set).
  virtual UtcTime utc_now() const = 0;
  /// Monotonic time for durations (never jumps).
  virtual MonoTime mono_now() const = 0;
};

/// The real clocks.
class SystemClock final : public Clock {
 public:
  UtcTime utc_now() const override { return std::chrono::system_clock::now(); }
  MonoTime mono_now() const override { return std::chrono::steady_clock::now(); }
  /// A shared instance for production code.
  static const SystemClock& instance();
};

/// A clock tests move by hand. advance() moves both clocks; jump_utc() only the wall clock.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UtcTime start_utc = UtcTime{std::chrono::seconds{1'700'000'000}})
      : m_utc(start_utc), m_mono(std::chrono::hours{1}) {}
  UtcTime utc_now() const override { return m_utc; }
  MonoTime mono_now() const override { return m_mono; }
  void advance(std::chrono::nanoseconds d) {
    m_utc += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
    m_mono += std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
  }
  void jump_utc(std::chrono::nanoseconds d) {
    m_utc += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }

 private:
  UtcTime m_utc;
  MonoTime m_mono;
};

}  // namespace itsa
