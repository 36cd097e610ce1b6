/* h_policy.c - policy calculator endpoints (placeholder). */
#include "api/api.h"

struct route policy_routes[] = {ROUTE_END};
