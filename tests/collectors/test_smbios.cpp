// SMBIOS parser on the 14 real tables of tests/fixtures/smbios (expected values from
// PROVENANCE.md there) and on truncations/corruptions of each.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "collectors/smbios/decode.hpp"
#include "collectors/smbios/default_uuid.hpp"
#include "collectors/smbios/jedec.hpp"
#include "collectors/smbios/smbios.hpp"
#include "tests/support/temp_dir.hpp"

namespace sm = itsa::collectors::smbios;
using nlohmann::json;

namespace {

struct Expected {
  const char* file;
  const char* layout;
  const char* version;       // nullptr when unknown
  const char* manufacturer;  // nullptr when a placeholder
  const char* product;
  const char* bios_version;
  const char* bios_date;
  const char* chassis;
  int modules;
  std::uint64_t installed_gib_x1024;  // installed memory in MiB
  int slots_total;                    // from type 16 (system memory); -1 when unknown
};

const Expected k_expected[] = {
    {"asus-zenbook-ux305la.bin", "dump-bin-sm", "2.8", "ASUSTeK COMPUTER INC.", "UX305LA", "UX305LA.206", "2015-08-03",
     "Notebook", 2, 8192, 2},
    {"beelink-eq12.bin", "dump-bin-sm3", "3.5", "AZW", "EQ", "N95V106", "2023-12-15", "Desktop", 1, 16384, 2},
    {"dell-poweredge-r630.bin", "raw", nullptr, "Dell Inc.", "PowerEdge R630", "2.3.4", "2016-11-08",
     "Rack Mount Chassis", 2, 32768, 24},
    {"dell-precision-tower-3620.bin", "sysfs-pair", "3.0", "Dell Inc.", "Precision Tower 3620", "2.1.9", "2017-01-24",
     "Desktop", 2, 16384, 4},
    {"dell-precision-workstation-490.bin", "dump-bin-sm", "2.3", "Dell Inc.", "Precision WorkStation 490", "A05",
     "2007-05-24", "Tower", 2, 2048, 8},
    {"gigabyte-x399.bin", "dump-bin-sm3", "3.1", "Gigabyte Technology Co., Ltd.", "X399 AORUS XTREME", "F4",
     "2018-10-04", "Desktop", 8, 131072, 8},
    {"hp-z600.bin", "dump-bin-sm", "2.6", "Hewlett-Packard", "HP Z600 Workstation", "786G4 v03.54", "2011-11-02",
     "Mini Tower", 4, 32768, 6},
    {"lenovo-thinkcentre-m720s.bin", "dump-bin-sm3", "3.2", "LENOVO", "10STS04K00", "M1UKT59A", "2020-07-07", "Desktop",
     3, 24576, 4},
    {"lenovo-thinkpad-t430.bin", "sysfs-pair", "2.7", "LENOVO", "2347A49", "G1ET45WW (1.20 )", "2012-08-07", "Notebook",
     2, 8192, 2},
    {"lenovo-thinkpad-t61p.bin", "dump-bin-sm", "2.4", "LENOVO", "64606XG", "7LET56WW (1.26 )", "2007-10-18",
     "Notebook", 2, 2048, 2},
    {"microsoft-hyperv-vm.bin", "raw", nullptr, "Microsoft Corporation", "Virtual Machine", "090008", "2018-12-07",
     "Desktop", 0, 0, -1},
    {"microsoft-surface-laptop3.bin", "rsmb", "3.2", "Microsoft Corporation", "Surface Laptop 3", "1.2238.140",
     "2020-01-16", "Laptop", 2, 16384, 2},
    {"qemu-kvm-2009.bin", "dump-bin-sm", "2.4", nullptr, nullptr, "QEMU", "2007-01-01", "Other", 1, 384, 1},
    {"vmware-virtual-platform.bin", "dump-bin-sm", "2.7", "VMware, Inc.", "VMware Virtual Platform", "6.00",
     "2017-05-19", "Other", 1, 1024, 64},
};

json str_or_null(const char* s) {
  return s ? json(s) : json(nullptr);
}

bool any_note_contains(const std::vector<std::string>& notes, const std::string& needle) {
  for (const auto& n : notes)
    if (n.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("smbios: every real fixture decodes to the values in PROVENANCE.md") {
  for (const auto& e : k_expected) {
    CAPTURE(e.file);
    auto table = sm::load_file(itsa::test::fixture(std::string("smbios/") + e.file));
    REQUIRE_MESSAGE(table, (table ? "" : table.error().message));
    CHECK(table.value().layout == e.layout);
    CHECK(json(table.value().version_string() ? json(*table.value().version_string()) : json(nullptr)) ==
          str_or_null(e.version));
    std::vector<std::string> notes;
    const json d = sm::decode(table.value(), notes);
    CHECK(d["system"]["manufacturer"] == str_or_null(e.manufacturer));
    CHECK(d["system"]["product"] == str_or_null(e.product));
    CHECK(d["bios"]["version"] == str_or_null(e.bios_version));
    CHECK(d["bios"]["release_date"] == str_or_null(e.bios_date));
    CHECK(d["system"]["chassis"] == str_or_null(e.chassis));
    CHECK(d["memory"]["modules"].size() == static_cast<std::size_t>(e.modules));
    if (e.modules > 0)
      CHECK(d["memory"]["installed_bytes"].get<std::uint64_t>() == e.installed_gib_x1024 << 20);
    else
      CHECK(d["memory"]["installed_bytes"].is_null());
    if (e.slots_total >= 0)
      CHECK(d["memory"]["slots_total"] == e.slots_total);
    else
      CHECK(d["memory"]["slots_total"].is_null());
  }
}

TEST_CASE("smbios: quirks of particular tables") {
  std::vector<std::string> notes;
  SUBCASE("Hyper-V table breaks after 5 structures and says so") {
    auto t = sm::load_file(itsa::test::fixture("smbios/microsoft-hyperv-vm.bin"));
    REQUIRE(t);
    CHECK(t.value().structures.size() == 5);
    CHECK_FALSE(t.value().end_marker);
    CHECK(any_note_contains(t.value().notes, "invalid length 0"));
    sm::decode(t.value(), notes);
    CHECK(any_note_contains(notes, "table broken"));
  }
  SUBCASE("VMware: 620 structures, end marker") {
    auto t = sm::load_file(itsa::test::fixture("smbios/vmware-virtual-platform.bin"));
    REQUIRE(t);
    CHECK(t.value().structures.size() + 1 == 620);
    CHECK(t.value().end_marker);
    CHECK(t.value().notes.empty());
  }
  SUBCASE("Beelink: no end marker, not an error; DDR5 5600 module") {
    auto t = sm::load_file(itsa::test::fixture("smbios/beelink-eq12.bin"));
    REQUIRE(t);
    CHECK_FALSE(t.value().end_marker);
    const json d = sm::decode(t.value(), notes);
    CHECK(d["memory"]["modules"][0]["type"] == "DDR5");
    CHECK(d["memory"]["modules"][0]["speed_mts"] == 4800);  // configured speed
    CHECK(d["memory"]["modules"][0]["rated_speed_mts"] == 5600);
    CHECK(d["system"]["version"].is_null());  // "Default string"
  }
  SUBCASE("HP Z600: the 2 MB SYSTEM ROM device is not RAM") {
    auto t = sm::load_file(itsa::test::fixture("smbios/hp-z600.bin"));
    REQUIRE(t);
    const json d = sm::decode(t.value(), notes);
    for (const auto& m : d["memory"]["modules"]) CHECK(m["size_bytes"] == 8ull << 30);
  }
  SUBCASE("Surface: RSMB blob that starts with type 18, AMD CPU, UUID") {
    auto t = sm::load_file(itsa::test::fixture("smbios/microsoft-surface-laptop3.bin"));
    REQUIRE(t);
    CHECK(t.value().structures.front().type == 18);
    const json d = sm::decode(t.value(), notes);
    REQUIRE(d["processors"].size() == 1);
    CHECK(d["processors"][0]["model"].get<std::string>().find("AMD Ryzen 7") == 0);
    CHECK(d["system"]["uuid"].is_string());
  }
  SUBCASE("Dell 490: trailing spaces trimmed") {
    auto t = sm::load_file(itsa::test::fixture("smbios/dell-precision-workstation-490.bin"));
    REQUIRE(t);
    const json d = sm::decode(t.value(), notes);
    CHECK(d["system"]["product"] == "Precision WorkStation 490");
  }
}

TEST_CASE("smbios: placeholders, dates, names") {
  CHECK_FALSE(sm::clean_string("To be filled by O.E.M."));
  CHECK_FALSE(sm::clean_string("  Default string "));
  CHECK_FALSE(sm::clean_string("Not Specified"));
  CHECK_FALSE(sm::clean_string("System Product Name"));
  CHECK_FALSE(sm::clean_string("0000000000"));
  // AMI's template strings and "Not Defined", seen as values on real boards.
  CHECK_FALSE(sm::clean_string("Not Defined"));
  CHECK_FALSE(sm::clean_string("Type1Family"));
  CHECK_FALSE(sm::clean_string("Type1ProductConfigId"));
  CHECK_FALSE(sm::clean_string("Type2 - Board Vendor Name1"));
  CHECK_FALSE(sm::clean_string("Type2 - Board Version"));
  CHECK(sm::clean_string("Typewriter 2000") == std::optional<std::string>("Typewriter 2000"));
  CHECK(sm::is_default_uuid("03000200-0400-0500-0006-000700080009"));
  CHECK(sm::is_default_uuid("00020003-0004-0005-0006-000700080009"));  // pre-2.6 byte order
  CHECK_FALSE(sm::is_default_uuid("4c4c4544-0039-3010-8048-b7c04f384432"));
  CHECK_FALSE(sm::clean_string(""));
  CHECK(sm::clean_string(" Dell Inc.   ") == std::optional<std::string>("Dell Inc."));
  CHECK(sm::clean_string("A\x01"
                         "B") == std::optional<std::string>("A B"));
  CHECK(sm::clean_string("caf\xE9") == std::optional<std::string>("caf\xEF\xBF\xBD"));
  CHECK(sm::normalize_bios_date("08/03/2015") == std::optional<std::string>("2015-08-03"));
  CHECK(sm::normalize_bios_date("1/2/99") == std::optional<std::string>("1999-01-02"));
  CHECK(sm::normalize_bios_date("12/15/23") == std::optional<std::string>("2023-12-15"));
  CHECK_FALSE(sm::normalize_bios_date("13/01/2015"));
  CHECK_FALSE(sm::normalize_bios_date("2015-08-03"));
  CHECK_FALSE(sm::normalize_bios_date("08/03/2015x"));
  CHECK(sm::memory_type_name(0x1A) == std::optional<std::string>("DDR4"));
  CHECK_FALSE(sm::memory_type_name(0x02));
  CHECK(sm::chassis_type_name(0x0A) == std::optional<std::string>("Notebook"));
  CHECK(sm::chassis_is_portable(0x09));
  CHECK_FALSE(sm::chassis_is_portable(0x03));
}

TEST_CASE("smbios: JEDEC module manufacturer codes") {
  const auto name = [](const char* raw) { return sm::module_manufacturer(raw); };
  CHECK(name("859B") == std::optional<std::string>("Crucial Technology"));
  CHECK(name("80CE") == std::optional<std::string>("Samsung"));
  CHECK(name("80AD000080AD") == std::optional<std::string>("SK hynix"));
  CHECK(name("802C") == std::optional<std::string>("Micron Technology"));
  CHECK(name("002C00B3002C") == std::optional<std::string>("Micron Technology"));  // Dell, no parity bit
  CHECK(name("0198") == std::optional<std::string>("Kingston"));
  CHECK(name("029E") == std::optional<std::string>("Corsair"));
  CHECK(name("04CB") == std::optional<std::string>("A-DATA Technology"));
  CHECK(name("JEDEC ID:80 AD") == std::optional<std::string>("SK hynix"));  // HP
  CHECK(name("0x80CE") == std::optional<std::string>("Samsung"));
  CHECK(name("7F7F9E0000000000") == std::optional<std::string>("Corsair"));  // DDR2: 0x7F per bank
  CHECK(name("CE00000000000000") == std::optional<std::string>("Samsung"));
  CHECK(name("802C000000000000") == std::optional<std::string>("Micron Technology"));
  CHECK(name("JEDEC ID:") == std::nullopt);                           // nothing in it
  CHECK(name("8A45") == std::optional<std::string>("8A45"));          // unknown code: kept raw
  CHECK(name("Kingston") == std::optional<std::string>("Kingston"));  // a name stays
  CHECK(name("Hynix/Hyundai") == std::optional<std::string>("Hynix/Hyundai"));
  // SMBIOS 3.2 Module Manufacturer ID word: low byte bank with parity, high byte code.
  auto id = sm::jedec_from_word(0x9B85);
  REQUIRE(id);
  CHECK(sm::jedec_name(*id) == std::optional<std::string>("Crucial Technology"));
  CHECK_FALSE(sm::jedec_from_word(0));
}

TEST_CASE("smbios: details of real tables (chassis, array capacity, makers, default UUID, bad string index)") {
  std::vector<std::string> notes;
  SUBCASE("Beelink: AMI's default UUID is null with a note; Crucial module from the table's name") {
    auto t = sm::load_file(itsa::test::fixture("smbios/beelink-eq12.bin"));
    REQUIRE(t);
    const json d = sm::decode(t.value(), notes);
    CHECK(d["system"]["uuid"].is_null());
    CHECK(any_note_contains(notes, "03000200-0400-0500-0006-000700080009"));
    CHECK(d["memory"]["modules"][0]["manufacturer"] == "Crucial Technology");
    CHECK(d["memory"]["max_capacity_bytes"] == 64ull << 30);
  }
  SUBCASE("ThinkCentre M720s: 859B is Crucial; chassis maker and serial; 64 GB maximum") {
    auto t = sm::load_file(itsa::test::fixture("smbios/lenovo-thinkcentre-m720s.bin"));
    REQUIRE(t);
    const json d = sm::decode(t.value(), notes);
    CHECK(d["memory"]["modules"][0]["manufacturer"] == "Samsung");
    CHECK(d["memory"]["modules"][1]["manufacturer"] == "Crucial Technology");
    CHECK(d["chassis"]["manufacturer"] == "LENOVO");
    CHECK(d["chassis"]["serial"] == "S4JA0501");
    CHECK(d["memory"]["max_capacity_bytes"] == 64ull << 30);
    CHECK(d["processors"][0]["cpuid_family"] == 6);
    CHECK(d["processors"][0]["cpuid_model"] == 158);
  }
  SUBCASE("HP Z600: two system arrays of 12 GB (the 2 MB flash array is not memory); HP's JEDEC ID text") {
    auto t = sm::load_file(itsa::test::fixture("smbios/hp-z600.bin"));
    REQUIRE(t);
    const json d = sm::decode(t.value(), notes);
    CHECK(d["memory"]["max_capacity_bytes"] == 24ull << 30);
    CHECK(d["memory"]["modules"][0]["manufacturer"] == "SK hynix");
  }
  SUBCASE("Surface Laptop 3: the chassis refers to a string past the end of its set") {
    auto t = sm::load_file(itsa::test::fixture("smbios/microsoft-surface-laptop3.bin"));
    REQUIRE(t);
    sm::decode(t.value(), notes);
    CHECK(any_note_contains(notes, "type 3 (handle 0x000f) refers to string 3 at offset 0x08, past the end"));
  }
}

TEST_CASE("smbios: damaged tables leave a note") {
  SUBCASE("an entry point's structure count that does not match the table") {
    auto bytes = sm::read_file_bytes(itsa::test::fixture("smbios/lenovo-thinkpad-t61p.bin"));
    REQUIRE(bytes);
    auto copy = bytes.value();
    REQUIRE(copy[0x1C] == 73);
    copy[0x1C] = 80;
    auto t = sm::parse(copy);
    REQUIRE(t);
    CHECK(any_note_contains(t.value().notes, "entry point announces 80 structures, the table holds 73"));
    auto intact = sm::parse(bytes.value());
    REQUIRE(intact);
    CHECK_FALSE(any_note_contains(intact.value().notes, "structures, the table holds"));
  }
  SUBCASE("a structure length of 255") {
    sm::Bytes raw = {0x01, 0xFF, 0x01, 0x00};
    raw.resize(0xFF, 0);
    raw.insert(raw.end(), {0, 0, 0x7F, 4, 0xFF, 0xFF, 0, 0});
    auto t = sm::parse(raw);
    REQUIRE(t);
    CHECK(any_note_contains(t.value().notes, "has length 255"));
  }
  SUBCASE("a module Extended Size of 0x7FFFFFFF MB is not 2 PiB; 0x8000 MB is 32 GiB") {
    auto t = sm::load_file(itsa::test::fixture("smbios/lenovo-thinkpad-t430.bin"));  // SMBIOS 2.7
    REQUIRE(t);
    sm::Structure* dimm = nullptr;
    for (auto& s : t.value().structures)
      if (s.type == 17 && s.formatted.size() >= 0x20 && !dimm) dimm = &s;
    REQUIRE(dimm);
    auto set = [&](std::size_t off, std::uint32_t v, int n) {
      for (int i = 0; i < n; ++i)
        dimm->formatted[off + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
    };
    set(0x0C, 0x7FFF, 2);
    set(0x1C, 0x7FFFFFFF, 4);
    std::vector<std::string> notes;
    json d = sm::decode(t.value(), notes);
    CHECK(d["memory"]["modules"].size() == 1);
    CHECK(d["memory"]["installed_bytes"] == 4ull << 30);
    CHECK(any_note_contains(notes, "Extended Size 0x7fffffff MB"));
    set(0x1C, 0x8000, 4);
    notes.clear();
    d = sm::decode(t.value(), notes);
    CHECK(d["memory"]["installed_bytes"] == 36ull << 30);
  }
}

TEST_CASE("smbios: bad input fails cleanly") {
  CHECK_FALSE(sm::parse({}));
  const std::uint8_t ep_only[] = {'_',  'S', 'M', '3', '_',  0, 0x18, 3, 0, 0, 1, 0,
                                  0x10, 0,   0,   0,   0x20, 0, 0,    0, 0, 0, 0, 0};
  auto r = sm::parse(ep_only);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("no table") != std::string::npos);
  auto missing = sm::load_file(itsa::test::temp_dir() / "absent.bin");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("absent.bin") != std::string::npos);
}

TEST_CASE("smbios: every truncation and random corruption parses or fails cleanly") {
  std::mt19937 rng(20261127);
  for (const auto& e : k_expected) {
    CAPTURE(e.file);
    auto bytes = sm::read_file_bytes(itsa::test::fixture(std::string("smbios/") + e.file));
    REQUIRE(bytes);
    const auto& full = bytes.value();
    auto intact = sm::parse(full);
    REQUIRE(intact);
    const std::size_t whole_count = intact.value().structures.size();
    // Every cut, at every byte, parses or fails cleanly and says so (the 29 KB VMware table:
    // every byte of its first and last 2 KB, every 29th between, to keep the ASan run short);
    // the decoder runs on the cuts near the ends and about 400 between.
    const std::size_t step = std::max<std::size_t>(1, full.size() / 400);
    const auto every_byte = [&](std::size_t n) { return full.size() <= 8192 || n < 2048 || n + 2048 > full.size(); };
    for (std::size_t n = 0; n <= full.size(); n += every_byte(n) ? 1 : 29) {
      auto t = sm::parse(sm::ByteView(full.data(), n));
      if (!t) continue;
      // A cut says so, unless it only dropped bytes after the end-of-table structure.
      const bool whole = t.value().end_marker && t.value().structures.size() == whole_count;
      if (n < full.size() && !whole && t.value().notes.empty()) FAIL_CHECK("cut at byte " << n << " left no note");
      if (n < 96 || n + 96 > full.size() || n % step == 0) {
        std::vector<std::string> notes;
        const json d = sm::decode(t.value(), notes);
        CHECK_NOTHROW((void)d.dump());
      }
    }
    for (int round = 0; round < 150; ++round) {
      sm::Bytes copy = full;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) copy[rng() % copy.size()] = static_cast<std::uint8_t>(rng());
      auto t = sm::parse(copy);
      if (t) {
        std::vector<std::string> notes;
        const json d = sm::decode(t.value(), notes);
        CHECK_NOTHROW((void)d.dump());
      }
    }
  }
}
