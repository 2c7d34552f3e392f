#pragma once
// Disk health (SMART for ATA/SATA, SMART/Health log for NVMe): one verdict per disk with its
// reasons in Vietnamese and English. Reading the bytes is per platform (disk_health_linux.cpp,
// disk_health_windows.cpp); decoding them is portable (smart_parse.cpp, nvme_parse.cpp) and
// judging is verdict.cpp, so parsers are tested on captured pages (tests/fixtures/smart).
// Fields and thresholds: docs/inventory.md "Disk health".
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace itsa::collectors::disk_health {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

constexpr std::size_t k_ata_page_bytes = 512;     ///< IDENTIFY, SMART DATA and THRESHOLDS pages
constexpr std::size_t k_nvme_log_bytes = 512;     ///< NVMe SMART / Health log (log page 0x02)
constexpr std::size_t k_nvme_ident_bytes = 4096;  ///< NVMe Identify Controller

/// The ATA pages of one drive, as read from it or from a libatasmart `skdump --save` blob.
struct AtaPages {
  Bytes identify;                     ///< IDENTIFY DEVICE (512 bytes)
  Bytes smart_data;                   ///< SMART READ DATA (512 bytes)
  Bytes thresholds;                   ///< SMART READ THRESHOLDS (512 bytes; empty when not read)
  std::optional<bool> status_passed;  ///< SMART RETURN STATUS: true good, false threshold exceeded
  std::vector<std::string> notes;     ///< what was wrong with the pages
};

/// One ATA SMART attribute: the normalised value against the maker's threshold and the raw bytes.
struct AtaAttribute {
  int id = 0;
  std::string name;              ///< "Reallocated_Sector_Ct" (smartctl's default names), "Unknown_Attribute"
  bool prefailure = false;       ///< flags bit 0: a fall to the threshold predicts failure
  int value = 0;                 ///< normalised value (1..253 usually)
  int worst = 0;                 ///< worst normalised value seen
  std::optional<int> threshold;  ///< the maker's threshold; nullopt when no threshold page
  std::uint64_t raw = 0;         ///< the 6 raw bytes as one little-endian 48-bit number
};

/// A reason for a verdict, in both languages, with a stable code.
struct Reason {
  std::string code;  ///< "smart_status_failed", "pending_sectors", "no_smart_virtual", ...
  std::string en;
  std::string vi;
};

/// What the verdict is computed from; every field is nullopt when the disk does not report it.
struct DiskHealth {
  std::string device;  ///< "/dev/sda", "\\.\PhysicalDrive0", or the file decoded
  std::string kind;    ///< "ata", "nvme", or "" when nothing could be read
  std::optional<std::string> model, serial, firmware;
  std::optional<bool> ssd;           ///< ATA: IDENTIFY word 217 (1 = non-rotating); NVMe: true
  std::optional<bool> smart_passed;  ///< ATA SMART RETURN STATUS
  std::optional<std::int64_t> power_on_hours, temperature_c, reallocated_sectors, pending_sectors,
      offline_uncorrectable, udma_crc_errors, reported_uncorrectable, command_timeouts, wear_pct, media_errors,
      unsafe_shutdowns, critical_warning, available_spare_pct, available_spare_threshold_pct;
  std::vector<AtaAttribute> attributes;
  std::string verdict = "unknown";  ///< "failing", "worn", "ok", "unknown" (set by judge())
  std::vector<Reason> reasons;      ///< why the verdict (for "unknown": why it could not be read)
  std::vector<std::string> notes;   ///< decoding notes (bad checksum, vendor-specific raw value, ...)
};

/// Limits of the verdict (docs/inventory.md gives their reasons).
struct HealthLimits {
  std::int64_t worn_power_on_hours = 40000;  ///< ~4.5 years powered 24 h a day, ~18 years of office days
  std::int64_t worn_wear_pct = 80;           ///< SSD: 80% of the rated endurance used
};

/// Splits a libatasmart `skdump --save` blob (records tag + big-endian length + data:
/// IDFY, optional SMST, SMDT, SMTH). Fails, naming what is missing, without IDFY and SMDT.
Result<AtaPages> parse_skdump_blob(ByteView blob);

/// Decodes ATA pages into a DiskHealth (attributes, raw values by drive family, notes); no verdict.
/// Fails when the SMART DATA page is shorter than 512 bytes.
Result<DiskHealth> decode_ata(const AtaPages& pages);

/// Decodes a NVMe SMART / Health log page and, when not empty, the Identify Controller page
/// (model, serial, firmware). Fails when the log page is shorter than 512 bytes.
Result<DiskHealth> decode_nvme(ByteView smart_log, ByteView identify_controller = {});

/// A previous reading of the same disk (the daemon's previous `disk_health` record).
struct PreviousReading {
  std::int64_t reallocated_sectors = 0;
  std::string read_at;  ///< RFC 3339 time of that reading, quoted in the reason
};

/// Sets `verdict` and `reasons` from the decoded fields (never "unknown" for a decoded disk).
/// With `previous`, reallocated sectors grown since that reading make the disk failing.
void judge(DiskHealth& disk, const HealthLimits& limits = {}, const std::optional<PreviousReading>& previous = {});

/// The same physical disk in two readings: the same serial (and model) when both have one,
/// else the same device path.
bool same_disk(const nlohmann::json& a, const nlohmann::json& b);

/// A disk that could not be read: verdict "unknown" with `reason`.
DiskHealth unknown_disk(std::string device, Reason reason);
/// Why a disk was not read: the agent lacks the privilege (`account`: "root", "administrator").
Reason no_privilege_reason(const std::string& device, const char* account);
/// Why a disk was not read: it refused the SMART command (`what`: the system's error).
Reason refused_reason(const std::string& device, const std::string& what);

/// The JSON of docs/inventory.md for one disk (null where not reported).
nlohmann::json to_json(const DiskHealth& disk);

/// What the inventory carries of a reading (`inventory.disk_health`, the assessment's input):
/// per disk of `disks` (to_json() objects) its device, model, serial, verdict and the deciding
/// reason {code, en, vi}.
nlohmann::json inventory_summary(const nlohmann::json& disks);

/// Decodes a captured file exactly as a live disk: an ATA `skdump --save` blob, or a raw
/// 512-byte NVMe SMART/Health log (with `<name>.id-ctrl.bin` beside `<name>.smart-log.bin`
/// when present). The result is judged with `limits`.
Result<DiskHealth> load_smart_file(const std::filesystem::path& path, const HealthLimits& limits = {});

/// Reads and judges every physical disk of this machine (platform file). A disk that cannot be
/// read is "unknown" with the reason; never throws.
std::vector<DiskHealth> read_all_disks(const HealthLimits& limits = {});

/// Reads and judges one device by path (platform file): used by read_all_disks() and by tests
/// with a path that refuses the ioctl.
DiskHealth read_device(const std::string& path, const HealthLimits& limits = {});

}  // namespace itsa::collectors::disk_health
