#include "server/http/routes.hpp"

namespace itsa::server {

void register_routes(Router& router) {
  add_api_routes(router);
  add_login_routes(router);
  add_machine_routes(router);
  add_site_routes(router);
  add_report_routes(router);
}

}  // namespace itsa::server
