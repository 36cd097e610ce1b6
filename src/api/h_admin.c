/* h_admin.c - offices and accounts administration (placeholder). */
#include "api/api.h"

struct route admin_routes[] = {ROUTE_END};
