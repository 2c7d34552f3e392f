// Windows CPU: topology from GetLogicalProcessorInformationEx, name/vendor/family/model
// and MHz from the registry's CentralProcessor\0 key (what Task Manager shows).
#include <windows.h>

#include <regex>
#include <vector>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/win_util.hpp"

namespace itsa::collectors::platform {

using nlohmann::json;

json cpu(const InventoryOptions&, Notes& notes) {
  json cpu = {{"model", nullptr},   {"vendor", nullptr},         {"family", nullptr},        {"model_number", nullptr},
              {"sockets", nullptr}, {"physical_cores", nullptr}, {"logical_cores", nullptr}, {"base_mhz", nullptr},
              {"max_mhz", nullptr}, {"caches", nullptr}};
  DWORD len = 0;
  GetLogicalProcessorInformationEx(RelationAll, nullptr, &len);
  std::vector<unsigned char> buf(len);
  if (len > 0 && GetLogicalProcessorInformationEx(
                     RelationAll, reinterpret_cast<PSYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX>(buf.data()), &len)) {
    int sockets = 0, cores = 0, logical = 0;
    json caches = {{"l1d_bytes", nullptr}, {"l2_bytes", nullptr}, {"l3_bytes", nullptr}};
    for (DWORD off = 0; off < len;) {
      const auto* info = reinterpret_cast<const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buf.data() + off);
      if (info->Relationship == RelationProcessorPackage) ++sockets;
      if (info->Relationship == RelationProcessorCore) {
        ++cores;
        for (WORD g = 0; g < info->Processor.GroupCount; ++g)
          logical += __builtin_popcountll(static_cast<unsigned long long>(info->Processor.GroupMask[g].Mask));
      }
      if (info->Relationship == RelationCache) {
        const auto& c = info->Cache;
        const char* key = c.Level == 1 && c.Type != CacheInstruction ? "l1d_bytes"
                          : c.Level == 2                             ? "l2_bytes"
                          : c.Level == 3                             ? "l3_bytes"
                                                                     : nullptr;
        if (key && caches[key].is_null()) caches[key] = c.CacheSize;
      }
      if (info->Size == 0) break;
      off += info->Size;
    }
    cpu["sockets"] = sockets;
    cpu["physical_cores"] = cores;
    cpu["logical_cores"] = logical;
    cpu["caches"] = caches;
  } else {
    notes.push_back("cpu: GetLogicalProcessorInformationEx failed");
  }
  const wchar_t* key = L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0";
  if (auto name = win::reg_string(key, L"ProcessorNameString"))
    cpu["model"] = std::regex_replace(*name, std::regex(" {2,}"), " ");
  if (auto vendor = win::reg_string(key, L"VendorIdentifier"))
    cpu["vendor"] = *vendor == "GenuineIntel" ? "Intel" : *vendor == "AuthenticAMD" ? "AMD" : *vendor;
  if (auto id = win::reg_string(key, L"Identifier")) {
    std::smatch m;
    if (std::regex_search(*id, m, std::regex(R"(Family (\d+) Model (\d+))"))) {
      cpu["family"] = std::stoi(m[1].str());
      cpu["model_number"] = std::stoi(m[2].str());
    }
  }
  if (auto mhz = win::reg_dword(key, L"~MHz")) cpu["base_mhz"] = *mhz;
  if (cpu["model"].is_null()) notes.push_back("cpu.model: ProcessorNameString absent from the registry");
  return cpu;
}

}  // namespace itsa::collectors::platform
