#include "collectors/disk_health/ata_family.hpp"

#include <array>
#include <utility>

namespace itsa::collectors::disk_health {
namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

constexpr std::array<std::pair<int, const char*>, 50> k_names{{
    {1, "Raw_Read_Error_Rate"},
    {2, "Throughput_Performance"},
    {3, "Spin_Up_Time"},
    {4, "Start_Stop_Count"},
    {5, "Reallocated_Sector_Ct"},
    {7, "Seek_Error_Rate"},
    {8, "Seek_Time_Performance"},
    {9, "Power_On_Hours"},
    {10, "Spin_Retry_Count"},
    {11, "Calibration_Retry_Count"},
    {12, "Power_Cycle_Count"},
    {13, "Read_Soft_Error_Rate"},
    {170, "Available_Reservd_Space"},
    {171, "Program_Fail_Count"},
    {172, "Erase_Fail_Count"},
    {173, "Wear_Leveling_Count"},
    {174, "Unexpect_Power_Loss_Ct"},
    {175, "Program_Fail_Count_Chip"},
    {176, "Erase_Fail_Count_Chip"},
    {177, "Wear_Leveling_Count"},
    {178, "Used_Rsvd_Blk_Cnt_Chip"},
    {179, "Used_Rsvd_Blk_Cnt_Tot"},
    {180, "Unused_Rsvd_Blk_Cnt_Tot"},
    {181, "Program_Fail_Cnt_Total"},
    {182, "Erase_Fail_Count_Total"},
    {183, "Runtime_Bad_Block"},
    {184, "End-to-End_Error"},
    {187, "Reported_Uncorrect"},
    {188, "Command_Timeout"},
    {189, "High_Fly_Writes"},
    {190, "Airflow_Temperature_Cel"},
    {191, "G-Sense_Error_Rate"},
    {192, "Power-Off_Retract_Count"},
    {193, "Load_Cycle_Count"},
    {194, "Temperature_Celsius"},
    {195, "Hardware_ECC_Recovered"},
    {196, "Reallocated_Event_Count"},
    {197, "Current_Pending_Sector"},
    {198, "Offline_Uncorrectable"},
    {199, "UDMA_CRC_Error_Count"},
    {200, "Multi_Zone_Error_Rate"},
    {201, "Soft_Read_Error_Rate"},
    {202, "Data_Address_Mark_Errs"},
    {220, "Disk_Shift"},
    {222, "Loaded_Hours"},
    {223, "Load_Retry_Count"},
    {224, "Load_Friction"},
    {226, "Load-in_Time"},
    {240, "Head_Flying_Hours"},
    {241, "Total_LBAs_Written"},
}};

}  // namespace

AtaFamily ata_family(std::string_view model, std::string_view firmware) {
  AtaFamily f;
  // Maxtor DiamondMax (96147H8 etc.): attribute 9 counts minutes (smartctl's database agrees).
  if (starts_with(model, "Maxtor 9") && model.size() == 14 && ends_with(model, "8")) {
    f.name = "Maxtor DiamondMax";
    f.power_on_unit = PowerOnUnit::minutes;
  } else if (starts_with(model, "TOSHIBA MK") && ends_with(model, "51GSY")) {
    // Toshiba 2.5" MK..51GSY: minutes (smartctl's database; skdump gives no power-on time).
    f.name = "Toshiba MK..51GSY";
    f.power_on_unit = PowerOnUnit::minutes;
  } else if (starts_with(model, "SAMSUNG MP0") && ends_with(model, "H")) {
    // Samsung SpinPoint M (MP0402H..MP0804H): half-minutes (smartctl's database).
    f.name = "Samsung SpinPoint M";
    f.power_on_unit = PowerOnUnit::half_minutes;
  } else if (starts_with(model, "FUJITSU MHY2") && ends_with(model, "BH") && firmware == "0085000B") {
    // Fujitsu MHY2 BH, firmware 0085000B: minutes, and 197/198 hold vendor data (libatasmart's
    // quirk; smartctl's 129691 hours would be 14.8 years on a drive made in 2007).
    f.name = "Fujitsu MHY2 BH (0085000B)";
    f.power_on_unit = PowerOnUnit::minutes;
    f.pending_vendor_specific = true;
  } else if (starts_with(model, "MCCOE") || starts_with(model, "MCBOE") || starts_with(model, "MCCQE")) {
    // Samsung OEM SSDs (MCCOE64GEMPP): attribute 5 and 190 are vendor-specific (libatasmart's quirk).
    f.name = "Samsung OEM SSD (MCCOE)";
    f.reallocated_vendor_specific = true;
    f.airflow_not_temperature = true;
  } else if (starts_with(firmware, "SBF")) {
    // Phison controllers (Kingston A400, Gigabyte, Patriot Burst, Silicon Power firmware SBF*):
    // attribute 231 is SSD life left in %, not a temperature (smartctl's "Phison Driven SSDs").
    f.name = "Phison SSD";
    f.life_left_231 = true;
  } else if (starts_with(model, "INTEL SSD")) {
    // Intel SSDs: attribute 233 Media_Wearout_Indicator, normalised value = life left in %.
    f.name = "Intel SSD";
    f.media_wearout_233 = true;
  }
  return f;
}

std::string attribute_name(int id, const AtaFamily& family) {
  if (id == 9 && family.power_on_unit == PowerOnUnit::minutes) return "Power_On_Minutes";
  if (id == 9 && family.power_on_unit == PowerOnUnit::half_minutes) return "Power_On_Half_Minutes";
  if (id == 231 && family.life_left_231) return "SSD_Life_Left";
  if (id == 233 && family.media_wearout_233) return "Media_Wearout_Indicator";
  for (const auto& [n, name] : k_names)
    if (n == id) return name;
  return "Unknown_Attribute";
}

}  // namespace itsa::collectors::disk_health
