/* seed.c - deterministic synthetic vacancies (demos, benchmarks, cross-backend tests).
 *
 * vacancy_seed(c, n, seed) creates n published vacancies and one verified employer per 25 of them,
 * Korean (about 60 %) and English, across occupations and all Korean regions.  The same seed gives
 * the same rows in the same order (published_at is relative to today's midnight). */
#include <string.h>

#include "base/clock.h"
#include "base/jsonx.h"
#include "jobs/vacancy_int.h"

static uint64_t rnd(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int pick(uint64_t *s, int n) { return (int)(rnd(s) % (uint64_t)n); }

static const struct occ {
    const char *code, *ko, *en, *duty_ko, *duty_en;
    int base; /* monthly pay, 10k KRW */
} occs[] = {
    {"2512", "소프트웨어 개발자", "Software Developer", "웹 서비스 백엔드 개발 및 유지보수", "backend development and maintenance of web services", 420},
    {"2513", "웹 개발자", "Web Developer", "프론트엔드 화면 개발과 사용자 경험 개선", "front-end development and user experience improvements", 380},
    {"2514", "앱 개발자", "Mobile App Developer", "안드로이드 및 iOS 앱 개발", "Android and iOS application development", 400},
    {"2521", "데이터베이스 관리자", "Database Administrator", "데이터베이스 설계 운영 및 백업 관리", "database design, operation and backups", 430},
    {"2522", "시스템 관리자", "Systems Administrator", "서버 및 네트워크 운영 관리", "server and network operations", 390},
    {"2411", "회계사", "Accountant", "재무제표 작성 및 세무 신고 업무", "financial statements and tax filings", 410},
    {"2431", "마케팅 전문가", "Marketing Specialist", "온라인 마케팅 캠페인 기획 및 운영", "planning and running online marketing campaigns", 350},
    {"2221", "간호사", "Registered Nurse", "병동 환자 간호 및 투약 관리", "ward patient care and medication management", 360},
    {"3221", "간호조무사", "Nursing Assistant", "외래 진료 보조 및 환자 안내", "outpatient assistance and patient guidance", 250},
    {"5321", "요양보호사", "Care Worker", "어르신 일상생활 지원 및 신체 활동 보조", "supporting older people in daily living", 230},
    {"5120", "조리사", "Cook", "한식 조리 및 주방 위생 관리", "Korean cuisine cooking and kitchen hygiene", 270},
    {"5131", "홀서빙 직원", "Waiter", "매장 고객 응대 및 서빙", "customer service and table service", 220},
    {"5223", "판매원", "Shop Sales Assistant", "매장 상품 진열 및 판매", "product display and sales in store", 230},
    {"4110", "사무보조원", "Office Clerk", "문서 작성 및 사무 지원 업무", "document preparation and office support", 240},
    {"4222", "고객상담원", "Contact Centre Agent", "전화 및 채팅 고객 상담", "customer support by phone and chat", 250},
    {"8322", "배송 기사", "Delivery Driver", "지역 택배 배송 및 집하", "local parcel delivery and pick-up", 300},
    {"8332", "화물차 운전원", "Truck Driver", "대형 화물 운송", "long-haul freight transport", 340},
    {"7212", "용접공", "Welder", "선박 블록 용접 작업", "welding of ship blocks", 330},
    {"7231", "자동차 정비원", "Car Mechanic", "차량 점검 및 정비", "vehicle inspection and repair", 310},
    {"8211", "생산직 조립원", "Assembly Worker", "전자부품 조립 및 검사", "assembly and inspection of electronic parts", 260},
    {"9112", "청소원", "Cleaner", "사무실 및 건물 청소", "office and building cleaning", 210},
    {"9621", "택배 분류원", "Parcel Sorter", "물류센터 상품 분류 및 상하차", "sorting and loading in a logistics centre", 240},
    {"2330", "고등학교 교사", "Secondary School Teacher", "수학 교과 수업 및 학생 지도", "teaching mathematics and mentoring students", 380},
    {"2352", "학원 강사", "Private Tutor", "초중등 영어 수업", "English lessons for primary and middle school", 280},
    {"3313", "경리 사무원", "Bookkeeper", "전표 처리 및 급여 계산", "vouchers and payroll", 260},
    {"2166", "그래픽 디자이너", "Graphic Designer", "브랜드 디자인 및 홍보물 제작", "brand design and promotional material", 320},
    {"3115", "기계 기술자", "Mechanical Technician", "설비 유지보수 및 도면 작성", "equipment maintenance and drawings", 340},
    {"2144", "기계공학 엔지니어", "Mechanical Engineer", "생산 설비 설계 및 개선", "design and improvement of production equipment", 450},
    {"1221", "영업 관리자", "Sales Manager", "영업팀 관리 및 거래처 관리", "managing the sales team and key accounts", 480},
    {"5414", "경비원", "Security Guard", "아파트 경비 및 순찰", "apartment security and patrols", 220},
};
#define NOCC (int)(sizeof occs / sizeof occs[0])

static const char *const regions[] = {"KR-11", "KR-11", "KR-11", "KR-41", "KR-41", "KR-41", "KR-26", "KR-27", "KR-28",
                                      "KR-29", "KR-30", "KR-31", "KR-50", "KR-51", "KR-43", "KR-44", "KR-52",
                                      "KR-46", "KR-47", "KR-48", "KR-49"};
static const char *const suffix_ko[] = {"채용", "모집", "신입 채용", "경력 채용", "정규직 채용", "구인"};
static const char *const level_en[] = {"", "Junior ", "Senior ", "Lead ", "Assistant ", ""};
static const char *const perks_ko[] = {"4대보험 가입", "주 5일 근무", "중식 제공", "통근버스 운행", "인센티브 지급",
                                       "교육 지원", "연차 보장", "퇴직금 지급"};
static const char *const perks_en[] = {"full social insurance", "five-day week", "lunch provided", "shuttle bus",
                                       "performance bonus", "training budget", "paid annual leave", "severance pay"};
static const char *const names_ko[] = {"한빛", "대한", "새론", "미래", "우리", "푸른", "동해", "서울", "강남", "누리"};
static const char *const names_en[] = {"Solutions", "Logistics", "Foods", "Care", "Tech", "Motors", "Retail", "Systems"};

/* A valid business registration number from 9 random digits. */
static void make_brn(uint64_t *s, char out[13]) {
    int d[10];
    for (int i = 0; i < 9; i++) d[i] = pick(s, 10);
    d[0] = 1 + pick(s, 9);
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    int sum = 0;
    for (int i = 0; i < 9; i++) sum += d[i] * w[i];
    sum += d[8] * 5 / 10;
    d[9] = (10 - sum % 10) % 10;
    snprintf(out, 13, "%d%d%d-%d%d-%d%d%d%d%d", d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]);
}

op_code vacancy_seed(ctx *c, long n, unsigned seed) {
    op_code rc = jobs_ensure(c);
    if (rc) return rc;
    uint64_t s = 0x5EEDULL * 1000003ULL + seed;
    long nemp = n / 25 + 1;
    char (*emp)[ID_LEN] = arena_alloc(c->a, (size_t)nemp * ID_LEN);
    const char **esize = arena_alloc(c->a, (size_t)nemp * sizeof *esize);
    char ts[CLOCK_TS_LEN], today[11];
    clock_now_ts(ts);
    int64_t t0 = date_today();
    date_format(t0, today);
    if ((rc = store_begin(c->db, &c->err))) return rc;
    for (long i = 0; i < nemp && !rc; i++) {
        char brn[13];
        make_brn(&s, brn);
        id_uuid7(emp[i]);
        esize[i] = jobs_sizes[pick(&s, 4)];
        const char *nm = arena_printf(c->a, "%s %s %ld", names_ko[pick(&s, 10)], names_en[pick(&s, 8)], i);
        rc = store_exec(c->db, &c->err, NULL,
                        "INSERT INTO employers (id, brn, name, size_class, region, verified, created_by, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, 1, 'system:seed', ?, ?) ON CONFLICT (brn) DO NOTHING",
                        "sssssss", emp[i], brn, nm, esize[i], regions[pick(&s, 21)], ts, ts);
        if (!rc) { /* a BRN collision keeps the earlier employer */
            store_stmt *st = store_query(c->db, &c->err, "SELECT id FROM employers WHERE brn = ?", "s", brn);
            if (st) {
                snprintf(emp[i], ID_LEN, "%s", store_col_text(st, 0));
                store_reset(st);
            }
        }
    }
    for (long i = 0; i < n && !rc; i++) {
        arena *a = arena_new(8192);
        arena *keep = c->a;
        c->a = a;
        const struct occ *o = &occs[pick(&s, NOCC)];
        bool ko = pick(&s, 10) < 6, part = pick(&s, 10) < 2;
        struct vac v = {0};
        long e = pick(&s, (int)nemp);
        v.employer_id = emp[e];
        v.occupation = o->code;
        v.region = regions[pick(&s, 21)];
        v.title = ko ? arena_printf(a, "%s %s", o->ko, suffix_ko[pick(&s, 6)])
                     : arena_printf(a, "%s%s", level_en[pick(&s, 6)], o->en);
        int p1 = pick(&s, 8), p2 = (p1 + 1 + pick(&s, 7)) % 8;
        v.description = ko ? arena_printf(a, "%s 업무를 담당할 %s을(를) 모집합니다. %s, %s. 성실하고 책임감 있는 분의 많은 지원 바랍니다.",
                                          o->duty_ko, o->ko, perks_ko[p1], perks_ko[p2])
                           : arena_printf(a, "We are hiring a %s for %s. We offer %s and %s. Apply through the portal.",
                                          o->en, o->duty_en, perks_en[p1], perks_en[p2]);
        v.contract = part ? "part_time" : jobs_contracts[pick(&s, 10) < 6 ? 0 : 1 + pick(&s, 5)];
        v.has_hours = true;
        v.hours_per_week = part ? 15 + 5 * pick(&s, 4) : 40;
        v.has_days = true;
        v.days_per_week = part ? 3 : 5;
        v.has_salary_min = v.has_salary_max = true;
        if (part) {
            v.salary_period = "hour";
            v.salary_min = 10320 + 10 * pick(&s, 300);
            v.salary_max = v.salary_min + 500;
        } else {
            v.salary_period = pick(&s, 10) < 8 ? "month" : "year";
            int64_t m = (int64_t)(o->base + pick(&s, 120) - 40) * 10000;
            if (m < 2160000) m = 2160000;
            v.salary_min = strcmp(v.salary_period, "year") == 0 ? m * 12 : m;
            v.salary_max = v.salary_min + v.salary_min / 5;
        }
        v.openings = 1 + pick(&s, 3);
        v.education = jobs_educations[pick(&s, 6)];
        v.experience_years = pick(&s, 6);
        char cd[11];
        date_format(t0 + 1 + pick(&s, 60), cd);
        v.closing_date = cd;
        v.contact = json_pack("{s:s}", "method", "online");
        jx_arena(a, v.contact);
        char id[ID_LEN];
        id_uuid7(id);
        int64_t num = 0;
        rc = jobs_vac_write(c, &v, id, &num, "published", "[]", esize[e]);
        if (!rc) {
            char pub[CLOCK_TS_LEN];
            clock_format_ts((t0 * 86400 - 60 - (int64_t)pick(&s, 60 * 86400)) * 1000000, pub);
            rc = store_exec(c->db, &c->err, NULL, "UPDATE vacancies SET published_at = ?, created_by = 'system:seed' WHERE num = ?",
                            "si", pub, num);
        }
        c->a = keep;
        arena_free(a);
        if (!rc && i % 2000 == 1999) {
            if ((rc = store_commit(c->db, &c->err))) break;
            rc = store_begin(c->db, &c->err);
        }
    }
    if (!rc) rc = store_commit(c->db, &c->err);
    if (rc) store_rollback(c->db);
    return rc;
}
