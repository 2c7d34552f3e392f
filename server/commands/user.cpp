// itsa-server user add|list|remove: reviewer accounts for the web UI (argon2id passwords).
#include <algorithm>
#include <iostream>

#include "common/clock.hpp"
#include "common/time_format.hpp"
#include "server/auth/crypto.hpp"
#include "server/commands/registry.hpp"
#include "server/commands/store_options.hpp"

namespace itsa::server {

namespace {
/// Options of the user subcommands.
struct UserOptions {
  StoreOptions store;           ///< where the store is
  std::string name;             ///< login name
  std::string agency;           ///< add: the only agency the reviewer sees ("" = every agency)
  bool password_stdin = false;  ///< read the password from stdin
};
constexpr std::size_t k_min_password_chars = 8;
}  // namespace

void register_user(CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<UserOptions>();
  auto* user = app.add_subcommand("user", "Reviewer accounts of the web UI");
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "Create a reviewer account; the password is read from stdin");
  add_store_options(*add, o->store);
  add->add_option("--name", o->name, "Login name")->required();
  add->add_flag("--password-stdin", o->password_stdin, "Read the password from stdin (first line)")->required();
  add->add_option("--agency", o->agency,
                  "The reviewer sees only this agency's sites (default: every agency, the province's view)");
  add->callback([o, &result] {
    result.exit_code = k_exit_usage;
    if (o->name.empty() || o->name.size() > 100) {
      std::cerr << "itsa-server: --name: must be 1..100 characters\n";
      return;
    }
    if (o->agency.size() > 200) {
      std::cerr << "itsa-server: --agency: must be at most 200 characters\n";
      return;
    }
    std::string password;
    if (!std::getline(std::cin, password)) {
      std::cerr << "itsa-server: --password-stdin: no password on stdin\n";
      return;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < k_min_password_chars) {
      std::cerr << "itsa-server: password: must be at least " << k_min_password_chars << " characters\n";
      return;
    }
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto hash = hash_password(password);
    if (!hash) {
      std::cerr << "itsa-server: " << hash.error().message << "\n";
      return;
    }
    if (!o->agency.empty()) {
      // A scope naming no agency would show nothing: a typo, not a choice.
      auto sites = store->site_rows();
      if (!sites) {
        std::cerr << "itsa-server: " << sites.error().message << "\n";
        return;
      }
      if (std::none_of(sites.value().begin(), sites.value().end(),
                       [&](const SiteRow& s) { return s.agency == o->agency; })) {
        std::cerr << "itsa-server: --agency: no site belongs to agency '" << o->agency
                  << "' (name it first: itsa-server token create --site SITE --agency AGENCY)\n";
        result.exit_code = k_exit_usage;
        return;
      }
    }
    auto r = store->add_user({o->name, hash.value(), to_unix_ms(SystemClock::instance().utc_now()), o->agency});
    if (!r) {
      std::cerr << "itsa-server: " << r.error().message << "\n";
      return;
    }
    std::cout << "user " << o->name << " added"
              << (o->agency.empty() ? std::string() : " (agency \"" + o->agency + "\" only)") << "\n";
    result.exit_code = k_exit_ok;
  });

  auto* list = user->add_subcommand("list", "List reviewer accounts");
  add_store_options(*list, o->store);
  list->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto users = store->users();
    if (!users) {
      std::cerr << "itsa-server: " << users.error().message << "\n";
      return;
    }
    for (const auto& u : users.value())
      std::cout << u.name << "\t" << to_rfc3339(from_unix_ms(u.created_ms)) << "\t"
                << (u.agency.empty() ? std::string("*") : u.agency) << "\n";
    result.exit_code = k_exit_ok;
  });

  auto* remove = user->add_subcommand("remove", "Remove a reviewer account and end its sessions");
  add_store_options(*remove, o->store);
  remove->add_option("--name,NAME", o->name, "Login name")->required();
  remove->callback([o, &result] {
    result.exit_code = k_exit_failure;
    auto store = open_store_or_report(o->store);
    if (!store) return;
    auto r = store->remove_user(o->name);
    if (!r) {
      std::cerr << "itsa-server: " << r.error().message << "\n";
      return;
    }
    if (!r.value()) {
      std::cerr << "itsa-server: no user '" << o->name << "'\n";
      return;
    }
    std::cout << "user " << o->name << " removed\n";
    result.exit_code = k_exit_ok;
  });
}

}  // namespace itsa::server
