#pragma once
// CPU generation from the model string (and CPUID family/model as a fallback for AMD):
// "Intel Core 8th gen", "AMD Zen+", ... and whether it is on Microsoft's Windows 11 list
// (Intel 8th gen or newer, AMD Zen+ / Ryzen 2000 or newer).
#include <optional>
#include <string>
#include <string_view>

namespace itsa::collectors {

/// A recognised CPU generation.
struct CpuGeneration {
  std::string label;         ///< "Intel Core 8th gen", "AMD Zen 2", "AMD pre-Zen", ...
  bool windows11_supported;  ///< on Microsoft's supported generations
};

/// Generation of a CPU from its model string; family/model (CPUID, decimal) help for AMD
/// strings without a model number. nullopt when not recognised.
std::optional<CpuGeneration> cpu_generation(std::string_view model, std::optional<int> family = std::nullopt,
                                            std::optional<int> cpu_model = std::nullopt);

/// The nominal clock in a model string ("… CPU @ 3.60GHz" → 3600); nullopt without one.
std::optional<int> model_string_mhz(const std::string& model);

}  // namespace itsa::collectors
