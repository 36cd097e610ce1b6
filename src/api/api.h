/* api.h - handler declarations shared between src/api files and the route list. */
#ifndef OPENPES_API_H
#define OPENPES_API_H
#include "http/route.h"

/* Route groups, one per file (src/api/h_*.c), listed in routes.c. */
extern struct route system_routes[];
extern struct route auth_routes[];
extern struct route person_routes[];
extern struct route me_routes[];
extern struct route admin_routes[];
extern struct route policy_routes[];
extern struct route jobs_routes[];
extern struct route match_routes[];
extern struct route ei_routes[];
extern struct route dci_routes[];
extern struct route nesp_routes[];
extern struct route audit_routes[];
extern struct route referral_routes[];
extern struct route static_routes[];

/* src/http handlers exposed as routes. */
op_code metrics_handler(http_req *rq, http_res *rs);
op_code openapi_handler(http_req *rq, http_res *rs);

#endif
