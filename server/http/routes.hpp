#pragma once
// THE list of the server's routes: each area adds its routes here with one line.
#include "server/http/router.hpp"

namespace itsa::server {

/// Every route of itsa-server (routes.cpp).
void register_routes(Router& router);

void add_api_routes(Router& router);      ///< /healthz, /metrics, /api/v1/enroll, /api/v1/ingest
void add_login_routes(Router& router);    ///< /, /login, /logout, /lang
void add_machine_routes(Router& router);  ///< /machines, /machines.csv, /machines/<id>
void add_site_routes(Router& router);     ///< /sites
void add_report_routes(Router& router);   ///< /report, /report.html, /report.json, /report.csv

}  // namespace itsa::server
