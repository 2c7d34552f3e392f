#include "collectors/identity/hardware_identity.hpp"

#include <algorithm>

namespace itsa::identity {

using nlohmann::json;

json HardwareIdentity::to_json() const {
  return {{"smbios_uuid", smbios_uuid}, {"serial", serial}, {"macs", macs}};
}

bool same_machine(const json& recorded, const json& current) {
  if (!recorded.is_object() || !current.is_object()) return true;
  const auto uuid_a = recorded.value("smbios_uuid", "");
  const auto uuid_b = current.value("smbios_uuid", "");
  if (!uuid_a.empty() && !uuid_b.empty()) return uuid_a == uuid_b;
  const auto macs_a = recorded.value("macs", std::vector<std::string>{});
  const auto macs_b = current.value("macs", std::vector<std::string>{});
  if (macs_a.empty() || macs_b.empty()) return true;
  return std::any_of(macs_a.begin(), macs_a.end(),
                     [&](const std::string& m) { return std::find(macs_b.begin(), macs_b.end(), m) != macs_b.end(); });
}

}  // namespace itsa::identity
