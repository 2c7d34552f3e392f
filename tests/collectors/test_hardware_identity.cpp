// Whether two recorded hardware identities are the same machine (cloned disk images).
#include <doctest/doctest.h>

#include "collectors/identity/hardware_identity.hpp"

using namespace itsa::identity;
using nlohmann::json;

TEST_CASE("same machine: the same UUID; without UUIDs a MAC in common; unknown fields never count") {
  CHECK(same_machine(json{{"smbios_uuid", "u1"}, {"macs", {"a"}}}, json{{"smbios_uuid", "u1"}, {"macs", {"b"}}}));
  CHECK_FALSE(same_machine(json{{"smbios_uuid", "u1"}}, json{{"smbios_uuid", "u2"}}));
  CHECK(same_machine(json{{"smbios_uuid", ""}, {"macs", {"a", "b"}}}, json{{"smbios_uuid", ""}, {"macs", {"b"}}}));
  CHECK_FALSE(same_machine(json{{"smbios_uuid", ""}, {"macs", {"a"}}}, json{{"smbios_uuid", ""}, {"macs", {"c"}}}));
  CHECK(same_machine(json{{"smbios_uuid", ""}, {"macs", json::array()}}, json{{"smbios_uuid", "x"}}));
}
