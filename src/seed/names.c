/* names.c - word lists for the synthetic-data generator (see names.h). */
#include "seed/names.h"

#include <string.h>

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

const struct seed_family seed_families[] = {
    {"김", "kim", 2150}, {"이", "lee", 1470}, {"박", "park", 840}, {"최", "choi", 470},
    {"정", "jung", 430},  {"강", "kang", 240},  {"조", "cho", 210},   {"윤", "yoon", 210},
    {"장", "jang", 200},  {"임", "lim", 170},   {"한", "han", 150},   {"오", "oh", 150},
    {"서", "seo", 150},   {"신", "shin", 150},  {"권", "kwon", 140},  {"황", "hwang", 140},
    {"안", "ahn", 140},   {"송", "song", 130},  {"류", "ryu", 120},   {"전", "jeon", 110},
    {"홍", "hong", 110},  {"고", "ko", 90},     {"문", "moon", 90},   {"양", "yang", 90},
    {"손", "son", 90},    {"배", "bae", 80},    {"백", "baek", 80},   {"허", "heo", 70},
    {"유", "yoo", 70},    {"남", "nam", 60},    {"심", "sim", 50},    {"노", "noh", 50},
    {"하", "ha", 50},     {"곽", "kwak", 40},   {"성", "sung", 40},   {"차", "cha", 40},
    {"주", "joo", 40},    {"우", "woo", 40},    {"구", "koo", 40},    {"민", "min", 30},
    {"진", "jin", 30},    {"나", "na", 30},     {"지", "ji", 30},     {"엄", "eom", 30},
    {"채", "chae", 30},   {"원", "won", 30},    {"천", "cheon", 20},  {"방", "bang", 20},
    {"공", "gong", 20},   {"현", "hyun", 20},
};
const int seed_nfamilies = (int)(sizeof seed_families / sizeof seed_families[0]);

#define G(arr) {arr, (int)(sizeof arr / sizeof arr[0])}

static const struct seed_given m_old[] = {
    {"영수", "youngsoo"}, {"영호", "youngho"},   {"영철", "youngcheol"}, {"정호", "jeongho"},
    {"성호", "sungho"},   {"상철", "sangcheol"}, {"광수", "kwangsoo"},   {"종수", "jongsoo"},
    {"병철", "byungcheol"}, {"재호", "jaeho"},   {"동현", "donghyun"},   {"기철", "kicheol"},
    {"용수", "yongsoo"},  {"만수", "mansoo"},    {"진호", "jinho"},      {"상훈", "sanghoon"},
    {"명수", "myungsoo"}, {"경수", "kyungsoo"},  {"성수", "sungsoo"},    {"순철", "suncheol"},
};
static const struct seed_given m_mid[] = {
    {"지훈", "jihoon"},   {"성민", "sungmin"},   {"현우", "hyunwoo"},    {"준호", "junho"},
    {"민수", "minsoo"},   {"동훈", "donghoon"},  {"상현", "sanghyun"},   {"재현", "jaehyun"},
    {"정훈", "jeonghoon"}, {"영진", "youngjin"}, {"태훈", "taehoon"},    {"승현", "seunghyun"},
    {"준영", "junyoung"}, {"민호", "minho"},     {"성진", "sungjin"},    {"진우", "jinwoo"},
    {"우진", "woojin"},   {"현준", "hyunjun"},   {"재원", "jaewon"},     {"상우", "sangwoo"},
};
static const struct seed_given m_young[] = {
    {"민준", "minjun"}, {"서준", "seojun"},   {"도윤", "doyoon"},  {"예준", "yejun"},
    {"시우", "siwoo"},  {"하준", "hajun"},    {"지호", "jiho"},    {"주원", "juwon"},
    {"지후", "jihoo"},  {"준우", "junwoo"},   {"준서", "junseo"},  {"건우", "gunwoo"},
    {"현준", "hyunjun"}, {"우진", "woojin"},  {"선우", "sunwoo"},  {"서진", "seojin"},
    {"민재", "minjae"}, {"유준", "yujun"},    {"연우", "yeonwoo"}, {"은우", "eunwoo"},
};
static const struct seed_given f_old[] = {
    {"영숙", "youngsook"}, {"정숙", "jeongsook"}, {"영희", "younghee"}, {"순자", "soonja"},
    {"미경", "mikyung"},   {"경희", "kyunghee"},  {"은영", "eunyoung"}, {"미숙", "misook"},
    {"정희", "jeonghee"},  {"명숙", "myungsook"}, {"옥순", "oksoon"},   {"혜숙", "hyesook"},
    {"영미", "youngmi"},   {"숙자", "sookja"},    {"미영", "miyoung"},  {"경숙", "kyungsook"},
    {"선희", "sunhee"},    {"현숙", "hyunsook"},  {"순희", "soonhee"},  {"영순", "youngsoon"},
};
static const struct seed_given f_mid[] = {
    {"지영", "jiyoung"}, {"수진", "sujin"},    {"지은", "jieun"},   {"혜진", "hyejin"},
    {"은지", "eunji"},   {"미영", "miyoung"},  {"현정", "hyunjeong"}, {"은정", "eunjeong"},
    {"지혜", "jihye"},   {"수연", "sooyeon"},  {"민정", "minjeong"}, {"유진", "yujin"},
    {"소연", "soyeon"},  {"혜원", "hyewon"},   {"지현", "jihyun"},  {"은비", "eunbi"},
    {"민지", "minji"},   {"하나", "hana"},     {"선영", "sunyoung"}, {"보람", "boram"},
};
static const struct seed_given f_young[] = {
    {"서연", "seoyeon"}, {"서윤", "seoyoon"}, {"지우", "jiwoo"},   {"서현", "seohyun"},
    {"민서", "minseo"},  {"하은", "haeun"},   {"하윤", "hayoon"},  {"윤서", "yoonseo"},
    {"지유", "jiyu"},    {"지민", "jimin"},   {"채원", "chaewon"}, {"수아", "sua"},
    {"지아", "jia"},     {"예은", "yeeun"},   {"다은", "daeun"},   {"은서", "eunseo"},
    {"예린", "yerin"},   {"수빈", "subin"},   {"소율", "soyul"},   {"지안", "jian"},
};
const struct seed_given_list seed_given_male[3] = {G(m_old), G(m_mid), G(m_young)};
const struct seed_given_list seed_given_female[3] = {G(f_old), G(f_mid), G(f_young)};

/* Weights roughly follow the largest groups of registered foreign workers and residents. */
const struct seed_foreign seed_foreigners[] = {
    {"CN", 30, L("Wei", "Jun", "Hao", "Lei", "Tao", "Ming"), L("Li", "Mei", "Xiu", "Yan", "Ling", "Fang"),
     L("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang")},
    {"VN", 25, L("Van Anh", "Minh", "Duc", "Quang", "Tuan", "Hung"), L("Thi Lan", "Thi Hoa", "Thi Mai", "Ngoc Anh", "Thu Trang"),
     L("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu")},
    {"UZ", 8, L("Aziz", "Bekzod", "Jasur", "Sardor", "Timur"), L("Dilnoza", "Malika", "Nodira", "Zarina"),
     L("Karimov", "Rakhimov", "Yusupov", "Tursunov")},
    {"PH", 8, L("Jose", "Mark", "John Paul", "Ramon"), L("Maria", "Angelica", "Kristine", "Joy"),
     L("Santos", "Reyes", "Cruz", "Bautista", "Garcia")},
    {"NP", 6, L("Ram", "Bikash", "Suman", "Prakash"), L("Sita", "Anita", "Sunita", "Puja"),
     L("Thapa", "Gurung", "Shrestha", "Tamang", "Rai")},
    {"ID", 5, L("Agus", "Budi", "Dedi", "Rizky"), L("Siti", "Dewi", "Putri", "Ayu"),
     L("Santoso", "Wijaya", "Saputra", "Hidayat")},
    {"TH", 5, L("Somchai", "Anan", "Kittisak"), L("Siriporn", "Nattaya", "Malee"),
     L("Srisuk", "Chaiyaporn", "Wongsakul")},
    {"US", 5, L("James", "Michael", "David", "Daniel", "Ryan"), L("Emily", "Sarah", "Jessica", "Ashley"),
     L("Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson")},
    {"GB", 3, L("Oliver", "Thomas", "Harry", "George"), L("Emma", "Olivia", "Charlotte", "Sophie"),
     L("Taylor", "Wilson", "Evans", "Thomas", "Roberts")},
    {"CA", 2, L("Liam", "Noah", "Ethan"), L("Chloe", "Hannah", "Madison"), L("Martin", "Tremblay", "Clark")},
    {"MN", 3, L("Bat-Erdene", "Ganbaatar", "Temuulen"), L("Oyunchimeg", "Solongo", "Enkhjin"),
     L("Batbayar", "Dorj", "Erdenebat")},
};
const int seed_nforeigners = (int)(sizeof seed_foreigners / sizeof seed_foreigners[0]);

const struct seed_region seed_regions[] = {
    {"KR-11", "서울특별시", "Seoul", 1000, 8999,
     L("강남구 테헤란로", "강남구 역삼로", "마포구 월드컵북로", "송파구 올림픽로", "관악구 관악로", "노원구 동일로",
       "영등포구 여의대로", "종로구 세종대로", "서대문구 연세로", "은평구 통일로", "강서구 공항대로", "성동구 왕십리로")},
    {"KR-26", "부산광역시", "Busan", 46000, 49999,
     L("해운대구 해운대로", "부산진구 중앙대로", "동래구 충렬대로", "남구 수영로", "사하구 낙동대로", "북구 금곡대로")},
    {"KR-27", "대구광역시", "Daegu", 41000, 43999, L("중구 달구벌대로", "수성구 동대구로", "달서구 월배로", "북구 칠곡중앙대로")},
    {"KR-28", "인천광역시", "Incheon", 21000, 23999,
     L("남동구 인주대로", "연수구 컨벤시아대로", "부평구 부평대로", "서구 서곶로", "미추홀구 인하로")},
    {"KR-29", "광주광역시", "Gwangju", 61000, 62999, L("서구 상무대로", "북구 용봉로", "광산구 첨단중앙로")},
    {"KR-30", "대전광역시", "Daejeon", 34000, 35999, L("유성구 대학로", "서구 둔산로", "중구 중앙로", "대덕구 한밭대로")},
    {"KR-31", "울산광역시", "Ulsan", 44000, 45999, L("남구 삼산로", "동구 방어진순환도로", "북구 산업로")},
    {"KR-41", "경기도", "Gyeonggi-do", 10000, 18999,
     L("수원시 팔달구 효원로", "성남시 분당구 판교역로", "고양시 일산동구 중앙로", "용인시 수지구 포은대로", "부천시 길주로",
       "안산시 단원구 광덕대로")},
    {"KR-43", "충청북도", "Chungcheongbuk-do", 27000, 29999, L("청주시 상당구 상당로", "충주시 충열로")},
    {"KR-44", "충청남도", "Chungcheongnam-do", 31000, 33999, L("천안시 동남구 충절로", "아산시 번영로")},
    {"KR-47", "경상북도", "Gyeongsangbuk-do", 36000, 40999, L("포항시 남구 포스코대로", "구미시 구미대로")},
    {"KR-48", "경상남도", "Gyeongsangnam-do", 50000, 53999, L("창원시 성산구 중앙대로", "김해시 김해대로")},
    {"KR-50", "세종특별자치시", "Sejong", 30000, 30199, L("한누리대로", "도움5로")},
};
const int seed_nregions = (int)(sizeof seed_regions / sizeof seed_regions[0]);

const struct seed_region *seed_region_find(const char *code) {
    for (int i = 0; i < seed_nregions; i++)
        if (strcmp(seed_regions[i].code, code) == 0) return &seed_regions[i];
    return NULL;
}

const char *const seed_edu_names[EDU__COUNT] = {
    "none", "primary", "lower_secondary", "upper_secondary", "post_secondary",
    "short_tertiary", "bachelor", "master", "doctorate",
};

const char *const *const seed_employers[SEC__COUNT] = {
    [SEC_IT] = L("네이버", "카카오", "삼성SDS", "LG CNS", "(주)한빛소프트", "(주)누리정보기술", "쿠팡", "(주)데이터온"),
    [SEC_OFFICE] = L("신한은행", "KB국민은행", "(주)대성산업", "한국전력공사", "(주)서진회계법인", "현대해상", "(주)미래물산"),
    [SEC_RETAIL] = L("이마트", "롯데마트", "홈플러스", "GS리테일", "CU 편의점", "다이소", "올리브영"),
    [SEC_FOOD] = L("CJ푸드빌", "(주)한솥", "본죽", "파리바게뜨", "(주)아워홈", "신세계푸드", "동네식당"),
    [SEC_CARE] = L("행복요양원", "(사)사랑의집", "한마음재가복지센터", "서울시립노인요양센터", "늘푸른데이케어센터"),
    [SEC_HEALTH] = L("서울대학교병원", "세브란스병원", "부산대학교병원", "한림대학교성심병원", "365열린의원"),
    [SEC_EDUCATION] = L("서울특별시교육청", "부산광역시교육청", "대성학원", "(주)웅진씽크빅", "한국폴리텍대학"),
    [SEC_MANUFACTURING] = L("현대자동차", "삼성전자", "LG전자", "SK하이닉스", "포스코", "(주)대원정밀", "(주)한일금속",
                            "현대중공업"),
    [SEC_LOGISTICS] = L("CJ대한통운", "한진택배", "롯데글로벌로지스", "쿠팡로지스틱스", "(주)동방", "우체국물류지원단"),
    [SEC_CONSTRUCTION] = L("현대건설", "대우건설", "GS건설", "(주)삼호종합건설", "한국토지주택공사"),
    [SEC_AGRICULTURE] = L("해남농협", "(농)푸른들영농조합", "제주감귤농원", "상주곶감영농조합"),
    [SEC_SERVICES] = L("에스원", "(주)KT텔레캅", "(주)한국미화", "블루클럽", "롯데호텔", "(주)국제빌딩관리"),
};

/* ISCO-08 unit groups present in data/isco08.csv. */
const struct seed_occupation seed_occupations[] = {
    {"2512", "소프트웨어 개발자", "Software developer", 40, EDU_SHORT_TERTIARY, EDU_MASTER, SEC_IT, 4000000,
     L("Java", "Python", "SQL", "Spring", "React", "Git", "Linux", "C"), L("컴퓨터공학", "소프트웨어공학", "정보통신공학"),
     L("정보처리기사|한국산업인력공단", "SQLD|한국데이터산업진흥원", "리눅스마스터 2급|한국정보통신진흥협회")},
    {"2514", "응용 프로그래머", "Applications programmer", 15, EDU_SHORT_TERTIARY, EDU_BACHELOR, SEC_IT, 3500000,
     L("JavaScript", "TypeScript", "Kotlin", "Android", "iOS", "PHP", "SQL"), L("컴퓨터공학", "정보통신공학", "산업공학"),
     L("정보처리기사|한국산업인력공단", "정보처리산업기사|한국산업인력공단")},
    {"3512", "IT 지원 기술자", "ICT user support technician", 15, EDU_UPPER_SECONDARY, EDU_BACHELOR, SEC_IT, 2800000,
     L("PC 정비", "네트워크 설정", "Windows 서버", "고객 응대", "헬프데스크"), L("정보통신공학", "전자공학"),
     L("네트워크관리사 2급|한국정보통신자격협회", "PC정비사 2급|한국정보통신자격협회")},
    {"2411", "회계사", "Accountant", 12, EDU_BACHELOR, EDU_MASTER, SEC_OFFICE, 4200000,
     L("재무회계", "세무신고", "ERP", "Excel", "원가관리"), L("회계학", "경영학", "세무학"),
     L("공인회계사|금융위원회", "세무사|국세청", "재경관리사|삼일회계법인")},
    {"4311", "회계 사무원", "Bookkeeping clerk", 25, EDU_UPPER_SECONDARY, EDU_BACHELOR, SEC_OFFICE, 2600000,
     L("전표 처리", "더존 ERP", "Excel", "급여 관리", "부가세 신고"), L("회계학", "경영학", "세무회계"),
     L("전산회계 1급|한국세무사회", "FAT 1급|한국공인회계사회", "전산세무 2급|한국세무사회")},
    {"4110", "일반 사무원", "General office clerk", 60, EDU_UPPER_SECONDARY, EDU_BACHELOR, SEC_OFFICE, 2500000,
     L("문서 작성", "Excel", "PowerPoint", "고객 응대", "일정 관리", "한글(HWP)"), L("경영학", "행정학", "국어국문학", "영어영문학"),
     L("컴퓨터활용능력 1급|대한상공회의소", "워드프로세서|대한상공회의소", "비서 2급|대한상공회의소")},
    {"4222", "고객 상담원", "Contact centre agent", 25, EDU_UPPER_SECONDARY, EDU_BACHELOR, SEC_SERVICES, 2400000,
     L("전화 상담", "고객 응대", "CRM", "민원 처리", "타자 300타"), L("경영학", "관광경영학"),
     L("CS Leaders 관리사|한국정보평가협회", "텔레마케팅관리사|한국산업인력공단")},
    {"5223", "판매원", "Shop sales assistant", 50, EDU_LOWER_SECONDARY, EDU_SHORT_TERTIARY, SEC_RETAIL, 2200000,
     L("판매", "진열", "POS", "재고 관리", "고객 응대"), L("유통경영", "경영학"),
     L("유통관리사 2급|대한상공회의소")},
    {"5120", "조리사", "Cook", 30, EDU_LOWER_SECONDARY, EDU_SHORT_TERTIARY, SEC_FOOD, 2600000,
     L("한식 조리", "양식 조리", "식재료 관리", "위생 관리", "단체 급식"), L("조리과학", "외식조리"),
     L("한식조리기능사|한국산업인력공단", "양식조리기능사|한국산업인력공단", "조리산업기사|한국산업인력공단")},
    {"5131", "음식 서비스 종사원", "Waiter", 25, EDU_LOWER_SECONDARY, EDU_SHORT_TERTIARY, SEC_FOOD, 2200000,
     L("서빙", "주문 응대", "POS", "매장 청결 관리"), L("호텔경영", "관광경영학"), L("바리스타 2급|한국커피협회")},
    {"7512", "제빵원", "Baker", 8, EDU_UPPER_SECONDARY, EDU_SHORT_TERTIARY, SEC_FOOD, 2400000,
     L("제빵", "제과", "반죽", "오븐 관리"), L("제과제빵"), L("제빵기능사|한국산업인력공단", "제과기능사|한국산업인력공단")},
    {"5321", "요양보호사", "Care worker", 40, EDU_LOWER_SECONDARY, EDU_SHORT_TERTIARY, SEC_CARE, 2300000,
     L("신체 활동 지원", "가사 지원", "치매 돌봄", "이동 보조", "투약 보조"), L("사회복지학", "노인복지"),
     L("요양보호사|보건복지부")},
    {"2221", "간호사", "Nurse", 20, EDU_SHORT_TERTIARY, EDU_MASTER, SEC_HEALTH, 3600000,
     L("환자 간호", "투약 관리", "EMR", "활력징후 측정", "응급 처치"), L("간호학"),
     L("간호사 면허|보건복지부", "BLS Provider|대한심폐소생협회")},
    {"2635", "사회복지사", "Social worker", 15, EDU_SHORT_TERTIARY, EDU_MASTER, SEC_CARE, 2700000,
     L("사례 관리", "상담", "프로그램 기획", "자원 연계", "행정 처리"), L("사회복지학", "청소년학", "상담심리학"),
     L("사회복지사 2급|보건복지부", "사회복지사 1급|한국산업인력공단", "청소년상담사 3급|여성가족부")},
    {"2341", "초등학교 교사", "Primary school teacher", 5, EDU_BACHELOR, EDU_MASTER, SEC_EDUCATION, 3300000,
     L("수업 설계", "학급 운영", "학부모 상담", "에듀테크"), L("초등교육"), L("초등학교 정교사 2급|교육부")},
    {"2330", "중등학교 교사", "Secondary school teacher", 6, EDU_BACHELOR, EDU_MASTER, SEC_EDUCATION, 3400000,
     L("교과 지도", "진로 상담", "평가 설계", "방과후 수업"), L("수학교육", "영어교육", "국어교육", "과학교육"),
     L("중등학교 정교사 2급|교육부")},
    {"7231", "자동차 정비원", "Motor vehicle mechanic", 15, EDU_UPPER_SECONDARY, EDU_SHORT_TERTIARY, SEC_MANUFACTURING,
     2900000, L("엔진 정비", "전기차 진단", "판금", "차량 점검"), L("자동차공학", "기계공학"),
     L("자동차정비기능사|한국산업인력공단", "자동차정비산업기사|한국산업인력공단")},
    {"7411", "전기공", "Electrician", 15, EDU_UPPER_SECONDARY, EDU_SHORT_TERTIARY, SEC_CONSTRUCTION, 3200000,
     L("전기 배선", "수배전반", "PLC", "전기 안전 점검"), L("전기공학"),
     L("전기기능사|한국산업인력공단", "전기산업기사|한국산업인력공단", "전기기사|한국산업인력공단")},
    {"7212", "용접원", "Welder", 12, EDU_LOWER_SECONDARY, EDU_SHORT_TERTIARY, SEC_MANUFACTURING, 3300000,
     L("CO2 용접", "TIG 용접", "아크 용접", "도면 해독"), L("기계공학", "조선공학"),
     L("용접기능사|한국산업인력공단", "특수용접기능사|한국산업인력공단")},
    {"8322", "승용차 운전원", "Car driver", 10, EDU_LOWER_SECONDARY, EDU_UPPER_SECONDARY, SEC_LOGISTICS, 2600000,
     L("안전 운전", "차량 관리", "경로 안내"), L("물류학"), L("1종 보통 운전면허|경찰청")},
    {"8332", "화물차 운전원", "Truck driver", 15, EDU_LOWER_SECONDARY, EDU_UPPER_SECONDARY, SEC_LOGISTICS, 3300000,
     L("대형 화물 운송", "운행 일지", "적재 관리", "안전 운전"), L("물류학"),
     L("1종 대형 운전면허|경찰청", "화물운송종사자격|한국교통안전공단")},
    {"8344", "지게차 운전원", "Forklift operator", 15, EDU_LOWER_SECONDARY, EDU_UPPER_SECONDARY, SEC_LOGISTICS, 2700000,
     L("지게차 운전", "상하차", "창고 관리", "안전 수칙"), L("물류학"), L("지게차운전기능사|한국산업인력공단")},
    {"4321", "재고 관리원", "Stock clerk", 12, EDU_UPPER_SECONDARY, EDU_BACHELOR, SEC_LOGISTICS, 2500000,
     L("입출고 관리", "WMS", "바코드 스캐너", "Excel"), L("물류학", "유통경영"), L("물류관리사|한국산업인력공단")},
    {"9621", "택배 배송원", "Parcel deliverer", 15, EDU_LOWER_SECONDARY, EDU_UPPER_SECONDARY, SEC_LOGISTICS, 2800000,
     L("배송", "상하차", "배송 앱", "고객 응대"), L("물류학"), L("1종 보통 운전면허|경찰청")},
    {"9329", "제조 단순 종사원", "Manufacturing labourer", 40, EDU_PRIMARY, EDU_UPPER_SECONDARY, SEC_MANUFACTURING,
     2200000, L("생산 라인 작업", "포장", "검수", "교대 근무"), L("기계공학"), L("위험물기능사|한국산업인력공단")},
    {"8219", "조립원", "Assembler", 20, EDU_LOWER_SECONDARY, EDU_UPPER_SECONDARY, SEC_MANUFACTURING, 2400000,
     L("부품 조립", "전자 부품 납땜", "품질 검사", "공구 사용"), L("전자공학", "기계공학"), L("전자기기기능사|한국산업인력공단")},
    {"3115", "기계 기술자", "Mechanical engineering technician", 10, EDU_UPPER_SECONDARY, EDU_BACHELOR,
     SEC_MANUFACTURING, 3100000, L("CAD", "CNC 가공", "설비 유지보수", "도면 작성"), L("기계공학", "기계설계"),
     L("컴퓨터응용가공산업기사|한국산업인력공단", "기계설계산업기사|한국산업인력공단")},
    {"2144", "기계 엔지니어", "Mechanical engineer", 8, EDU_BACHELOR, EDU_DOCTORATE, SEC_MANUFACTURING,
     4300000, L("CATIA", "유한요소해석", "설계 검토", "품질 관리"), L("기계공학", "항공우주공학"),
     L("일반기계기사|한국산업인력공단")},
    {"2142", "토목 기술자", "Civil engineer", 6, EDU_BACHELOR, EDU_MASTER, SEC_CONSTRUCTION, 4000000,
     L("AutoCAD", "구조 설계", "공정 관리", "측량"), L("토목공학", "건설환경공학"), L("토목기사|한국산업인력공단")},
    {"2431", "마케팅 전문가", "Marketing professional", 12, EDU_BACHELOR, EDU_MASTER, SEC_OFFICE, 3600000,
     L("디지털 마케팅", "SNS 운영", "Google Analytics", "콘텐츠 기획", "시장 조사"), L("경영학", "광고홍보학", "통계학"),
     L("사회조사분석사 2급|한국산업인력공단", "GAIQ|Google")},
    {"2166", "시각 디자이너", "Graphic designer", 10, EDU_SHORT_TERTIARY, EDU_BACHELOR, SEC_IT, 3000000,
     L("Photoshop", "Illustrator", "Figma", "UI 디자인", "영상 편집"), L("시각디자인", "산업디자인"),
     L("컬러리스트기사|한국산업인력공단", "GTQ 1급|한국생산성본부")},
    {"3322", "영업원", "Sales representative", 20, EDU_UPPER_SECONDARY, EDU_BACHELOR, SEC_OFFICE, 3000000,
     L("B2B 영업", "거래처 관리", "견적 작성", "협상"), L("경영학", "무역학"), L("무역영어 2급|대한상공회의소")},
    {"1221", "영업 관리자", "Sales manager", 5, EDU_BACHELOR, EDU_MASTER, SEC_OFFICE, 5000000,
     L("영업 전략", "팀 관리", "예산 관리", "성과 관리"), L("경영학", "경제학"), L("경영지도사|한국산업인력공단")},
    {"5414", "경비원", "Security guard", 20, EDU_PRIMARY, EDU_UPPER_SECONDARY, SEC_SERVICES, 2200000,
     L("출입 관리", "순찰", "CCTV 모니터링", "시설 점검"), L("경찰행정학"), L("일반경비원 신임교육|경찰청")},
    {"9112", "청소원", "Cleaner", 25, EDU_NONE, EDU_UPPER_SECONDARY, SEC_SERVICES, 2100000,
     L("건물 청소", "분리 배출", "소독", "세탁"), L("사회복지학"), L("방역관리사|한국방역협회")},
    {"5141", "미용사", "Hairdresser", 8, EDU_UPPER_SECONDARY, EDU_SHORT_TERTIARY, SEC_SERVICES, 2500000,
     L("커트", "염색", "펌", "두피 관리"), L("뷰티디자인", "미용학"), L("미용사(일반)|한국산업인력공단")},
    {"9412", "주방 보조원", "Kitchen helper", 20, EDU_NONE, EDU_UPPER_SECONDARY, SEC_FOOD, 2100000,
     L("식재료 손질", "설거지", "주방 정리"), L("조리과학"), L("한식조리기능사|한국산업인력공단")},
    {"6111", "작물 재배자", "Crop grower", 6, EDU_NONE, EDU_UPPER_SECONDARY, SEC_AGRICULTURE, 2200000,
     L("작물 재배", "농기계 운전", "시설 하우스 관리", "수확"), L("농학", "원예학"),
     L("유기농업기능사|한국산업인력공단", "농기계운전기능사|한국산업인력공단")},
};
const int seed_noccupations = (int)(sizeof seed_occupations / sizeof seed_occupations[0]);

const char *const seed_general_skills[] = {
    "Excel", "운전", "영어 회화", "중국어 회화", "일본어", "컴퓨터 활용", "팀워크", "고객 응대", NULL,
};
const char *const seed_general_quals[] = {
    "1종 보통 운전면허|경찰청", "2종 보통 운전면허|경찰청", "컴퓨터활용능력 2급|대한상공회의소",
    "TOEIC 800|한국토익위원회", "한국사능력검정 2급|국사편찬위원회", NULL,
};
