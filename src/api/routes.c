/* routes.c - the route table is the concatenation of these groups, in this order (the static
 * file group, which matches everything, comes last). */
#include <stddef.h>

#include "api/api.h"

struct route *const route_groups[] = {
    /* one group a line, so that branches adding groups do not collide */
    system_routes,
    auth_routes,
    admin_routes,
    person_routes,
    me_routes,
    audit_routes,
    policy_routes,
    jobs_routes,
    match_routes,
    ei_routes,
    dci_routes,
    nesp_routes,
    referral_routes,
    static_routes,
    NULL,
};
