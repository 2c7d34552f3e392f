// Inventory readers on real /proc+/sys snapshots (hwloc's test trees), on a synthetic tree
// built per test, and the generation / lifecycle tables.
#include <doctest/doctest.h>

#include <fstream>

#include "collectors/inventory.hpp"
#include "collectors/inventory/cpu_generation.hpp"
#include "collectors/inventory/os_lifecycle.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using itsa::collectors::collect_inventory;
using itsa::collectors::cpu_generation;
using itsa::collectors::InventoryOptions;
using nlohmann::json;

namespace {

std::string gen(const char* model) {
  auto g = cpu_generation(model);
  return g ? g->label : "-";
}
bool win11(const char* model) {
  auto g = cpu_generation(model);
  return g && g->windows11_supported;
}

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

void link(const fs::path& target, const fs::path& at) {
  fs::create_directories(at.parent_path());
  fs::create_directory_symlink(target, at);
}

// A laptop-like tree: one SATA SSD holding "/", one USB HDD, a wired and a wifi NIC,
// a battery at 80 % of its design capacity, UEFI with Secure Boot on, TPM 2.0.
fs::path synthetic_root() {
  const fs::path r = itsa::test::temp_dir() / "root";
  const fs::path sda = r / "sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda";
  write(sda / "size", "1000215216\n");
  write(sda / "queue/rotational", "0\n");
  write(sda / "removable", "0\n");
  write(sda / "device/model", "Samsung SSD 860 \n");
  write(sda / "sda2/partition", "2\n");
  link(sda, r / "sys/block/sda");
  link(sda / "sda2", r / "sys/class/block/sda2");
  link(sda, r / "sys/class/block/sda");
  link(sda / "sda2", r / "sys/dev/block/8:2");
  const fs::path sdb = r / "sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host1/target1:0:0/1:0:0:0/block/sdb";
  write(sdb / "size", "1953525168\n");
  write(sdb / "queue/rotational", "1\n");
  write(sdb / "removable", "0\n");
  write(sdb / "device/model", "To be filled by O.E.M.\n");
  link(sdb, r / "sys/block/sdb");
  write(r / "sys/devices/virtual/block/loop0/size", "100\n");
  link(r / "sys/devices/virtual/block/loop0", r / "sys/block/loop0");
  write(r / "proc/self/mountinfo",
        "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
        "23 22 0:21 / /proc rw shared:12 - proc proc rw\n");
  write(r / "proc/meminfo", "MemTotal:        8049280 kB\nMemFree:  100 kB\n");
  write(r / "proc/uptime", "3600.52 7000.00\n");
  write(r / "proc/sys/kernel/hostname", "PC-KETOAN-01\n");
  write(r / "proc/sys/kernel/osrelease", "6.1.0-28-amd64\n");
  write(r / "proc/cpuinfo",
        "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 158\n"
        "model name\t: Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz\n\n");
  write(r / "etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
  write(r / "etc/debian_version", "12.8\n");
  const fs::path eth = r / "sys/devices/pci0000:00/0000:00:1f.6/net/eno1";
  write(eth / "address", "aa:bb:cc:dd:ee:01\n");
  write(eth / "type", "1\n");
  write(eth / "speed", "100\n");
  write(eth / "duplex", "full\n");
  write(eth / "carrier", "1\n");
  write(r / "sys/bus/pci/drivers/e1000e/.keep", "");
  fs::create_directories(eth / "device");
  fs::create_directory_symlink(r / "sys/bus/pci/drivers/e1000e", eth / "device/driver");
  link(eth, r / "sys/class/net/eno1");
  const fs::path wl = r / "sys/devices/pci0000:00/0000:00:14.3/net/wlp0s20f3";
  write(wl / "address", "aa:bb:cc:dd:ee:02\n");
  write(wl / "type", "1\n");
  write(wl / "speed", "-1\n");
  fs::create_directories(wl / "wireless");
  fs::create_directories(wl / "device");
  link(wl, r / "sys/class/net/wlp0s20f3");
  const fs::path lo = r / "sys/devices/virtual/net/lo";
  write(lo / "type", "772\n");
  link(lo, r / "sys/class/net/lo");
  const fs::path bat = r / "sys/class/power_supply/BAT0";
  write(bat / "type", "Battery\n");
  write(bat / "energy_full_design", "50000000\n");
  write(bat / "energy_full", "40000000\n");
  write(bat / "capacity", "93\n");
  write(bat / "cycle_count", "412\n");
  const fs::path cpu0 = r / "sys/devices/system/cpu/cpu0";  // an Intel CPU that throttled
  write(cpu0 / "thermal_throttle/core_throttle_count", "17\n");
  write(cpu0 / "thermal_throttle/package_throttle_count", "3\n");
  write(r / "sys/class/tpm/tpm0/tpm_version_major", "2\n");
  write(r / "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c",
        std::string("\x06\x00\x00\x00\x01", 5));
  return r;
}

bool has_note(const json& inv, const std::string& needle) {
  for (const auto& n : inv["notes"])
    if (n.get<std::string>().find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("cpu generation table") {
  CHECK(gen("Intel(R) Core(TM) i7 CPU       M 620  @ 2.67GHz") == "Intel Core 1st gen");
  CHECK(gen("Intel(R) Core(TM) i5-2400 CPU @ 3.10GHz") == "Intel Core 2nd gen");
  CHECK(gen("Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz") == "Intel Core 7th gen");
  CHECK(gen("Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz") == "Intel Core 8th gen");
  CHECK(gen("Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz") == "Intel Core 10th gen");
  CHECK(gen("11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz") == "Intel Core 11th gen");
  CHECK(gen("12th Gen Intel(R) Core(TM) i5-1235U") == "Intel Core 12th gen");
  CHECK(gen("13th Gen Intel(R) Core(TM) i9-13900K") == "Intel Core 13th gen");
  CHECK(gen("Intel(R) Core(TM) Ultra 7 155H") == "Intel Core Ultra Series 1");
  CHECK(gen("Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz") == "Intel Core 2 / Pentium 4 era");
  CHECK(gen("Intel(R) Pentium(R) Gold G5400 CPU @ 3.70GHz") == "Intel Core 8th gen (Coffee Lake)");
  CHECK(gen("Intel(R) Pentium(R) CPU G4560 @ 3.50GHz") == "Intel pre-8th gen Pentium/Celeron");
  CHECK(gen("Intel(R) N95") == "Intel Alder Lake-N");
  CHECK(gen("AMD Ryzen 5 1600 Six-Core Processor") == "AMD Zen");
  CHECK(gen("AMD Ryzen 7 2700X Eight-Core Processor") == "AMD Zen+");
  CHECK(gen("AMD Ryzen 5 2500U with Radeon Vega Mobile Gfx") == "AMD Zen");
  CHECK(gen("AMD Ryzen 5 3400G with Radeon Vega Graphics") == "AMD Zen+");
  CHECK(gen("AMD Ryzen 5 3600 6-Core Processor") == "AMD Zen 2");
  CHECK(gen("AMD Ryzen 5 5500U with Radeon Graphics") == "AMD Zen 2");
  CHECK(gen("AMD Ryzen 5 5600U with Radeon Graphics") == "AMD Zen 3");
  CHECK(gen("AMD Ryzen 7 5800X 8-Core Processor") == "AMD Zen 3");
  CHECK(gen("AMD Ryzen 5 7520U with Radeon Graphics") == "AMD Zen 2");
  CHECK(gen("AMD Ryzen 5 7600X 6-Core Processor") == "AMD Zen 4");
  CHECK(gen("AMD Ryzen Threadripper 2950X 16-Core Processor") == "AMD Zen+");
  CHECK(gen("AMD A8-7600 Radeon R7, 10 Compute Cores 4C+6G") == "AMD pre-Zen");
  CHECK(gen("AMD Athlon 3000G with Radeon Vega Graphics") == "AMD Zen+");
  // The Surface's string has no number: CPUID family 23 model 24 (Picasso) = Zen+.
  CHECK(cpu_generation("AMD Ryzen 7 Microsoft Surface (R) Edition", 23, 24)->label == "AMD Zen+");
  CHECK(gen("Intel(R) Xeon(TM) CPU 2.60GHz") == "-");
  CHECK(win11("Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz"));
  CHECK_FALSE(win11("Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz"));
  CHECK(win11("AMD Ryzen 5 2500U with Radeon Vega Mobile Gfx"));  // on Microsoft's list
  CHECK_FALSE(win11("AMD Ryzen 5 1600 Six-Core Processor"));
}

TEST_CASE("os lifecycle table") {
  using itsa::collectors::os_support;
  const auto win = [](int build, const char* edition, const char* today) {
    return os_support({"windows", "windows", "", build, edition}, today);
  };
  CHECK(win(19045, "Professional", "2026-11-27")["status"] == "extended");
  CHECK(win(19045, "Professional", "2026-11-27")["ends"] == "2025-10-14");
  CHECK(win(19045, "Professional", "2025-10-13")["status"] == "supported");
  CHECK(win(19045, "Professional", "2028-10-10")["status"] == "ended");
  CHECK(win(19045, "Enterprise", "2026-11-27")["status"] == "extended");
  CHECK(win(7601, "Professional", "2026-11-27")["status"] == "ended");
  CHECK(win(9600, "", "2026-11-27")["status"] == "ended");
  CHECK(win(26100, "Professional", "2026-11-27")["status"] == "ended");
  CHECK(win(26100, "Enterprise", "2026-11-27")["status"] == "supported");
  CHECK(win(26200, "Professional", "2026-11-27")["status"] == "supported");
  CHECK(win(0, "", "2026-11-27")["status"] == "unknown");
  CHECK(win(17763, "Enterprise LTSC", "2026-11-27")["status"] == "unknown");
  const auto lin = [](const char* id, const char* version, const char* today) {
    return os_support({"linux", id, version, 0, ""}, today);
  };
  CHECK(lin("debian", "12", "2026-11-27")["status"] == "extended");
  CHECK(lin("debian", "13", "2026-11-27")["status"] == "supported");
  CHECK(lin("debian", "10", "2026-11-27")["status"] == "ended");
  CHECK(lin("ubuntu", "20.04", "2026-11-27")["status"] == "extended");
  CHECK(lin("ubuntu", "24.04", "2026-11-27")["status"] == "supported");
  CHECK(lin("fedora", "40", "2026-11-27")["status"] == "unknown");
  // The day the status lasts until (the human inventory's "support extended until ...").
  using itsa::collectors::support_status_until;
  CHECK(support_status_until(lin("debian", "12", "2026-11-27")) == "2028-06-30");  // LTS, not 2026-06-10
  CHECK(support_status_until(lin("debian", "13", "2026-11-27")) == "2028-08-09");
  CHECK(support_status_until(lin("debian", "10", "2026-11-27")) == "2024-06-30");
  CHECK(support_status_until(win(9600, "", "2026-11-27")) == "2023-01-10");
  CHECK(support_status_until(lin("fedora", "40", "2026-11-27")).is_null());
}

TEST_CASE("hwloc snapshot 16em64t-4s2c2t: 4 sockets x 2 cores x 2 threads") {
  InventoryOptions o;
  o.root = itsa::test::fixture("inventory/hwloc/16em64t-4s2c2t");
  const json inv = collect_inventory(o);
  CHECK(inv["cpu"]["sockets"] == 4);
  CHECK(inv["cpu"]["physical_cores"] == 8);
  CHECK(inv["cpu"]["logical_cores"] == 16);
  CHECK(inv["cpu"]["vendor"] == "Intel");
  CHECK(inv["cpu"]["model"] == "Intel(R) Xeon(TM) CPU 2.60GHz");  // leading spaces trimmed
  CHECK(inv["cpu"]["base_mhz"] == 2600);
  CHECK(inv["cpu"]["caches"]["l3_bytes"] == 4096 * 1024);
  CHECK(inv["cpu"]["generation"].is_null());
  CHECK(has_note(inv, "cpu.generation"));
}

TEST_CASE("hwloc snapshot 4em64t-2c2t: Core i7 M 620 (1st gen), 2 cores, 4 threads") {
  InventoryOptions o;
  o.root = itsa::test::fixture("inventory/hwloc/4em64t-2c2t-ignore-reorder");
  const json inv = collect_inventory(o);
  CHECK(inv["cpu"]["sockets"] == 1);
  CHECK(inv["cpu"]["physical_cores"] == 2);
  CHECK(inv["cpu"]["logical_cores"] == 4);
  CHECK(inv["cpu"]["generation"] == "Intel Core 1st gen");
  CHECK(inv["cpu"]["windows11_generation"] == false);
  CHECK(inv["memory"]["total_bytes"] == 3920124ull * 1024);
}

TEST_CASE("DMI fallback from /sys/class/dmi/id when the raw table is unreadable") {
  InventoryOptions o;
  o.root = itsa::test::fixture("inventory/dmi-48amd64");
  const json inv = collect_inventory(o);
  CHECK(inv["system"]["manufacturer"] == "AMD");
  CHECK(inv["system"]["product"] == "DRACHMA");
  CHECK(inv["system"]["serial"].is_null());  // "0123456789" is a placeholder
  CHECK(inv["system"]["uuid"] == "008844d0-2214-df11-b89f-f50f715b14e8");
  CHECK(inv["system"]["chassis"] == "Rack Mount Chassis");
  CHECK(inv["bios"]["release_date"] == "2009-12-15");
  CHECK(inv["bios"]["vendor"] == "Phoenix Technologies Ltd.");
  CHECK(inv["smbios"]["source"] == "dmi-sysfs");
  CHECK(inv["memory"]["installed_bytes"].is_null());
  CHECK(has_note(inv, "memory.modules"));
}

TEST_CASE("synthetic laptop tree: disks, system disk, NICs, battery, firmware, TPM, OS") {
  InventoryOptions o;
  o.root = synthetic_root();
  o.smbios_file = itsa::test::fixture("smbios/lenovo-thinkcentre-m720s.bin");
  itsa::ManualClock clock(itsa::UtcTime{std::chrono::seconds{1'795'000'000}});  // 2026-11-19
  o.clock = &clock;
  const json inv = collect_inventory(o);
  // Every field of the contract is present.
  for (const char* k : {"hostname", "system", "bios", "cpu", "memory", "disks", "os", "firmware", "tpm", "network",
                        "collected_at", "agent_version", "notes"})
    CHECK_MESSAGE(inv.contains(k), k);
  for (const char* k : {"manufacturer", "product", "serial", "uuid", "chassis"}) CHECK(inv["system"].contains(k));
  for (const char* k :
       {"model", "vendor", "generation", "sockets", "physical_cores", "logical_cores", "base_mhz", "max_mhz"})
    CHECK(inv["cpu"].contains(k));
  CHECK(inv["hostname"] == "PC-KETOAN-01");
  CHECK(inv["system"]["product"] == "10STS04K00");
  CHECK(inv["memory"]["installed_bytes"] == 24ull << 30);
  CHECK(inv["memory"]["total_bytes"] == 8049280ull * 1024);
  // The table's CPU (type 4), not the host's /proc/cpuinfo (an i5-8500 @ 3.00GHz).
  CHECK(inv["cpu"]["model"] == "Intel(R) Core(TM) i5-8600K CPU @ 3.60GHz");
  CHECK(inv["cpu"]["generation"] == "Intel Core 8th gen");
  CHECK(inv["cpu"]["base_mhz"] == 3600);
  CHECK(inv["cpu"]["max_mhz"] == 4300);
  CHECK(inv["cpu"]["physical_cores"] == 6);
  CHECK(inv["cpu"]["logical_cores"] == 6);
  CHECK(inv["cpu"]["sockets"] == 1);
  CHECK(inv["cpu"]["family"] == 6);
  CHECK(inv["cpu"]["model_number"] == 158);
  CHECK(inv["cpu"]["vendor"] == "Intel");
  CHECK(has_note(inv, "cpu: from the SMBIOS file"));
  // Type 3 and type 16 details.
  CHECK(inv["system"]["chassis_manufacturer"] == "LENOVO");
  CHECK(inv["system"]["chassis_serial"] == "S4JA0501");
  CHECK(inv["memory"]["max_capacity_bytes"] == 64ull << 30);
  REQUIRE(inv["disks"].size() == 2);
  CHECK(inv["disks"][0]["name"] == "sda");
  CHECK(inv["disks"][0]["media"] == "ssd");
  CHECK(inv["disks"][0]["bus"] == "sata");
  CHECK(inv["disks"][0]["system"] == true);
  CHECK(inv["disks"][0]["model"] == "Samsung SSD 860");
  CHECK(inv["disks"][0]["size_bytes"] == 1000215216ull * 512);
  CHECK(inv["disks"][1]["media"] == "hdd");
  CHECK(inv["disks"][1]["bus"] == "usb");
  CHECK(inv["disks"][1]["system"] == false);
  CHECK(inv["disks"][1]["model"].is_null());
  CHECK(inv["os"]["id"] == "debian");
  CHECK(inv["os"]["build"] == "12.8");
  CHECK(inv["os"]["support"]["status"] == "extended");
  CHECK(inv["firmware"]["uefi"] == true);
  CHECK(inv["firmware"]["secure_boot"] == true);
  CHECK(inv["tpm"]["present"] == true);
  CHECK(inv["tpm"]["version"] == "2.0");
  CHECK(inv["battery"]["present"] == true);
  CHECK(inv["battery"]["wear_pct"].get<double>() == doctest::Approx(20.0));
  CHECK(inv["battery"]["cycle_count"] == 412);
  CHECK(inv["cpu"]["thermal_throttle"]["core_events"] == 17);
  CHECK(inv["cpu"]["thermal_throttle"]["package_events"] == 3);
  CHECK(inv["cpu"]["thermal_throttle"]["core_time_ms"].is_null());
  CHECK(inv["boot_durations"] == json::array());  // the daemon and the CLI fill it
  {
    // Counters that move (throttling, cycles, boots) are not a change of the machine.
    json later = inv;
    later["cpu"]["thermal_throttle"]["core_events"] = 18;
    later["battery"]["cycle_count"] = 413;
    later["boot_durations"] = json::array({{{"id", "b"}}});
    CHECK(itsa::collectors::stable_inventory(later) == itsa::collectors::stable_inventory(inv));
  }
  CHECK(inv["uptime_s"] == 3600);
  const auto& nics = inv["network"]["interfaces"];
  REQUIRE(nics.size() == 2);  // loopback skipped
  CHECK(nics[0]["name"] == "eno1");
  CHECK(nics[0]["kind"] == "ethernet");
  CHECK(nics[0]["driver"] == "e1000e");
  CHECK(nics[0]["speed_mbps"] == 100);
  CHECK(nics[0]["duplex"] == "full");
  CHECK(nics[1]["kind"] == "wifi");
  CHECK(nics[1]["speed_mbps"].is_null());
  // Unchanged machine → equal stable views even as time passes.
  clock.advance(std::chrono::hours(5));
  CHECK(itsa::collectors::stable_inventory(collect_inventory(o)) == itsa::collectors::stable_inventory(inv));
}

TEST_CASE("an empty root gives nulls and notes, never a crash") {
  InventoryOptions o;
  o.root = itsa::test::temp_dir() / "empty";
  fs::create_directories(o.root);
  const json inv = collect_inventory(o);
  CHECK(inv["memory"]["total_bytes"].is_null());
  CHECK(inv["disks"].empty());
  CHECK(inv["cpu"]["model"].is_null());
  CHECK(inv["os"]["support"]["status"] == "unknown");
  CHECK(inv["notes"].size() > 5);
  CHECK_NOTHROW((void)inv.dump());
}
