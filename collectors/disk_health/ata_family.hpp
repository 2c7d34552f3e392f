#pragma once
// How to read vendor-specific ATA attributes of a drive family: our own small table, decided
// per family where skdump (libatasmart) and smartctl's drive database disagree on the captured
// drives of tests/fixtures/smart (docs/inventory.md "Disk health" says why for each).
#include <string>
#include <string_view>

namespace itsa::collectors::disk_health {

/// Unit of attribute 9's raw counter.
enum class PowerOnUnit { hours, minutes, half_minutes };

struct AtaFamily {
  std::string name = "generic";  ///< "Maxtor DiamondMax", "Phison SSD", ...
  PowerOnUnit power_on_unit = PowerOnUnit::hours;
  bool reallocated_vendor_specific = false;  ///< attribute 5's raw value is not a sector count
  bool pending_vendor_specific = false;      ///< attributes 197/198 raw values are not sector counts
  bool airflow_not_temperature = false;      ///< attribute 190 is not a temperature
  bool life_left_231 = false;                ///< attribute 231 raw = SSD life left in % (not a temperature)
  bool media_wearout_233 = false;            ///< attribute 233 normalised = SSD life left in %
};

/// The family of a drive from its IDENTIFY model and firmware strings (trimmed).
AtaFamily ata_family(std::string_view model, std::string_view firmware);

/// smartctl's default name for an attribute id ("Reallocated_Sector_Ct"), adjusted to the family
/// ("Power_On_Minutes", "SSD_Life_Left"); "Unknown_Attribute" for ids without a common meaning.
std::string attribute_name(int id, const AtaFamily& family);

}  // namespace itsa::collectors::disk_health
