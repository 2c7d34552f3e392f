// Disk-health parsers on the real captured drives of tests/fixtures/smart: every field against
// the oracles beside each file (smartctl JSON and skdump text for ATA, the spec decoder's JSON for
// NVMe), the per-family decisions of docs/inventory.md where they disagree, every truncation and
// random corruption, and the verdict rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "collectors/disk_health/disk_health.hpp"
#include "tests/support/temp_dir.hpp"

namespace dh = itsa::collectors::disk_health;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

dh::Bytes bytes_of(const fs::path& p) {
  const std::string s = slurp(p);
  return dh::Bytes(s.begin(), s.end());
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The ATA blobs (files without an oracle suffix).
std::vector<std::string> ata_blobs() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(itsa::test::fixture("smart/ata"))) {
    const std::string n = e.path().filename().string();
    if (!ends_with(n, ".skdump.txt") && !ends_with(n, ".smartctl.json") && !ends_with(n, ".tsv")) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct SkdumpAttr {
  std::optional<int> value, worst;  // skdump prints n/a for a normalised value it finds invalid (0, 254, 255)
  std::optional<int> threshold;
  std::uint64_t raw;
};

/// skdump's attribute table: "ID# Name Value Worst Thres Pretty Raw Type ..."; the raw column
/// prints the 6 raw bytes in memory order.
std::map<int, SkdumpAttr> skdump_attributes(const std::string& text) {
  std::map<int, SkdumpAttr> out;
  static const std::regex line(R"(^\s*(\d+) \S+\s+(\d+|n/a)\s+(\d+|n/a)\s+(\d+|n/a)\s.*\s0x([0-9a-f]{12})\s)");
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) {
    std::smatch m;
    if (!std::regex_search(l, m, line)) continue;
    std::uint64_t raw = 0;
    const std::string hex = m[5];
    for (int i = 5; i >= 0; --i)
      raw = (raw << 8) | std::stoul(hex.substr(static_cast<std::size_t>(2 * i), 2), nullptr, 16);
    auto number = [](const std::string& v) { return v == "n/a" ? std::nullopt : std::optional<int>(std::stoi(v)); };
    SkdumpAttr a{number(m[2]), number(m[3]), number(m[4]), raw};
    out[std::stoi(m[1])] = a;
  }
  return out;
}

/// skdump-values.tsv: file → power-on milliseconds (when skdump gave one).
std::map<std::string, std::int64_t> skdump_power_on_ms() {
  std::map<std::string, std::int64_t> out;
  std::istringstream in(slurp(itsa::test::fixture("smart/ata/skdump-values.tsv")));
  std::string l;
  std::getline(in, l);
  while (std::getline(in, l)) {
    std::vector<std::string> cols;
    std::stringstream ls(l);
    std::string c;
    while (std::getline(ls, c, '\t')) cols.push_back(c);
    if (cols.size() > 3 && !cols[3].empty() && std::isdigit(static_cast<unsigned char>(cols[3][0])))
      out[cols[0]] = std::stoll(cols[3]);
  }
  return out;
}

const json* smartctl_attr(const json& sc, int id) {
  for (const auto& a : sc["ata_smart_attributes"]["table"])
    if (a["id"] == id) return &a;
  return nullptr;
}

json leading_int(const json* a) {
  if (!a) return nullptr;
  return std::stoll((*a)["raw"]["string"].get<std::string>());
}

json raw_value(const json* a) {
  return a ? (*a)["raw"]["value"] : json(nullptr);
}

// Per-family decisions where smartctl's reading is not ours (docs/inventory.md "Disk health").
bool fujitsu_0085(const std::string& f) {
  return f == "FUJITSU_MHY2120BH--0085000B";
}
bool samsung_mccoe(const std::string& f) {
  return f == "MCCOE64GEMPP--2.9.09";
}

// Expected verdicts (hand-decided from the oracles' values and the rules of docs/inventory.md).
const std::map<std::string, std::string> k_verdicts = {
    {"Biwintech_SSD_SX500.bin", "ok"},
    {"FUJITSU_MHY2120BH--0084000D", "ok"},
    {"FUJITSU_MHY2120BH--0085000B", "ok"},  // 199 CRC errors: a cable note, not a disk verdict
    {"FUJITSU_MHZ2160BH_G1--0084000A", "ok"},
    {"GIGABYTE_GP-GSTFS31100TNTD.bin", "ok"},
    {"IBM_IC25N020ATCS04-0.bin", "worn"},  // 22 reallocated
    {"INTEL_SSDSA2MH080G1GC--045C8820", "ok"},
    {"KINGSTON_SA400S37240G_SBFK71B1.bin", "ok"},
    {"MCCOE64GEMPP--2.9.09", "ok"},
    {"Maxtor_96147H8--BAC51KJ0", "failing"},     // 2 pending
    {"Maxtor_96147H8--BAC51KJ0--2", "failing"},  // SMART status FAILED, 10 at threshold
    {"Patriot_Burst_240GB.bin", "ok"},
    {"SAMSUNG_HS122JC.bin", "failing"},  // 197/198 raw > 0 (both oracles), 197 normalised 1
    {"SAMSUNG_MMCQE28G8MUP--0VA_VAM08L1Q", "ok"},
    {"SAMSUNG_MP0804H--UE100-14", "ok"},
    {"ST320410A--3.39", "worn"},     // 5 reallocated, spin retry at threshold in the past
    {"ST9100821AS--3.CME", "worn"},  // usage attribute 4 at threshold now
    {"SiliconPower_SSD_SBFM61.3.bin", "ok"},
    {"TOSHIBA_MK1651GSY--38IGT0G5T", "worn"},        // 1 reallocated
    {"WDC_WD2500JB--00REA0-20.00K20", "failing"},    // 1 pending
    {"WDC_WD5000AAKS--00TMA0-12.01C01", "failing"},  // 529 pending
};

}  // namespace

TEST_CASE("disk health: every ATA fixture decodes to its oracles' values") {
  const auto blobs = ata_blobs();
  REQUIRE(blobs.size() == 21);
  const auto power_on_ms = skdump_power_on_ms();
  for (const auto& f : blobs) {
    CAPTURE(f);
    const fs::path path = itsa::test::fixture("smart/ata/" + f);
    auto r = dh::load_smart_file(path);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    const dh::DiskHealth& d = r.value();
    const json sc = json::parse(slurp(path.string() + ".smartctl.json"));
    const auto sk = skdump_attributes(slurp(path.string() + ".skdump.txt"));

    CHECK(d.kind == "ata");
    CHECK(d.model.value_or("") == sc["model_name"].get<std::string>());
    CHECK(d.serial.value_or("") == sc["serial_number"].get<std::string>());
    CHECK(d.firmware.value_or("") == sc["firmware_version"].get<std::string>());

    // Every attribute: smartctl's and skdump's id, value, worst, threshold and 48-bit raw.
    const auto& table = sc["ata_smart_attributes"]["table"];
    REQUIRE(d.attributes.size() == table.size());
    CHECK(d.attributes.size() == sk.size());
    for (std::size_t i = 0; i < table.size(); ++i) {
      const auto& a = d.attributes[i];
      CAPTURE(a.id);
      CHECK(a.id == table[i]["id"].get<int>());
      CHECK(a.value == table[i]["value"].get<int>());
      CHECK(a.worst == table[i]["worst"].get<int>());
      CHECK(a.threshold == std::optional<int>(table[i]["thresh"].get<int>()));
      CHECK(a.raw == table[i]["raw"]["value"].get<std::uint64_t>());
      CHECK(a.prefailure == table[i]["flags"]["prefailure"].get<bool>());
      REQUIRE(sk.count(a.id) == 1);
      CHECK(sk.at(a.id).value.value_or(a.value) == a.value);
      CHECK(sk.at(a.id).worst.value_or(a.worst) == a.worst);
      CHECK(a.threshold == sk.at(a.id).threshold);
      CHECK(a.raw == sk.at(a.id).raw);
    }

    // SMART status: the SMST record (the only blob without one is the WD2500JB).
    if (f == "WDC_WD2500JB--00REA0-20.00K20")
      CHECK_FALSE(d.smart_passed.has_value());
    else
      CHECK(d.smart_passed == std::optional<bool>(sc["smart_status"]["passed"].get<bool>()));

    // Power-on hours: smartctl (drive database units), except Fujitsu MHY2 BH 0085000B (minutes, as skdump).
    if (fujitsu_0085(f))
      CHECK(d.power_on_hours == std::optional<std::int64_t>(power_on_ms.at(f) / 3'600'000));
    else
      CHECK(d.power_on_hours == std::optional<std::int64_t>(sc["power_on_time"]["hours"].get<std::int64_t>()));

    const json temp = sc.contains("temperature") ? sc["temperature"]["current"] : json(nullptr);
    CHECK(json(d.temperature_c ? json(*d.temperature_c) : json(nullptr)) == temp);

    auto j = dh::to_json(d);
    // Reallocated: smartctl's raw16 (leading number), except the vendor-specific Samsung OEM SSD.
    CHECK(j["reallocated_sectors"] == (samsung_mccoe(f) ? json(nullptr) : leading_int(smartctl_attr(sc, 5))));
    CHECK(j["pending_sectors"] == (fujitsu_0085(f) ? json(nullptr) : raw_value(smartctl_attr(sc, 197))));
    CHECK(j["offline_uncorrectable"] == (fujitsu_0085(f) ? json(nullptr) : raw_value(smartctl_attr(sc, 198))));
    CHECK(j["udma_crc_errors"] == raw_value(smartctl_attr(sc, 199)));
    CHECK(j["reported_uncorrectable"] == raw_value(smartctl_attr(sc, 187)));
    CHECK(j["command_timeouts"] == raw_value(smartctl_attr(sc, 188)));

    // Wear: SSD_Life_Left (231, Phison) raw, Intel's Media_Wearout_Indicator (233) or the SSD's
    // Wear_Leveling_Count (177) normalised, as life left.
    json wear = nullptr;
    const bool ssd = sc.contains("rotation_rate") && sc["rotation_rate"] == 0;
    if (const auto* a = smartctl_attr(sc, 231); a && (*a)["name"] == "SSD_Life_Left")
      wear = 100 - std::stoi((*a)["raw"]["string"].get<std::string>());
    else if (const auto* w = smartctl_attr(sc, 233);
             w && sc["model_name"].get<std::string>().rfind("INTEL SSD", 0) == 0)
      wear = 100 - (*w)["value"].get<int>();
    else if (const auto* s = smartctl_attr(sc, 177); s && ssd)
      wear = 100 - (*s)["value"].get<int>();
    CHECK(j["wear_pct"] == wear);
    CHECK(j["media_errors"].is_null());
    CHECK(j["critical_warning"].is_null());

    CHECK(d.verdict == k_verdicts.at(f));
    REQUIRE_FALSE(d.reasons.empty());
    for (const auto& reason : d.reasons) {
      CHECK_FALSE(reason.en.empty());
      CHECK_FALSE(reason.vi.empty());
    }
    CHECK_NOTHROW((void)j.dump());
  }
}

TEST_CASE("disk health: the reason names what decided") {
  auto maxtor = dh::load_smart_file(itsa::test::fixture("smart/ata/Maxtor_96147H8--BAC51KJ0--2"));
  REQUIRE(maxtor);
  std::set<std::string> codes;
  for (const auto& r : maxtor.value().reasons) codes.insert(r.code);
  CHECK(codes.count("smart_status_failed") == 1);
  CHECK(codes.count("attribute_at_threshold") == 1);
  CHECK(codes.count("pending_sectors") == 1);
  CHECK(codes.count("reallocated_sectors") == 1);
  CHECK(codes.count("udma_crc_errors") == 1);
  CHECK(maxtor.value().reasons.front().code == "smart_status_failed");

  auto kingston = dh::load_smart_file(itsa::test::fixture("smart/ata/KINGSTON_SA400S37240G_SBFK71B1.bin"));
  REQUIRE(kingston);
  CHECK(kingston.value().reasons.front().code == "within_limits");
  CHECK(kingston.value().reasons.front().vi.find("Không có dấu hiệu hỏng") != std::string::npos);
  CHECK(kingston.value().wear_pct == std::optional<std::int64_t>(7));
  CHECK(kingston.value().temperature_c == std::optional<std::int64_t>(26));  // 194, not 231's 93
}

TEST_CASE("disk health: the NVMe fixture decodes to the spec decoder's values") {
  const fs::path log = itsa::test::fixture("smart/nvme/SKhynix_SHPP41-2000GM--51060A20.smart-log.bin");
  const json oracle = json::parse(slurp(log.string().substr(0, log.string().size() - 4) + ".oracle.json"))["decoded"];
  const json ident = json::parse(
      slurp(itsa::test::fixture("smart/nvme/SKhynix_SHPP41-2000GM--51060A20.id-ctrl.oracle.json")))["decoded"];
  auto r = dh::load_smart_file(log);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  const json j = dh::to_json(r.value());
  CHECK(j["kind"] == "nvme");
  CHECK(j["critical_warning"] == oracle["critical_warning"]);
  CHECK(j["temperature_c"] == oracle["composite_temperature_celsius"]);
  CHECK(j["available_spare_pct"] == oracle["available_spare_percent"]);
  CHECK(j["available_spare_threshold_pct"] == oracle["available_spare_threshold_percent"]);
  CHECK(j["wear_pct"] == oracle["percentage_used"]);
  CHECK(j["power_on_hours"] == oracle["power_on_hours"]);
  CHECK(j["unsafe_shutdowns"] == oracle["unsafe_shutdowns"]);
  CHECK(j["media_errors"] == oracle["media_errors"]);
  CHECK(j["model"] == ident["mn"]);
  CHECK(j["serial"] == ident["sn"]);
  CHECK(j["firmware"] == ident["fr"]);
  for (const char* ata_only : {"reallocated_sectors", "pending_sectors", "offline_uncorrectable", "udma_crc_errors"})
    CHECK(j[ata_only].is_null());
  CHECK(j["attributes"].empty());
  CHECK(j["verdict"] == "ok");  // 28414 h < 40000 h, 0 % used, no warning, no media error
}

TEST_CASE("disk health: NVMe verdict rules") {
  dh::Bytes log(512, 0);
  log[1] = 0x3C;  // 316 K = 43 °C
  log[2] = 0x01;
  auto judged = [&](const dh::HealthLimits& limits = {}) {
    auto d = dh::decode_nvme(log);
    REQUIRE(d);
    dh::judge(d.value(), limits);
    return std::move(d).value();
  };
  CHECK(judged().verdict == "ok");
  CHECK(judged().temperature_c == std::optional<std::int64_t>(43));
  log[5] = 85;  // percentage used
  CHECK(judged().verdict == "worn");
  CHECK(judged().reasons.front().code == "wear");
  log[5] = 100;
  CHECK(judged().verdict == "failing");
  log[5] = 0;
  log[0] = 0x04;  // reliability degraded
  auto d = judged();
  CHECK(d.verdict == "failing");
  CHECK(d.reasons.front().en.find("reliability degraded") != std::string::npos);
  CHECK(d.reasons.front().vi.find("độ tin cậy suy giảm") != std::string::npos);
  log[0] = 0;
  log[128] = 0x50;  // 0xC350 = 50000 power-on hours
  log[129] = 0xC3;
  CHECK(judged().verdict == "worn");
  dh::HealthLimits generous;
  generous.worn_power_on_hours = 60000;
  CHECK(judged(generous).verdict == "ok");
  log[160] = 3;  // media errors
  CHECK(judged(generous).verdict == "worn");
}

TEST_CASE("disk health: every truncation and random corruption gives a note or a clear error, never a crash") {
  std::mt19937 rng(20261207);
  for (const auto& f : ata_blobs()) {
    CAPTURE(f);
    const auto full = bytes_of(itsa::test::fixture("smart/ata/" + f));
    for (std::size_t n = 0; n < full.size(); ++n) {
      CAPTURE(n);
      auto pages = dh::parse_skdump_blob(dh::ByteView(full.data(), n));
      if (!pages) {
        CHECK_FALSE(pages.error().message.empty());
        continue;
      }
      auto d = dh::decode_ata(pages.value());
      if (!d) {
        CHECK(d.error().message.find("truncated") != std::string::npos);
        continue;
      }
      CHECK_FALSE(d.value().notes.empty());  // a cut blob always leaves a note
      dh::judge(d.value());
      CHECK_NOTHROW((void)dh::to_json(d.value()).dump());
    }
    for (int round = 0; round < 100; ++round) {
      dh::Bytes copy = full;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < flips; ++k) copy[rng() % copy.size()] = static_cast<std::uint8_t>(rng());
      auto pages = dh::parse_skdump_blob(copy);
      if (!pages) continue;
      auto d = dh::decode_ata(pages.value());
      if (!d) continue;
      dh::judge(d.value());
      CHECK_NOTHROW((void)dh::to_json(d.value()).dump());
    }
  }
  const auto log = bytes_of(itsa::test::fixture("smart/nvme/SKhynix_SHPP41-2000GM--51060A20.smart-log.bin"));
  const auto ident = bytes_of(itsa::test::fixture("smart/nvme/SKhynix_SHPP41-2000GM--51060A20.id-ctrl.bin"));
  for (std::size_t n = 0; n < log.size(); ++n) {
    auto d = dh::decode_nvme(dh::ByteView(log.data(), n));
    REQUIRE_FALSE(d);
    CHECK(d.error().message == "NVMe SMART/Health log truncated: " + std::to_string(n) + " of 512 bytes");
  }
  for (std::size_t n = 1; n < ident.size(); ++n) {
    auto d = dh::decode_nvme(log, dh::ByteView(ident.data(), n));
    REQUIRE(d);
    CHECK_FALSE(d.value().model.has_value());
    CHECK(d.value().notes.at(0).find("Identify Controller truncated") != std::string::npos);
  }
}

TEST_CASE("disk health: files that are not SMART data fail naming the file") {
  const auto dir = itsa::test::temp_dir();
  { std::ofstream(dir / "garbage.bin") << "this is not a SMART blob"; }
  auto r = dh::load_smart_file(dir / "garbage.bin");
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("garbage.bin") != std::string::npos);
  CHECK(r.error().message.find("neither a skdump --save blob") != std::string::npos);
  auto missing = dh::load_smart_file(dir / "absent.bin");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("absent.bin") != std::string::npos);
  // A blob whose SMART DATA record is cut: the error names the record.
  auto full = bytes_of(itsa::test::fixture("smart/ata/ST320410A--3.39"));
  full.resize(8 + 512 + 8 + 4 + 8 + 100);
  {
    std::ofstream out(dir / "cut.bin", std::ios::binary);
    out.write(reinterpret_cast<const char*>(full.data()), static_cast<std::streamsize>(full.size()));
  }
  auto cut = dh::load_smart_file(dir / "cut.bin");
  REQUIRE_FALSE(cut);
  CHECK(cut.error().message.find("SMART DATA page truncated: 100 of 512 bytes") != std::string::npos);
}
