/* h_dci.c - dci routes (placeholder until they land). */
#include "api/api.h"

struct route dci_routes[] = {ROUTE_END};
