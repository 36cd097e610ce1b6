/* h_jobs.c - job market routes (placeholder). */
#include "api/api.h"

struct route jobs_routes[] = {ROUTE_END};
