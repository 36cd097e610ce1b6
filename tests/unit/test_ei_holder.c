/* test_ei_holder.c - is the payout account in the claimant's name (src/ei/holder.c, ei_bank_check
 * in src/ei/bankacct.c): the comparison key (NFKC caseless, white space and punctuation aside),
 * the registered name in either order, bad names refused with a structured error, and the check
 * reading the registered name through the access path (audited) on both backends. */
#include "audit/audit.h"
#include "base/jsonx.h"
#include "domain/person.h"
#include "ei/ei_int.h"

#include "testlib.h"

static bool same(const char *holder, const char *family, const char *given) {
    op_err e = {0};
    bool m = false;
    cr_assert_eq(ei_holder_matches(&e, holder, family, given, &m), OP_OK, "%s: %s", holder, e.detail);
    return m;
}

static void bad(const char *name, const char *what) {
    op_err e = {0};
    char key[EI_NAME_KEY_MAX] = "x";
    cr_assert_eq(ei_name_key(&e, "holder_name", name, key), OP_VALIDATION, "%s accepted", what);
    cr_assert_str_eq(e.field, "holder_name", "%s", what);
    cr_assert(e.detail[0] && e.hint[0], "%s: detail and hint", what);
    cr_assert_str_eq(key, "", "%s: no key", what);
}

Test(name, hangul_with_and_without_spaces) {
    cr_assert(same("홍길동", "홍", "길동"));
    cr_assert(same("홍 길동", "홍", "길동"));
    cr_assert(same(" 홍  길 동 ", "홍", "길동"));
    cr_assert(same("홍\u3000길동", "홍", "길동"), "ideographic space");
    /* decomposed jamo (NFD, as some keyboards and copy-paste give it) is the composed syllable */
    cr_assert(same("\u1112\u1169\u11BC\u1100\u1175\u11AF\u1103\u1169\u11BC", "홍", "길동"));
}

Test(name, latin_case_punctuation_and_order) {
    cr_assert(same("KIM Min-jun", "Kim", "Min-jun"));
    cr_assert(same("kim minjun", "Kim", "Min-jun"));
    cr_assert(same("Min-jun KIM", "Kim", "Min-jun"), "given name first");
    cr_assert(same("O'Neil, Mary", "O’Neil", "Mary"), "apostrophes and commas");
    cr_assert(same("STRASSE Jörg", "Straße", "Jörg"), "full case folding: ß is ss");
    cr_assert(same("JO\u0308RG Mu\u0308ller", "Müller", "Jörg"), "combining marks composed");
    cr_assert(same("마이클·잭슨", "잭슨", "마이클"), "middle dot of transcribed names");
}

Test(name, full_width_latin_is_ascii) {
    cr_assert(same("ＫＩＭ　Ｍｉｎ－ｊｕｎ", "Kim", "Min-jun"));
    cr_assert(same("ｋｉｍｍｉｎｊｕｎ", "KIM", "MINJUN"));
    char key[EI_NAME_KEY_MAX];
    op_err e = {0};
    cr_assert_eq(ei_name_key(&e, "holder_name", "Ｌｅｅ\u200b Ｓｅｏ-ｙｅｏｎ", key), OP_OK, "%s", e.detail);
    cr_assert_str_eq(key, "leeseoyeon", "zero-width space dropped too");
}

Test(name, genuine_mismatches) {
    cr_assert_not(same("홍길순", "홍", "길동"));
    cr_assert_not(same("김가나", "홍", "길동"));
    cr_assert_not(same("Kim Gana", "김", "가나"), "no transliteration: a counsellor confirms");
    cr_assert_not(same("홍길동 주식회사", "홍", "길동"), "a company account in the claimant's name is not the claimant's");
    cr_assert_not(same("Kim Min", "Kim", "Min-jun"), "a shorter name");
    cr_assert_not(same("길", "홍", "길동"));
}

Test(name, empty_and_overlong_names_are_refused) {
    bad("", "empty");
    bad(" \t ", "blank");
    bad("-- . --", "punctuation only");
    char lng[EI_NAME_MAX + 2];
    memset(lng, 'a', sizeof lng - 1);
    lng[sizeof lng - 1] = 0;
    bad(lng, "151 bytes");
    /* 50 x U+FDFA (3 bytes each, 150 bytes) grows to 18 characters each under NFKC */
    char grow[EI_NAME_MAX + 1] = "";
    for (int i = 0; i < 50; i++) strcat(grow, "\xEF\xB7\xBA");
    bad(grow, "too long once normalised");
    bad("\xC3\x28", "not UTF-8");
    op_err e = {0};
    bool m = true;
    cr_assert_eq(ei_holder_matches(&e, "", "홍", "길동", &m), OP_VALIDATION);
    cr_assert_not(m);
    cr_assert_str_eq(e.field, "holder_name");
    memset(lng, 'a', EI_NAME_MAX);
    lng[EI_NAME_MAX] = 0;
    char key[EI_NAME_KEY_MAX];
    op_clear(&e);
    cr_assert_eq(ei_name_key(&e, "holder_name", lng, key), OP_OK, "150 bytes is allowed: %s", e.detail);
    cr_assert_eq(strlen(key), EI_NAME_MAX);
}

/* ---- the check against a stored person (both backends) ---- */

static store *db;
static char person_id[ID_LEN];

static void setup(void) {
    db = test_db_open();
    test_person_create(db,
                       json_pack("{s:s, s:s, s:s, s:s}", "national_id", "800101-1234567", "given_name", "민준", "family_name",
                                 "김", "birth_date", "1980-01-01"),
                       person_id);
}

static void teardown(void) { audit_stop(); }

TestSuite(account, .init = setup, .fini = teardown);

static void check(const char *holder, bool want, const char *reason) {
    ctx c;
    op_err e = {0};
    cr_assert(ctx_init_system(&c, "test", "benefit_administration", &e), "%s", e.detail);
    struct ei_bank b = {0};
    snprintf(b.holder, sizeof b.holder, "%s", holder);
    cr_assert_eq(store_begin(db, &e), OP_OK);
    cr_assert_eq(ei_bank_check(&c, person_id, &b), OP_OK, "%s", c.err.detail);
    cr_assert_eq(store_commit(db, &e), OP_OK);
    ctx_release(&c); /* waits until the read's audit record is in the chain */
    cr_assert_eq(b.confirmed, want, "%s", holder);
    cr_assert_str_eq(b.reason, reason, "%s", holder);
}

Test(account, the_registered_name_is_read_through_the_access_path) {
    check("김 민준", true, EI_HOLDER_MATCHES);
    check("ＫＩＭ민준", false, EI_HOLDER_DIFFERS);
    check("이서연", false, EI_HOLDER_DIFFERS);
    cr_assert_eq(test_count(db, "SELECT COUNT(*) FROM audit_log WHERE resource_type = 'person' AND action = 'READ'"
                                " AND outcome = 'allow' AND purpose = 'benefit_administration'"),
                 3, "one audited read of the registered name per check");
}

Test(account, a_person_that_does_not_exist_is_not_found) {
    ctx c;
    op_err e = {0};
    cr_assert(ctx_init_system(&c, "test", "benefit_administration", &e), "%s", e.detail);
    struct ei_bank b = {0};
    snprintf(b.holder, sizeof b.holder, "김민준");
    cr_assert_eq(ei_bank_check(&c, "01900000-0000-7000-8000-000000000000", &b), OP_NOT_FOUND);
    cr_assert_not(b.confirmed);
    ctx_release(&c);
}
