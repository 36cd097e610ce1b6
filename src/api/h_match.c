/* h_match.c - match routes (placeholder until they land). */
#include "api/api.h"

struct route match_routes[] = {ROUTE_END};
