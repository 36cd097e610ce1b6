/* h_auth.c - login, logout, OAuth2 client credentials (placeholder: no routes yet). */
#include "api/api.h"

struct route auth_routes[] = {ROUTE_END};
