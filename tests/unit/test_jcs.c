/* test_jcs.c - RFC 8785 canonicalisation, including the RFC's own example and number forms. */
#include "dci/jcs.h"
#include "testlib.h"

static char *canon(arena *a, const char *in) {
    json_error_t je;
    json_t *v = json_loads(in, JSON_DECODE_ANY, &je);
    cr_assert(v, "parse %s: %s", in, je.text);
    char *s = jcs_serialize(a, v);
    json_decref(v);
    return s;
}

Test(jcs, rfc8785_example) {
    arena *a = arena_new(0);
    const char *in = "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
                     "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                     "\"literals\":[null,true,false]}";
    cr_assert_str_eq(canon(a, in),
                     "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                     "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    arena_free(a);
}

Test(jcs, number_forms) {
    arena *a = arena_new(0);
    struct { const char *in, *out; } t[] = {
        {"0.0", "0"}, {"-0.0", "0"}, {"1.0", "1"}, {"-1.5", "-1.5"}, {"100", "100"},
        {"1e21", "1e+21"}, {"1e20", "100000000000000000000"}, {"0.000001", "0.000001"},
        {"0.0000001", "1e-7"}, {"1.2345678901234568e20", "123456789012345680000"},
        {"9007199254740993", "9007199254740992"}, {"5e-324", "5e-324"}, {"1.7976931348623157e308", "1.7976931348623157e+308"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) cr_assert_str_eq(canon(a, t[i].in), t[i].out, "input %s", t[i].in);
    arena_free(a);
}

Test(jcs, keys_sorted_by_utf16_units) {
    arena *a = arena_new(0);
    /* U+1F600 (surrogates D83D..) sorts before U+FB33 in UTF-16, after it in code points. */
    cr_assert_str_eq(canon(a, "{\"\\ufb33\":1,\"\\ud83d\\ude00\":2,\"b\":3,\"a\":{\"z\":1,\"y\":[2,1]}}"),
                     "{\"a\":{\"y\":[2,1],\"z\":1},\"b\":3,\"\xf0\x9f\x98\x80\":2,\"\xef\xac\xb3\":1}");
    arena_free(a);
}
