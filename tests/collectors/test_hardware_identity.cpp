// Whether two recorded hardware identities are the same machine (cloned disk images).
#include <doctest/doctest.h>

#include <fstream>

#include "collectors/identity/hardware_identity.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa::identity;
using nlohmann::json;

TEST_CASE("same machine: the same UUID; without UUIDs a MAC in common; unknown fields never count") {
  CHECK(same_machine(json{{"smbios_uuid", "u1"}, {"macs", {"a"}}}, json{{"smbios_uuid", "u1"}, {"macs", {"b"}}}));
  CHECK_FALSE(same_machine(json{{"smbios_uuid", "u1"}}, json{{"smbios_uuid", "u2"}}));
  CHECK(same_machine(json{{"smbios_uuid", ""}, {"macs", {"a", "b"}}}, json{{"smbios_uuid", ""}, {"macs", {"b"}}}));
  CHECK_FALSE(same_machine(json{{"smbios_uuid", ""}, {"macs", {"a"}}}, json{{"smbios_uuid", ""}, {"macs", {"c"}}}));
  CHECK(same_machine(json{{"smbios_uuid", ""}, {"macs", json::array()}}, json{{"smbios_uuid", "x"}}));
}

#ifndef _WIN32  // the Linux reader (sysfs under a root); Windows reads no UUID yet
TEST_CASE("AMI's default SMBIOS UUID is not a machine key: MACs decide, with a note") {
  const auto root = itsa::test::temp_dir() / "sys";
  std::filesystem::create_directories(root / "class/dmi/id");
  std::filesystem::create_directories(root / "class/net/eth0/device");
  std::ofstream(root / "class/dmi/id/product_uuid") << "03000200-0400-0500-0006-000700080009\n";
  std::ofstream(root / "class/net/eth0/address") << "00:11:22:33:44:55\n";
  const auto id = read_hardware_identity(root);
  CHECK(id.smbios_uuid.empty());
  REQUIRE(id.notes.size() == 1);
  CHECK(id.notes[0].find("03000200-0400-0500-0006-000700080009") != std::string::npos);
  CHECK(id.macs == std::vector<std::string>{"00:11:22:33:44:55"});
  // Two boards with the same default UUID (recorded before it was recognised) are told apart by MACs.
  CHECK_FALSE(same_machine(json{{"smbios_uuid", "03000200-0400-0500-0006-000700080009"}, {"macs", {"a"}}},
                           json{{"smbios_uuid", "03000200-0400-0500-0006-000700080009"}, {"macs", {"b"}}}));
  CHECK(same_machine(json{{"smbios_uuid", "03000200-0400-0500-0006-000700080009"}, {"macs", {"a"}}},
                     json{{"smbios_uuid", ""}, {"macs", {"a"}}}));
}
#endif
