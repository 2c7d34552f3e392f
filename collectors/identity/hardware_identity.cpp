#include "collectors/identity/hardware_identity.hpp"

#include <algorithm>

#include "collectors/smbios/default_uuid.hpp"

namespace itsa::identity {

using nlohmann::json;

json HardwareIdentity::to_json() const {
  return {{"smbios_uuid", smbios_uuid}, {"serial", serial}, {"macs", macs}};
}

bool same_machine(const json& recorded, const json& current) {
  if (!recorded.is_object() || !current.is_object()) return true;
  // A vendor's default UUID (recorded before it was recognised) names no machine.
  auto key = [](const json& id) {
    auto uuid = id.value("smbios_uuid", "");
    return collectors::smbios::is_default_uuid(uuid) ? std::string() : uuid;
  };
  const auto uuid_a = key(recorded);
  const auto uuid_b = key(current);
  if (!uuid_a.empty() && !uuid_b.empty()) return uuid_a == uuid_b;
  const auto macs_a = recorded.value("macs", std::vector<std::string>{});
  const auto macs_b = current.value("macs", std::vector<std::string>{});
  if (macs_a.empty() || macs_b.empty()) return true;
  return std::any_of(macs_a.begin(), macs_a.end(),
                     [&](const std::string& m) { return std::find(macs_b.begin(), macs_b.end(), m) != macs_b.end(); });
}

}  // namespace itsa::identity
