#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "agent/commands/registry.hpp"
#include "common/time_format.hpp"
#include "config/agent_config.hpp"
#include "store/evidence_store.hpp"

namespace itsa::agent {

void register_status(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand("status", "Show the agent's identity, its evidence store and the last upload");
  auto config_file = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  cmd->add_option("--config", *config_file, "Agent config file")->required();
  cmd->add_option("--data-dir", *data_dir, "Override the config's data_dir");
  cmd->add_flag("--json", *as_json, "Print one JSON object");
  cmd->callback([&result, config_file, data_dir, as_json] {
    auto loaded = config::load_agent_config(*config_file);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      result.exit_code = k_exit_invalid_config;
      return;
    }
    store::StoreOptions so;
    so.data_dir = data_dir->empty() ? loaded.value().data_dir : std::filesystem::path(*data_dir);
    so.read_only = true;
    auto opened = store::EvidenceStore::open(so);
    if (!opened) {
      std::cerr << "itsa-agent status: " << opened.error().message << "\n";
      result.exit_code = k_exit_failure;
      return;
    }
    auto& s = *opened.value();
    auto stats = s.stats();
    if (!stats) {
      std::cerr << "itsa-agent status: " << stats.error().message << "\n";
      result.exit_code = k_exit_failure;
      return;
    }
    auto meta = [&](const std::string& key) -> nlohmann::json {
      auto v = s.get_meta(key);
      if (!v || !v.value()) return nullptr;
      return *v.value();
    };
    const auto& st = stats.value();
    nlohmann::json doc = {
        {"agent_id", st.agent_id},       {"records_total", st.records_total},  {"records_pending", st.records_pending},
        {"store_bytes", st.store_bytes}, {"last_upload", meta("last_upload")}, {"last_error", meta("last_error")}};
    if (*as_json) {
      std::cout << doc.dump() << "\n";
    } else {
      std::cout << "agent_id:        " << st.agent_id << "\n"
                << "records total:   " << st.records_total << "\n"
                << "records pending: " << st.records_pending << "\n"
                << "quarantined:     " << st.records_quarantined << "\n"
                << "store:           " << s.path().string() << " (" << st.store_bytes << " bytes)\n"
                << "last upload:     "
                << (doc["last_upload"].is_null() ? "never" : doc["last_upload"].get<std::string>()) << "\n"
                << "last error:      " << (doc["last_error"].is_null() ? "none" : doc["last_error"].get<std::string>())
                << "\n";
    }
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::agent
