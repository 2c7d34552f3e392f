// Linux disks from /sys/block: size, model, media (queue/rotational), bus (from the
// device path), and which disk holds "/" (mountinfo → major:minor → partition → disk,
// following device-mapper/md slaves).
#include <sys/sysmacros.h>

#include <fstream>
#include <set>
#include <sstream>

#include "collectors/inventory/platform.hpp"
#include "collectors/inventory/text_files.hpp"
#include "collectors/smbios/decode.hpp"

namespace itsa::collectors::platform {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Bus from the resolved /sys/block/<name> path.
std::string bus_of(const fs::path& real, const std::string& name) {
  const std::string p = real.string();
  if (name.rfind("nvme", 0) == 0 || p.find("/nvme/") != std::string::npos) return "nvme";
  if (p.find("/usb") != std::string::npos) return "usb";
  if (name.rfind("mmcblk", 0) == 0 || p.find("/mmc_host/") != std::string::npos) return "mmc";
  if (p.find("/virtio") != std::string::npos) return "virtio";
  if (p.find("/ata") != std::string::npos) return "sata";
  if (p.find("/host") != std::string::npos) return "scsi";
  return "unknown";
}

// The whole disks under a block device name (itself, its parent disk, or dm/md slaves).
void disks_under(const fs::path& sys_block_class, const std::string& name, std::set<std::string>& out, int depth = 0) {
  if (depth > 8) return;
  std::error_code ec;
  const fs::path dev = sys_block_class / name;
  const fs::path real = fs::canonical(dev, ec);
  if (ec) return;
  // A partition's directory holds a "partition" file; its parent directory is the disk.
  if (fs::exists(real / "partition", ec)) {
    out.insert(real.parent_path().filename().string());
    return;
  }
  bool had_slaves = false;
  for (const auto& s : fs::directory_iterator(real / "slaves", ec)) {
    had_slaves = true;
    disks_under(sys_block_class, s.path().filename().string(), out, depth + 1);
  }
  if (!had_slaves) out.insert(real.filename().string());
}

// major:minor of the device mounted on "/" from mountinfo; empty when not found.
std::string root_device(const fs::path& root) {
  std::ifstream in(under(root, "/proc/self/mountinfo"));
  std::string line;
  std::string found;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string id, parent, majmin, fsroot, mount;
    ls >> id >> parent >> majmin >> fsroot >> mount;
    if (mount == "/") found = majmin;  // the last mount on "/" wins
  }
  return found;
}

}  // namespace

json disks(const InventoryOptions& o, Notes& notes) {
  json out = json::array();
  const fs::path sys_block = under(o.root, "/sys/block");
  const fs::path class_block = under(o.root, "/sys/class/block");
  std::error_code ec;
  if (!fs::is_directory(sys_block, ec)) {
    notes.push_back("disks: /sys/block absent");
    return out;
  }
  std::set<std::string> system_disks;
  const std::string majmin = root_device(o.root);
  if (!majmin.empty()) {
    const fs::path dev = fs::canonical(under(o.root, "/sys/dev/block") / majmin, ec);
    if (!ec) disks_under(class_block, dev.filename().string(), system_disks);
  }
  if (system_disks.empty())
    notes.push_back("disks.system: the disk holding \"/\" was not found (overlay or network root?)");

  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(sys_block, ec)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& path : entries) {
    const std::string name = path.filename().string();
    // Only real devices: loop, ram, zram, dm, md have no "device" link.
    if (!fs::exists(path / "device", ec)) continue;
    if (name.rfind("sr", 0) == 0) continue;  // optical drives
    json d;
    d["name"] = name;
    json model = nullptr;
    if (auto m = read_line(path / "device/model"))
      model = smbios::clean_string(*m) ? json(*smbios::clean_string(*m)) : json(nullptr);
    d["model"] = model;
    auto sectors = read_u64(path / "size");
    d["size_bytes"] = sectors ? json(*sectors * 512) : json(nullptr);
    auto rot = read_u64(path / "queue/rotational");
    d["media"] = !rot ? "unknown" : *rot == 0 ? "ssd" : "hdd";
    const fs::path real = fs::canonical(path, ec);
    d["bus"] = bus_of(ec ? path : real, name);
    if (d["bus"] == "virtio" && rot && *rot == 1) {
      d["media"] = "unknown";  // virtio disks report rotational=1 whatever backs them
      notes.push_back("disks[" + name + "].media: virtual disk, media unknown");
    }
    d["removable"] = read_u64(path / "removable").value_or(0) == 1;
    const bool system = system_disks.count(name) > 0;
    d["system"] = system;
    d["system_fs"] = nullptr;
    if (system && o.root == "/") {
      auto space = fs::space("/", ec);
      if (!ec) d["system_fs"] = {{"mount", "/"}, {"size_bytes", space.capacity}, {"free_bytes", space.available}};
    }
    if (model.is_null()) notes.push_back("disks[" + name + "].model: not reported by the device");
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace itsa::collectors::platform
