// Assessment against the shipped profiles: pass / fail / unknown per rule, verdicts,
// bilingual reasons, profile lookup and validation errors.
#include <doctest/doctest.h>

#include <fstream>

#include "assess/assess.hpp"
#include "collectors/disk_health/disk_health.hpp"
#include "tests/support/temp_dir.hpp"

using itsa::collectors::assess;
using itsa::collectors::load_profile;
using nlohmann::json;

namespace {

// A 2019 desktop: i5-8500, 8 GiB, 256 GB SSD 40 % free, UEFI + Secure Boot, TPM 2.0, Windows 10 22H2.
json good_pc() {
  return json::parse(R"({
    "bios": {"release_date": "2019-03-01"},
    "cpu": {"physical_cores": 6, "base_mhz": 3000, "max_mhz": 4100, "generation": "Intel Core 8th gen", "windows11_generation": true},
    "memory": {"installed_bytes": 8589934592, "total_bytes": 8400000000},
    "disks": [{"name": "sda", "system": true, "media": "ssd", "size_bytes": 256060514304,
               "system_fs": {"size_bytes": 255000000000, "free_bytes": 102000000000}}],
    "firmware": {"uefi": true, "secure_boot": true, "secure_boot_capable": true},
    "tpm": {"present": true, "version": "2.0"},
    "os": {"arch": "x86_64", "support": {"status": "extended", "ends": "2025-10-14", "basis": "Windows 10 end of support"}}
  })");
}

const json& rule(const json& result, const char* id) {
  for (const auto& r : result["rules"])
    if (r["id"] == id) return r;
  FAIL("no rule " << id);
  static json none;
  return none;
}

}  // namespace

TEST_CASE("windows11: a 2019 desktop meets every rule") {
  auto profile = load_profile("windows11");
  REQUIRE_MESSAGE(profile, (profile ? "" : profile.error().message));
  const json r = assess(good_pc(), profile.value(), "2026-11-27");
  CHECK(r["profile"] == "windows11");
  CHECK(r["verdict"] == "meets");
  CHECK(r["rules"].size() == 9);
  for (const auto& x : r["rules"]) {
    CHECK_MESSAGE(x["result"] == "pass", x.dump());
    for (const char* k : {"id", "result", "measured", "required", "reason", "reason_vi"}) CHECK(x.contains(k));
  }
  CHECK(rule(r, "memory")["measured"] == 8.0);
  CHECK(rule(r, "memory")["required"] == "at least 4 GiB");
  CHECK(rule(r, "memory")["reason_vi"].get<std::string>().find("Đạt") != std::string::npos);
}

TEST_CASE("windows11: old CPU and no TPM fail; unknown Secure Boot stays unknown") {
  json pc = good_pc();
  pc["cpu"]["generation"] = "Intel Core 7th gen";
  pc["cpu"]["windows11_generation"] = false;
  pc["tpm"] = {{"present", false}, {"version", nullptr}};
  pc["firmware"]["secure_boot_capable"] = nullptr;
  const json r = assess(pc, load_profile("windows11").value(), "2026-11-27");
  CHECK(r["verdict"] == "does_not_meet");
  CHECK(rule(r, "cpu_generation")["result"] == "fail");
  CHECK(rule(r, "cpu_generation")["reason"].get<std::string>().find("Intel Core 7th gen") != std::string::npos);
  CHECK(rule(r, "tpm")["result"] == "fail");
  CHECK(rule(r, "secure_boot")["result"] == "unknown");
  CHECK(rule(r, "secure_boot")["reason_vi"].get<std::string>().find("không tính là đạt") != std::string::npos);
}

TEST_CASE("unknown is never a pass: only unknowns give verdict unknown") {
  json pc = good_pc();
  pc["firmware"]["secure_boot_capable"] = nullptr;
  const json r = assess(pc, load_profile("windows11").value(), "2026-11-27");
  CHECK(r["verdict"] == "unknown");
  // Usable memory only, just under 4 GiB: cannot tell (installed is probably 4 GiB).
  json pc2 = good_pc();
  pc2["memory"] = {{"installed_bytes", nullptr}, {"total_bytes", 3.8 * 1024 * 1024 * 1024}};
  CHECK(rule(assess(pc2, load_profile("windows11").value(), "2026-11-27"), "memory")["result"] == "unknown");
  pc2["memory"]["total_bytes"] = 2.0 * 1024 * 1024 * 1024;
  CHECK(rule(assess(pc2, load_profile("windows11").value(), "2026-11-27"), "memory")["result"] == "fail");
}

TEST_CASE("office-recommended: OS out of standard support, old machine, HDD, full disk") {
  auto profile = load_profile("office-recommended");
  REQUIRE(profile);
  json pc = good_pc();
  json r = assess(pc, profile.value(), "2026-11-27");
  CHECK(rule(r, "cpu_cores")["result"] == "pass");
  CHECK(rule(r, "memory")["result"] == "pass");
  CHECK(rule(r, "system_disk_ssd")["result"] == "pass");
  CHECK(rule(r, "system_disk_free")["result"] == "pass");
  CHECK(rule(r, "os_supported")["result"] == "fail");  // Windows 10: paid ESU only
  CHECK(rule(r, "machine_age")["result"] == "fail");
  CHECK(rule(r, "machine_age")["measured"] == 7.7);
  CHECK(r["verdict"] == "does_not_meet");
  pc["disks"][0]["media"] = "hdd";
  pc["disks"][0]["system_fs"]["free_bytes"] = 10000000000;
  pc["bios"]["release_date"] = "2012-08-07";
  r = assess(pc, profile.value(), "2026-11-27");
  CHECK(rule(r, "system_disk_ssd")["result"] == "fail");
  CHECK(rule(r, "system_disk_ssd")["reason_vi"].get<std::string>().find("HDD") != std::string::npos);
  CHECK(rule(r, "system_disk_free")["result"] == "fail");
  CHECK(rule(r, "machine_age")["measured"].get<double>() == doctest::Approx(14.3).epsilon(0.01));
}

TEST_CASE("profiles: lookup by name or path, clear errors") {
  auto missing = load_profile("no-such-profile");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("no-such-profile") != std::string::npos);
  const auto dir = itsa::test::temp_dir();
  std::ofstream(dir / "mine.json")
      << R"({"name": "mine", "rules": [{"id": "ram", "metric": "memory_gib", "op": ">=", "value": 16}]})";
  auto mine = load_profile((dir / "mine.json").string());
  REQUIRE(mine);
  CHECK(assess(good_pc(), mine.value(), "2026-11-27")["verdict"] == "does_not_meet");
  std::ofstream(dir / "bad.json")
      << R"({"name": "bad", "rules": [{"id": "x", "metric": "ram_size", "op": ">=", "value": 1}]})";
  auto bad = load_profile((dir / "bad.json").string());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("rules[0]: unknown metric \"ram_size\"") != std::string::npos);
  std::ofstream(dir / "broken.json") << "{";
  CHECK_FALSE(load_profile((dir / "broken.json").string()));
  std::ofstream(dir / "odd.json")
      << R"({"name": "odd", "rules": [{"id": "x", "metric": "memory_gib", "op": ">=", "value": 1, "if_unknown": "pass"}]})";
  auto odd = load_profile((dir / "odd.json").string());
  REQUIRE_FALSE(odd);
  CHECK(odd.error().message.find("rules[0]: \"if_unknown\"") != std::string::npos);
}

namespace {

// inventory.disk_health as the daemon writes it, from a real drive's captured SMART data
// (tests/fixtures/smart/), read as the system disk /dev/sda.
json with_disk(const char* smart_file) {
  auto d = itsa::collectors::disk_health::load_smart_file(itsa::test::fixture(smart_file));
  REQUIRE_MESSAGE(d, (d ? "" : d.error().message));
  json disk = itsa::collectors::disk_health::to_json(d.value());
  disk["device"] = "/dev/sda";
  json pc = good_pc();
  pc["disk_health"] = itsa::collectors::disk_health::inventory_summary(json::array({disk}));
  return pc;
}

}  // namespace

TEST_CASE("office-recommended: disk_health rule on real drives' SMART data") {
  auto profile = load_profile("office-recommended");
  REQUIRE(profile);
  // No reading yet: unknown, never pass.
  json r = assess(good_pc(), profile.value(), "2026-11-27");
  CHECK(rule(r, "disk_health")["result"] == "unknown");
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("chưa có kết quả đọc tình trạng ổ đĩa") !=
        std::string::npos);

  // Samsung HS122JC: 282 013 244 pending sectors: failing, so the rule fails with the deciding reason.
  r = assess(with_disk("smart/ata/SAMSUNG_HS122JC.bin"), profile.value(), "2026-11-27");
  CHECK(rule(r, "disk_health")["result"] == "fail");
  CHECK(r["verdict"] == "does_not_meet");
  CHECK(rule(r, "disk_health")["measured"] == "failing");
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("đang hỏng") != std::string::npos);
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("Không đạt") != std::string::npos);
  CHECK(rule(r, "disk_health")["reason"].get<std::string>().find("does not meet") != std::string::npos);

  // IBM IC25N020ATCS04-0: 22 reallocated sectors, nothing pending: worn, which passes (not failing).
  r = assess(with_disk("smart/ata/IBM_IC25N020ATCS04-0.bin"), profile.value(), "2026-11-27");
  CHECK(rule(r, "disk_health")["measured"] == "worn");
  CHECK(rule(r, "disk_health")["result"] == "pass");
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("đã hao mòn") != std::string::npos);
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("22 sector") != std::string::npos);

  // The system disk read but unreadable (virtual disk): unknown with the disk's own reason.
  json pc = good_pc();
  pc["disk_health"] = json::array(
      {{{"device", "/dev/sda"},
        {"verdict", "unknown"},
        {"reason",
         {{"code", "no_smart_virtual"}, {"en", "/dev/sda is a virtual disk"}, {"vi", "/dev/sda là ổ đĩa ảo"}}}}});
  r = assess(pc, profile.value(), "2026-11-27");
  CHECK(rule(r, "disk_health")["result"] == "unknown");
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("/dev/sda là ổ đĩa ảo") != std::string::npos);
  // Left out of the verdict (SMART behind RAID, USB or a hypervisor says nothing about the PC).
  CHECK(rule(r, "disk_health")["counted"] == false);
  CHECK(rule(r, "disk_health")["reason_vi"].get<std::string>().find("không tính vào kết luận") != std::string::npos);
  CHECK(r["verdict"] == assess(good_pc(), profile.value(), "2026-11-27")["verdict"]);
  CHECK(r["verdict"] != "unknown");

  // A reading without the system disk (only a USB disk was read): unknown, naming the disk.
  pc["disk_health"][0]["device"] = "/dev/sdb";
  pc["disk_health"][0]["verdict"] = "ok";
  r = assess(pc, profile.value(), "2026-11-27");
  CHECK(rule(r, "disk_health")["result"] == "unknown");
  CHECK(rule(r, "disk_health")["reason"].get<std::string>().find("sda") != std::string::npos);

  // Windows device names match the inventory's PhysicalDriveN.
  pc["disks"][0]["name"] = "PhysicalDrive0";
  pc["disk_health"][0]["device"] = "\\\\.\\PhysicalDrive0";
  r = assess(pc, profile.value(), "2026-11-27");
  CHECK(rule(r, "disk_health")["result"] == "pass");
  CHECK(rule(r, "disk_health")["measured"] == "ok");
}
