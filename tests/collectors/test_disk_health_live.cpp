// The Linux disk-health reader on this machine and on paths that refuse the SMART ioctls: every
// disk gets a verdict with a reason, never a crash (on the CI VM: virtio disks, "unknown").
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "collectors/disk_health/disk_health.hpp"
#include "tests/support/temp_dir.hpp"

namespace dh = itsa::collectors::disk_health;

TEST_CASE("disk health live: a file that refuses the ioctl is unknown with the reason") {
  const auto file = itsa::test::temp_dir() / "sdz";
  { std::ofstream(file) << std::string(4096, '\0'); }
  const auto d = dh::read_device(file.string());
  CHECK(d.verdict == "unknown");
  REQUIRE(d.reasons.size() == 1);
  CHECK(d.reasons[0].code == "not_supported");
  CHECK(d.reasons[0].en.find(file.string()) != std::string::npos);
  CHECK(d.reasons[0].en.find("SG_IO") != std::string::npos);
  CHECK(d.reasons[0].vi.find("không trả lời lệnh đọc SMART") != std::string::npos);
  CHECK(dh::to_json(d)["power_on_hours"].is_null());

  const auto nvme = dh::read_device((itsa::test::temp_dir() / "nvme9n1").string());
  CHECK(nvme.verdict == "unknown");
  CHECK(nvme.reasons.at(0).code == "cannot_open");

  const auto null_dev = dh::read_device("/dev/null");
  CHECK(null_dev.verdict == "unknown");
  CHECK(null_dev.reasons.at(0).code == "not_supported");
}

TEST_CASE("disk health live: every disk of this machine has a verdict and a reason") {
  const auto disks = dh::read_all_disks();
  const std::set<std::string> verdicts = {"failing", "worn", "ok", "unknown"};
  for (const auto& d : disks) {
    CAPTURE(d.device);
    CHECK(verdicts.count(d.verdict) == 1);
    REQUIRE_FALSE(d.reasons.empty());
    CHECK_FALSE(d.reasons[0].en.empty());
    CHECK_FALSE(d.reasons[0].vi.empty());
    if (d.device.rfind("/dev/vd", 0) == 0) {
      CHECK(d.verdict == "unknown");
      CHECK(d.reasons[0].code == "no_smart_virtual");
    }
    CHECK_NOTHROW((void)dh::to_json(d).dump());
  }
}
