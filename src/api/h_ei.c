/* h_ei.c - ei routes (placeholder until they land). */
#include "api/api.h"

struct route ei_routes[] = {ROUTE_END};
