/* h_person.c - person profile and job-seeker registration routes (placeholder). */
#include "api/api.h"

struct route person_routes[] = {ROUTE_END};
