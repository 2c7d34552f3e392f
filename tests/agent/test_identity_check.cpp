// The daemon's clone check: the store's agent_id rotates when the hardware identity changes.
#include <doctest/doctest.h>

#include "agent/identity_check.hpp"
#include "common/clock.hpp"
#include "store/evidence_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace itsa;
using namespace itsa::agent;

TEST_CASE("clone detection: same UUID keeps the agent_id; another UUID rotates it") {
  ManualClock clock;
  store::StoreOptions o;
  o.data_dir = test::temp_dir();
  o.clock = &clock;
  auto s = store::EvidenceStore::open(o);
  REQUIRE(s);
  auto& st = *s.value();
  const auto first = st.agent_id();
  identity::HardwareIdentity hw;
  hw.smbios_uuid = "u1";
  CHECK_FALSE(check_hardware_identity(st, hw));  // recorded
  CHECK_FALSE(check_hardware_identity(st, hw));  // same
  CHECK(st.agent_id() == first);
  hw.smbios_uuid = "u2";
  CHECK(check_hardware_identity(st, hw));  // cloned
  CHECK(st.agent_id() != first);
  CHECK(st.identity().previous_agent_id == first);
}
