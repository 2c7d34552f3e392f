// Generation tables. Intel Core numbers: 3 digits = 1st gen, 4 digits = the first digit
// (2nd–9th), or 1x for 10th–14th ("i5-10400", "i7-1165G7"). AMD Ryzen: the thousands digit
// and suffix give the core (e.g. 3600 = Zen 2 but 3400G = Zen+).
#include "collectors/inventory/cpu_generation.hpp"

#include <cctype>
#include <regex>
#include <string>

namespace itsa::collectors {
namespace {

std::string intel_ordinal(int gen) {
  const char* suffix = (gen % 10 == 1 && gen != 11)   ? "st"
                       : (gen % 10 == 2 && gen != 12) ? "nd"
                       : (gen % 10 == 3 && gen != 13) ? "rd"
                                                      : "th";
  return "Intel Core " + std::to_string(gen) + suffix + " gen";
}

const char* k_zen[] = {"AMD pre-Zen", "AMD Zen",    "AMD Zen+",  "AMD Zen 2",
                       "AMD Zen 3",   "AMD Zen 3+", "AMD Zen 4", "AMD Zen 5"};

CpuGeneration zen(int rank, bool ryzen_2000_plus = false) {
  return {k_zen[rank], rank >= 2 || ryzen_2000_plus};
}

std::optional<CpuGeneration> intel(const std::string& m) {
  std::smatch r;
  // Core Ultra (Meteor Lake = Series 1, Lunar/Arrow Lake = Series 2).
  if (std::regex_search(m, r, std::regex(R"(Core\(TM\) Ultra \d+ (\d)\d\d)")) ||
      std::regex_search(m, r, std::regex(R"(Core Ultra \d+ (\d)\d\d)")))
    return CpuGeneration{"Intel Core Ultra Series " + r[1].str(), true};
  // Core i3/i5/i7/i9.
  if (std::regex_search(m, r, std::regex(R"(Core.*\bi[3579][ -](?:CPU\s+)?(?:[A-Z]\s*)?(\d{3,5}))"))) {
    const std::string n = r[1].str();
    int gen = 0;
    if (n.size() == 3)
      gen = 1;
    else if (n.size() == 5 || n[0] == '1')
      gen = std::stoi(n.substr(0, 2));
    else
      gen = n[0] - '0';
    if (gen >= 1 && gen <= 14) return CpuGeneration{intel_ordinal(gen), gen >= 8};
  }
  // Core 2 / Pentium 4 / older: far older than any supported generation.
  if (m.find("Core(TM)2") != std::string::npos || m.find("Core 2") != std::string::npos ||
      m.find("Pentium(R) 4") != std::string::npos || m.find("Pentium(R) D") != std::string::npos)
    return CpuGeneration{"Intel Core 2 / Pentium 4 era", false};
  // Pentium / Celeron desktop G-series: G4900/G5400 Coffee Lake, G59xx/G64xx Comet Lake, G6900/G7400 Alder Lake.
  if (std::regex_search(m, r, std::regex(R"((Pentium|Celeron).*\bG(\d)(\d)\d\d)"))) {
    const int d = std::stoi(r[2].str()) * 10 + std::stoi(r[3].str());
    if (d >= 49 && d < 59) return CpuGeneration{"Intel Core 8th gen (Coffee Lake)", true};
    if (d >= 59 && d < 69) return CpuGeneration{"Intel Core 10th gen (Comet Lake)", true};
    if (d >= 69) return CpuGeneration{"Intel Core 12th gen (Alder Lake)", true};
    return CpuGeneration{"Intel pre-8th gen Pentium/Celeron", false};
  }
  // Alder Lake-N / Twin Lake ("Intel(R) N100", "N95", "N200", "Core i3-N305").
  if (std::regex_search(m, r, std::regex(R"(\bN(95|97|50|100|150|200|250|300|305|355)\b)")))
    return CpuGeneration{"Intel Alder Lake-N", true};
  return std::nullopt;
}

std::optional<CpuGeneration> amd_from_string(const std::string& m) {
  std::smatch r;
  if (std::regex_search(m, r, std::regex(R"(Ryzen AI)"))) return zen(7);
  if (std::regex_search(m, r, std::regex(R"(Threadripper(?: PRO)? (\d)\d{3})"))) {
    static const int k_tr[] = {0, 1, 2, 3, 0, 4, 0, 6, 0, 7};
    const int d = std::stoi(r[1].str());
    if (k_tr[d] > 0) return zen(k_tr[d]);
  }
  if (std::regex_search(m, r, std::regex(R"(EPYC (\d)(\d)\d(\d))"))) {
    static const int k_epyc[] = {0, 1, 3, 4, 6, 7};
    const int d = std::stoi(r[3].str());
    if (d >= 1 && d <= 5) return zen(k_epyc[d]);
  }
  if (std::regex_search(m, r, std::regex(R"(Ryzen \d+(?: PRO)? (\d)(\d)(\d)(\d)([A-Z]*))"))) {
    const int series = std::stoi(r[1].str());
    const int second = std::stoi(r[2].str());
    const int third = std::stoi(r[3].str());
    const int fourth = std::stoi(r[4].str());
    const std::string suffix = r[5].str();
    const bool mobile = !suffix.empty() && (suffix[0] == 'U' || suffix[0] == 'H');
    const bool apu = suffix.find('G') != std::string::npos;
    switch (series) {
      case 1:
        return zen(1);
      case 2:
        return (mobile || apu) ? zen(1, true) : zen(2);
      case 3:
        return (mobile || apu) ? zen(2) : zen(3);
      case 4:
        return zen(3);
      case 5:
        if (mobile && second % 2 == 1) return zen(3);  // 5300U/5500U/5700U Lucienne
        return zen(4);
      case 6:
        return zen(5);  // Rembrandt, Zen 3+
      case 7:
        if (mobile) {
          if (third == 2) return zen(3);                         // 7x20U Mendocino
          if (third == 3) return fourth == 5 ? zen(5) : zen(4);  // 7x35 Rembrandt-R, 7x30 Barcelo-R
          return zen(6);                                         // 7x40/7x45 Phoenix, Dragon Range
        }
        return zen(6);
      case 8:
        return zen(6);
      case 9:
        return zen(7);
      default:
        break;
    }
  }
  if (std::regex_search(m, r, std::regex(R"(Athlon (?:Silver |Gold )?(\d)\d\d\d)"))) return zen(2);
  if (std::regex_search(m, r, std::regex(R"(Athlon(?: PRO)? 2\d\dG)"))) return zen(1);
  if (std::regex_search(m, r, std::regex(R"(\b(A4|A6|A8|A9|A10|A12|FX|Phenom|Opteron|Sempron|Turion|E1|E2)[- ])")) ||
      m.find("Athlon") != std::string::npos)
    return zen(0);
  return std::nullopt;
}

// AMD CPUID family 0x17/0x19/0x1A models to cores.
std::optional<CpuGeneration> amd_from_cpuid(int family, int model) {
  if (family < 0x17) return zen(0);
  if (family == 0x17) {
    if (model == 0x08 || model == 0x18) return zen(2);  // Pinnacle Ridge, Picasso
    if (model < 0x30) return zen(1);                    // Summit/Raven Ridge, Dali
    return zen(3);                                      // Rome, Renoir, Lucienne, Matisse, Van Gogh, Mendocino
  }
  if (family == 0x19) {
    if ((model >= 0x10 && model <= 0x1F) || (model >= 0x60 && model <= 0x7F) || model >= 0xA0) return zen(6);
    if (model >= 0x40 && model <= 0x4F) return zen(5);
    return zen(4);
  }
  return zen(7);
}

}  // namespace

std::optional<CpuGeneration> cpu_generation(std::string_view model_view, std::optional<int> family,
                                            std::optional<int> cpu_model) {
  const std::string m(model_view);
  if (m.find("Intel") != std::string::npos || m.find("Core(TM)") != std::string::npos) return intel(m);
  const bool amd = m.find("AMD") != std::string::npos || m.find("Ryzen") != std::string::npos;
  if (amd) {
    if (auto g = amd_from_string(m)) return g;
    if (family && cpu_model) return amd_from_cpuid(*family, *cpu_model);
  }
  return std::nullopt;
}

std::optional<int> model_string_mhz(const std::string& model) {
  std::smatch m;
  if (!std::regex_search(model, m, std::regex(R"((\d+(?:\.\d+)?)\s*GHz)"))) return std::nullopt;
  return static_cast<int>(std::stod(m[1].str()) * 1000 + 0.5);
}

}  // namespace itsa::collectors
