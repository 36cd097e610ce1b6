/* h_me.c - a citizen's own profile and registration at /api/v1/me (placeholder). */
#include "api/api.h"

struct route me_routes[] = {ROUTE_END};
