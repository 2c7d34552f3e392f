// Live-host sanity: the inventory of this machine agrees with nproc, /proc/meminfo and lsblk.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "collectors/inventory.hpp"

using nlohmann::json;

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  return out;
}

}  // namespace

TEST_CASE("live host: CPUs, memory and disks agree with nproc, /proc/meminfo and lsblk") {
  const json inv = itsa::collectors::collect_inventory({});
  CHECK_NOTHROW((void)inv.dump());
  // Logical CPUs: nproc (or all online CPUs when this process is pinned to fewer).
  const int nproc = std::stoi(run("nproc"));
  const int nproc_all = std::stoi(run("nproc --all"));
  REQUIRE(inv["cpu"]["logical_cores"].is_number());
  const int logical = inv["cpu"]["logical_cores"].get<int>();
  CHECK((logical == nproc || logical == nproc_all));
  // Memory total within 1 % of MemTotal.
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kb = 0;
  meminfo >> key >> kb;
  REQUIRE(key == "MemTotal:");
  REQUIRE(inv["memory"]["total_bytes"].is_number());
  CHECK(inv["memory"]["total_bytes"].get<double>() == doctest::Approx(kb * 1024).epsilon(0.01));
  // Disks: the same whole disks as lsblk (minus optical, loop, ram and zram devices).
  std::set<std::string> lsblk;
  std::istringstream lines(run("lsblk -dn -o NAME,TYPE 2>/dev/null"));
  std::string name, type;
  while (lines >> name >> type)
    if (type == "disk" && name.rfind("zram", 0) != 0) lsblk.insert(name);
  std::set<std::string> ours;
  for (const auto& d : inv["disks"]) ours.insert(d["name"].get<std::string>());
  CHECK(ours == lsblk);
  // Exactly one system disk when "/" is on a local disk.
  int system = 0;
  for (const auto& d : inv["disks"]) system += d["system"] == true ? 1 : 0;
  CHECK(system <= 1);
  CHECK(inv["os"]["family"] == "linux");
  CHECK(inv["hostname"].is_string());
}
