// itsa-server token create|list|revoke: enrolment tokens, one site each, stored hashed.
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "server/auth/crypto.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"

namespace itsa::server {

namespace {
/// Options of the token subcommands.
struct TokenOptions {
  StoreOptions store;  ///< where the store is
  std::string site;    ///< create: site name
  std::string agency;  ///< create: agency of the site (optional)
  std::string id;      ///< revoke: token id
  bool json = false;   ///< list: JSON output
};
}  // namespace

void register_token(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<TokenOptions>();
  auto* token = app.add_subcommand("token", "Enrolment tokens (one per site)");
  token->require_subcommand(1);

  auto* create = token->add_subcommand("create", "Create a token for a site; prints the token as the last line");
  add_store_options(*create, o->store);
  create->add_option("--site", o->site, "Site (office/department) the token enrols agents into")->required();
  create->add_option("--agency", o->agency,
                     "Agency the site belongs to (a province's server collects several; default: none, the "
                     "installation's one agency)");
  create->callback([o, &result] {
    result.exit_code = k_exit_failure;
    if (o->site.empty() || o->site.size() > 200) {
      std::cerr << "itsa-server: --site: must be 1..200 characters\n";
      result.exit_code = k_exit_usage;
      return;
    }
    if (o->agency.size() > 200) {
      std::cerr << "itsa-server: --agency: must be at most 200 characters\n";
      result.exit_code = k_exit_usage;
      return;
    }
    auto store = open_store_or_report(o->store);
    if (!store) return;
    const auto id = random_token(6);
    const auto new_token = random_token(32);
    auto r = store->create_token(id, o->site, o->agency, hash_secret(new_token),
                                 to_unix_ms(SystemClock::instance().utc_now()));
    if (!r) {
      std::cerr << "itsa-server: " << r.error().message << "\n";
      return;
    }
    std::cout << "Enrolment token " << id << " for site \"" << o->site << "\""
              << (o->agency.empty() ? std::string() : " of agency \"" + o->agency + "\"")
              << " (shown once; revoke with `itsa-server token revoke --id " << id << "`):\n";
    std::cout << new_token << "\n";
    result.exit_code = k_exit_ok;
  });

  auto* list = token->add_subcommand("list", "List tokens (id, site, created, revoked); never the tokens themselves");
  add_store_options(*list, o->store);
  list->add_flag("--json", o->json, "JSON output");
  list->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto tokens = store->list_tokens();
    if (!tokens) {
      std::cerr << "itsa-server: " << tokens.error().message << "\n";
      return;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : tokens.value()) {
      const auto created = to_rfc3339(from_unix_ms(t.created_ms));
      if (o->json) {
        out.push_back(
            {{"id", t.id}, {"site", t.site}, {"agency", t.agency}, {"created", created}, {"revoked", t.revoked}});
      } else {
        std::cout << t.id << "\t" << t.site << "\t" << created << "\t" << (t.revoked ? "revoked" : "active") << "\t"
                  << t.agency << "\n";
      }
    }
    if (o->json) std::cout << nlohmann::json{{"tokens", out}}.dump(2) << "\n";
    result.exit_code = k_exit_ok;
  });

  auto* revoke =
      token->add_subcommand("revoke", "Revoke a token: it enrols no new agent (enrolled agents keep working)");
  add_store_options(*revoke, o->store);
  revoke->add_option("--id,ID", o->id, "Token id (from `token list`)")->required();
  revoke->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto r = store->revoke_token(o->id);
    if (!r) {
      std::cerr << "itsa-server: " << r.error().message << "\n";
      return;
    }
    if (!r.value()) {
      std::cerr << "itsa-server: no token with id '" << o->id << "' (see `itsa-server token list`)\n";
      return;
    }
    std::cout << "token " << o->id << " revoked\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
