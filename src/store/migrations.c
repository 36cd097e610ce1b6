/* migrations.c - numbered schema migrations, applied in order inside one transaction each.
 *
 * SQL here is portable (see store.h); the token @AUTOID@ becomes the backend's auto-increment
 * primary key.  Never edit a migration that has shipped: add a new one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "store/store.h"
#include "store/store_int.h"

struct migration {
    int version;
    const char *name;
    const char *sql; /* portable SQL, run in one transaction */
};

/* Migrations that differ by backend: PostgreSQL's own text instead of sql, and/or SQLite's own
 * step instead of sql (it checks and records its version itself). */
static const struct variant {
    int version;
    const char *sql_pg;
    op_code (*sqlite_fn)(store *s, int version, const char *name, op_err *e);
} variants[] = {
    {7, "ALTER TABLE audit_log ADD COLUMN record_id TEXT; CREATE UNIQUE INDEX audit_record ON audit_log(record_id) WHERE record_id IS NOT NULL;",
     sq_move_audit},
};

static const struct variant *variant_of(int version) {
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (variants[i].version == version) return &variants[i];
    return NULL;
}

static const struct migration migrations[] = {
    {1, "core: offices, accounts, sessions, partner clients",
     "CREATE TABLE offices ("
     "  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_ko TEXT,"
     "  kind TEXT NOT NULL CHECK (kind IN ('job_centre','welfare_office','ministry')),"
     "  region_code TEXT NOT NULL, created_at TEXT NOT NULL);"
     "CREATE TABLE accounts ("
     "  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('citizen','employer','staff')),"
     "  role TEXT CHECK (role IS NULL OR role IN ('counsellor','welfare_officer','supervisor','analyst','admin','auditor')),"
     "  office_id TEXT REFERENCES offices(id), person_id TEXT, employer_id TEXT,"
     "  display_name TEXT NOT NULL, locale TEXT NOT NULL DEFAULT 'ko',"
     "  disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
     "  CHECK ((kind = 'staff') = (role IS NOT NULL AND office_id IS NOT NULL)));"
     "CREATE INDEX accounts_person ON accounts(person_id);"
     "CREATE TABLE sessions ("
     "  token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id),"
     "  kind TEXT NOT NULL CHECK (kind IN ('cookie','bearer')), csrf_token TEXT,"
     "  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT);"
     "CREATE INDEX sessions_account ON sessions(account_id);"
     "CREATE TABLE clients ("
     "  id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL,"
     "  disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);"
     "CREATE TABLE client_tokens ("
     "  token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id),"
     "  scopes TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);"},

    {2, "persons, job-seeker registrations, case teams",
     "CREATE TABLE persons ("
     "  id TEXT PRIMARY KEY, nid_hash TEXT UNIQUE, nid_enc TEXT, nid_country TEXT,"
     "  given_name TEXT NOT NULL, family_name TEXT NOT NULL, name_key TEXT NOT NULL,"
     "  birth_date TEXT, sex TEXT, nationality TEXT, email TEXT, phone TEXT,"
     "  address_line TEXT, postal_code TEXT, region_code TEXT,"
     "  education_level TEXT, education_major TEXT, disability INTEGER NOT NULL DEFAULT 0,"
     "  profile TEXT NOT NULL DEFAULT '{}', version INTEGER NOT NULL DEFAULT 1,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX persons_name ON persons(name_key, birth_date);"
     "CREATE INDEX persons_region ON persons(region_code);"
     "CREATE TABLE jobseeker_registrations ("
     "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id),"
     "  status TEXT NOT NULL CHECK (status IN ('active','suspended','placed','closed')),"
     "  office_id TEXT NOT NULL REFERENCES offices(id), counsellor_id TEXT REFERENCES accounts(id),"
     "  registered_on TEXT NOT NULL, due_date TEXT, claim_id TEXT, status_reason TEXT,"
     "  version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX jsr_one_open ON jobseeker_registrations(person_id)"
     "  WHERE status IN ('active','suspended');"
     "CREATE INDEX jsr_office ON jobseeker_registrations(office_id, status);"
     "CREATE INDEX jsr_counsellor ON jobseeker_registrations(counsellor_id);"
     "CREATE TABLE case_members ("
     "  person_id TEXT NOT NULL REFERENCES persons(id), account_id TEXT NOT NULL REFERENCES accounts(id),"
     "  role TEXT NOT NULL, since TEXT NOT NULL, until_ts TEXT,"
     "  PRIMARY KEY (person_id, account_id));"
     "CREATE INDEX case_members_account ON case_members(account_id);"},

    {3, "audit log (hash chain), events outbox, idempotency keys",
     "CREATE TABLE audit_log ("
     "  seq BIGINT PRIMARY KEY, ts TEXT NOT NULL,"
     "  actor_type TEXT NOT NULL, actor_id TEXT, actor_role TEXT, actor_office TEXT, actor_region TEXT,"
     "  action TEXT NOT NULL CHECK (action IN ('CREATE','READ','UPDATE','DELETE','SEARCH')),"
     "  resource_type TEXT NOT NULL, resource_id TEXT, person_id TEXT,"
     "  purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, outcome TEXT NOT NULL,"
     "  correlation_id TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
     "CREATE INDEX audit_person ON audit_log(person_id, seq);"
     "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);"
     "INSERT INTO audit_head (id, seq, hash) VALUES "
     "  (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');"
     "CREATE TABLE events ("
     "  id @AUTOID@, type TEXT NOT NULL, subject TEXT NOT NULL, payload TEXT NOT NULL,"
     "  created_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending'"
     "    CHECK (status IN ('pending','done','dead')),"
     "  attempts INTEGER NOT NULL DEFAULT 0, available_at TEXT NOT NULL,"
     "  lease_owner TEXT, lease_until TEXT, processed_at TEXT, last_error TEXT);"
     "CREATE INDEX events_pending ON events(status, available_at);"
     "CREATE INDEX events_subject ON events(subject, id);"
     "CREATE TABLE idempotency_keys ("
     "  actor_id TEXT NOT NULL, idem_key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,"
     "  request_hash TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,"
     "  created_at TEXT NOT NULL, PRIMARY KEY (actor_id, idem_key));"},

    {4, "auth: client token housekeeping index",
     "CREATE INDEX client_tokens_client ON client_tokens(client_id, expires_at);"},

    {5, "index job-seeker registrations by person (the partial unique index serves only open ones)",
     "CREATE INDEX jsr_person ON jobseeker_registrations(person_id, created_at);"},

    {6, "audit: records of writes wait in audit_pending (same transaction as the data) for the chain",
     "CREATE TABLE audit_pending ("
     "  id @AUTOID@, record_id TEXT NOT NULL UNIQUE, ts TEXT NOT NULL,"
     "  actor_type TEXT NOT NULL, actor_id TEXT, actor_role TEXT, actor_office TEXT, actor_region TEXT,"
     "  action TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT, person_id TEXT,"
     "  purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, outcome TEXT NOT NULL,"
     "  correlation_id TEXT, detail TEXT);"},

    {7, "audit: the chain records which pending record it took (SQLite: the log moves to <db>.audit)",
     NULL /* per backend: see variants */},

    {8, "auth: failed sign-ins per (name, client address), for throttling",
     "CREATE TABLE auth_failures ("
     "  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at TEXT NOT NULL, last_at TEXT NOT NULL,"
     "  locked_until TEXT);"},

    {20, "jobs: occupations, crosswalks, employers, vacancies, vetting, change feed, title bigrams",
     "CREATE TABLE occupations ("
     "  scheme TEXT NOT NULL, version TEXT NOT NULL, code TEXT NOT NULL, level INTEGER NOT NULL,"
     "  parent TEXT, title_en TEXT, title_ko TEXT, created_at TEXT NOT NULL,"
     "  PRIMARY KEY (scheme, version, code));"
     "CREATE TABLE occupation_crosswalk ("
     "  from_scheme TEXT NOT NULL, from_version TEXT NOT NULL, from_code TEXT NOT NULL,"
     "  to_scheme TEXT NOT NULL, to_version TEXT NOT NULL, to_code TEXT NOT NULL,"
     "  weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 1000),"
     "  PRIMARY KEY (from_scheme, from_version, from_code, to_scheme, to_version, to_code));"
     "CREATE INDEX occupation_crosswalk_to ON occupation_crosswalk(to_scheme, to_version, to_code);"
     "CREATE TABLE employers ("
     "  id TEXT PRIMARY KEY, brn TEXT UNIQUE, name TEXT NOT NULL, name_ko TEXT,"
     "  size_class TEXT NOT NULL CHECK (size_class IN ('micro','small','medium','large')),"
     "  region TEXT, address TEXT, phone TEXT, email TEXT, website TEXT,"
     "  verified INTEGER NOT NULL DEFAULT 0, verified_by TEXT, verified_at TEXT,"
     "  created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE TABLE vacancies ("
     "  num @AUTOID@, id TEXT NOT NULL UNIQUE, employer_id TEXT NOT NULL REFERENCES employers(id),"
     "  status TEXT NOT NULL CHECK (status IN ('submitted','held','rejected','published','closed')),"
     "  reasons TEXT NOT NULL DEFAULT '[]', title TEXT NOT NULL, title_norm TEXT NOT NULL, title_key TEXT NOT NULL,"
     "  description TEXT NOT NULL, occupation TEXT NOT NULL, occ1 TEXT NOT NULL, occ2 TEXT NOT NULL, occ3 TEXT NOT NULL,"
     "  region TEXT NOT NULL, address TEXT, salary_min BIGINT, salary_max BIGINT, salary_period TEXT,"
     "  salary_month_min BIGINT, salary_month_max BIGINT, hours_per_week INTEGER, days_per_week INTEGER,"
     "  contract TEXT NOT NULL, openings INTEGER NOT NULL DEFAULT 1, filled INTEGER NOT NULL DEFAULT 0,"
     "  education TEXT NOT NULL DEFAULT 'none', education_rank INTEGER NOT NULL DEFAULT 0,"
     "  experience_years INTEGER NOT NULL DEFAULT 0, skills TEXT NOT NULL DEFAULT '[]',"
     "  languages TEXT NOT NULL DEFAULT '[]', closing_date TEXT, contact TEXT, restrictions TEXT,"
     "  employer_size TEXT NOT NULL, source TEXT, source_ref TEXT,"
     "  created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     "  published_at TEXT, closed_at TEXT, closed_reason TEXT, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX vacancies_employer ON vacancies(employer_id, status);"
     "CREATE INDEX vacancies_status ON vacancies(status, created_at);"
     "CREATE INDEX vacancies_dedup ON vacancies(employer_id, title_key, occupation, region);"
     "CREATE INDEX vacancies_pub ON vacancies(published_at, num) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_region ON vacancies(region, published_at) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_occ ON vacancies(occ2, published_at) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_closing ON vacancies(closing_date) WHERE status = 'published';"
     "CREATE UNIQUE INDEX vacancies_source ON vacancies(source, source_ref);"
     "CREATE TABLE vacancy_vetting ("
     "  id @AUTOID@, vacancy_id TEXT NOT NULL, at TEXT NOT NULL, actor_type TEXT NOT NULL, actor_id TEXT NOT NULL,"
     "  outcome TEXT NOT NULL, reasons TEXT NOT NULL, note TEXT);"
     "CREATE INDEX vacancy_vetting_vacancy ON vacancy_vetting(vacancy_id, id);"
     "CREATE TABLE vacancy_changes ("
     "  seq @AUTOID@, vacancy_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('published','changed','closed')),"
     "  at TEXT NOT NULL);"
     "CREATE INDEX vacancy_changes_at ON vacancy_changes(at, seq);"
     "CREATE TABLE vacancy_bigrams (gram TEXT NOT NULL, num BIGINT NOT NULL, PRIMARY KEY (gram, num));"
     "CREATE INDEX vacancy_bigrams_num ON vacancy_bigrams(num);"},

    {21, "jobs: vetting-queue index instead of (status, created_at), which misled search plans",
     "DROP INDEX vacancies_status;"
     "CREATE INDEX vacancies_queue ON vacancies(updated_at, num) WHERE status = 'held';"},

    {22, "jobs: search indexes in index order (num) for filter-only and salary-sorted queries",
     "CREATE INDEX vacancies_pub_region_num ON vacancies(region, num) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_occ2_num ON vacancies(occ2, num) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_occ2_region_num ON vacancies(occ2, region, num) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_salary ON vacancies(salary_month_max, num) WHERE status = 'published';"
     "CREATE INDEX vacancies_pub_region_salary ON vacancies(region, salary_month_max, num) WHERE status = 'published';"},

    {23, "jobs: applications with their state log, job seekers' visibility to employers, match weights",
     "CREATE TABLE applications ("
     "  id TEXT PRIMARY KEY, vacancy_id TEXT NOT NULL, employer_id TEXT NOT NULL, person_id TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('applied','viewed','interview','offer','hired','rejected','withdrawn')),"
     "  note TEXT, applied_at TEXT NOT NULL, viewed_at TEXT, interview_at TEXT, offer_at TEXT, closed_at TEXT,"
     "  updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX applications_one ON applications(vacancy_id, person_id);"
     "CREATE INDEX applications_person ON applications(person_id, applied_at);"
     "CREATE INDEX applications_employer ON applications(employer_id, person_id);"
     "CREATE TABLE application_events ("
     "  id @AUTOID@, application_id TEXT NOT NULL, at TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL,"
     "  actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, note TEXT);"
     "CREATE INDEX application_events_app ON application_events(application_id, id);"
     "CREATE TABLE jobseeker_visibility ("
     "  person_id TEXT PRIMARY KEY, findable INTEGER NOT NULL DEFAULT 0, fields INTEGER NOT NULL DEFAULT 0,"
     "  updated_at TEXT NOT NULL);"
     "CREATE INDEX jobseeker_visibility_findable ON jobseeker_visibility(findable, person_id);"
     "CREATE TABLE match_weights ("
     "  factor TEXT PRIMARY KEY, weight INTEGER NOT NULL, shown BIGINT NOT NULL DEFAULT 0,"
     "  positive BIGINT NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);"},

    {24, "jobs: findable job seekers by occupation group, the source of candidate lists",
     "CREATE TABLE seeker_occ ("
     "  occ2 TEXT NOT NULL, person_id TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (occ2, person_id));"
     "CREATE INDEX seeker_occ_person ON seeker_occ(person_id);"
     "CREATE INDEX seeker_occ_recent ON seeker_occ(occ2, updated_at);"},

    {30, "employment insurance: insured history, claims, breaks, recognition rounds, activities, payments",
     "CREATE TABLE ei_employment ("
     "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), employer_key TEXT NOT NULL,"
     "  employer_id TEXT, employer_brn TEXT, employer_name TEXT, start_date TEXT NOT NULL, end_date TEXT,"
     "  daily_minutes INTEGER, monthly_wage INTEGER, insurance_type TEXT NOT NULL, source TEXT NOT NULL,"
     "  start_result TEXT, end_result TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     "  UNIQUE (person_id, employer_key, start_date));"
     "CREATE TABLE ei_claims ("
     "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), country TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('active','suspended','rejected','exhausted','closed')),"
     "  separation_date TEXT NOT NULL, separation_reason TEXT NOT NULL, justified_reason TEXT,"
     "  report_date TEXT NOT NULL, eligible INTEGER NOT NULL, daily_amount INTEGER NOT NULL,"
     "  prescribed_days INTEGER NOT NULL, payable_days INTEGER NOT NULL, first_payable_date TEXT,"
     "  benefit_window_end TEXT, days_paid INTEGER NOT NULL DEFAULT 0, claimant_category TEXT NOT NULL,"
     "  decision TEXT NOT NULL, filed_by TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX ei_claims_one_open ON ei_claims(person_id) WHERE status IN ('active','suspended');"
     "CREATE INDEX ei_claims_person ON ei_claims(person_id, created_at);"
     "CREATE TABLE ei_breaks ("
     "  claim_id TEXT NOT NULL REFERENCES ei_claims(id), employment_id TEXT NOT NULL,"
     "  from_date TEXT NOT NULL, to_date TEXT, PRIMARY KEY (claim_id, employment_id));"
     "CREATE TABLE ei_rounds ("
     "  claim_id TEXT NOT NULL REFERENCES ei_claims(id), round INTEGER NOT NULL,"
     "  period_from TEXT NOT NULL, period_to TEXT NOT NULL, recognition_date TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('scheduled','recognized','not_recognized')),"
     "  evaluation TEXT, override_by TEXT, override_reason TEXT, decided_at TEXT,"
     "  PRIMARY KEY (claim_id, round));"
     "CREATE INDEX ei_rounds_due ON ei_rounds(status, recognition_date);"
     "CREATE TABLE ei_activities ("
     "  id TEXT PRIMARY KEY, claim_id TEXT NOT NULL REFERENCES ei_claims(id), day TEXT NOT NULL,"
     "  type TEXT NOT NULL, source TEXT NOT NULL, note TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL);"
     "CREATE INDEX ei_activities_claim ON ei_activities(claim_id, day);"
     "CREATE UNIQUE INDEX ei_activities_platform ON ei_activities(claim_id, day, type) WHERE source = 'platform';"
     "CREATE TABLE ei_payments ("
     "  id TEXT PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE, claim_id TEXT NOT NULL REFERENCES ei_claims(id),"
     "  person_id TEXT NOT NULL, round INTEGER NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL,"
     "  days INTEGER NOT NULL, withheld_days INTEGER NOT NULL, amount INTEGER NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('paid','withheld')), batch_date TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);"
     "CREATE INDEX ei_payments_batch ON ei_payments(batch_date, id);"
     "CREATE INDEX ei_payments_claim ON ei_payments(claim_id, round);"},

    {31, "employment insurance: sanctions with supervisor approval and appeals",
     "CREATE TABLE ei_sanctions ("
     "  id TEXT PRIMARY KEY, claim_id TEXT NOT NULL REFERENCES ei_claims(id), type TEXT NOT NULL, day TEXT NOT NULL,"
     "  reason TEXT NOT NULL, status TEXT NOT NULL"
     "    CHECK (status IN ('proposed','approved','rejected','appealed','upheld','revoked')),"
     "  blocked_days INTEGER NOT NULL, reduction_days INTEGER NOT NULL, evaluation TEXT NOT NULL,"
     "  proposed_by TEXT NOT NULL, decided_by TEXT, decision_reason TEXT, appeal_reason TEXT,"
     "  appeal_decided_by TEXT, appeal_decision_reason TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX ei_sanctions_claim ON ei_sanctions(claim_id, day);"},

    {32, "employment insurance: early re-employment allowances, paid once the new job has lasted the tenure",
     "CREATE TABLE ei_reemploy ("
     "  claim_id TEXT PRIMARY KEY REFERENCES ei_claims(id), person_id TEXT NOT NULL, employment_id TEXT NOT NULL,"
     "  reemployment_date TEXT NOT NULL, due_date TEXT NOT NULL, remaining_days INTEGER NOT NULL,"
     "  amount INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending','paid','lapsed')),"
     "  reason TEXT, payment_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX ei_reemploy_due ON ei_reemploy(status, due_date);"
     "ALTER TABLE ei_payments ADD COLUMN kind TEXT NOT NULL DEFAULT 'benefit';"},

    {33, "employment insurance: recovery orders (overpayment after a late job registration, fraud with levy)",
     "CREATE TABLE ei_recoveries ("
     "  id TEXT PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE, claim_id TEXT NOT NULL REFERENCES ei_claims(id),"
     "  person_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('overpayment','fraud')), sanction_id TEXT,"
     "  from_date TEXT NOT NULL, days INTEGER NOT NULL, amount INTEGER NOT NULL, levy INTEGER NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('open','settled','cancelled')), reason TEXT,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX ei_recoveries_claim ON ei_recoveries(claim_id, created_at);"
     "CREATE INDEX ei_recoveries_sanction ON ei_recoveries(sanction_id);"},

    {40, "dci: partners, their keys, data-sharing agreements, seen message ids, our signing keys",
     "CREATE TABLE dci_partners ("
     "  client_id TEXT PRIMARY KEY REFERENCES clients(id), name TEXT NOT NULL,"
     "  sig_mode TEXT NOT NULL CHECK (sig_mode IN ('required','optional','off')),"
     "  notify_uri TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE TABLE dci_partner_keys ("
     "  client_id TEXT NOT NULL REFERENCES dci_partners(client_id), kid TEXT NOT NULL,"
     "  public_key TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (client_id, kid));"
     "CREATE TABLE dci_agreements ("
     "  id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES dci_partners(client_id),"
     "  purposes TEXT NOT NULL, fields TEXT NOT NULL, attributes TEXT NOT NULL,"
     "  legal_basis TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, created_at TEXT NOT NULL);"
     "CREATE INDEX dci_agreements_client ON dci_agreements(client_id, valid_from);"
     "CREATE TABLE dci_seen_messages ("
     "  sender_id TEXT NOT NULL, message_id TEXT NOT NULL, seen_at TEXT NOT NULL,"
     "  PRIMARY KEY (sender_id, message_id));"
     "CREATE INDEX dci_seen_messages_at ON dci_seen_messages(seen_at);"
     "CREATE TABLE dci_signing_keys ("
     "  kid TEXT PRIMARY KEY, private_enc TEXT NOT NULL, public_key TEXT NOT NULL,"
     "  active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);"},

    {41, "dci: async transactions (search, txn-status) with their callback state",
     "CREATE TABLE dci_transactions ("
     "  correlation_id TEXT PRIMARY KEY, sender_id TEXT NOT NULL, transaction_id TEXT NOT NULL,"
     "  action TEXT NOT NULL, sender_uri TEXT, request TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('rcvd','pdng','succ','rjct')), response TEXT,"
     "  total_count INTEGER NOT NULL DEFAULT 0, completed_count INTEGER NOT NULL DEFAULT 0,"
     "  callback_state TEXT NOT NULL CHECK (callback_state IN ('none','pending','delivered','failed')),"
     "  callback_attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX dci_transactions_sender ON dci_transactions(sender_id, transaction_id, created_at);"},

    {42, "dci: async results paged into several callbacks",
     "ALTER TABLE dci_transactions ADD COLUMN pages TEXT;"
     "ALTER TABLE dci_transactions ADD COLUMN pages_sent INTEGER NOT NULL DEFAULT 0;"},

    {43, "dci: subscriptions (event type, filter, notify URI, frequency); notifications travel as dci_transactions",
     "CREATE TABLE dci_subscriptions ("
     "  num @AUTOID@, code TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL REFERENCES dci_partners(client_id),"
     "  transaction_id TEXT NOT NULL, reference_id TEXT NOT NULL, correlation_id TEXT NOT NULL,"
     "  event_type TEXT NOT NULL CHECK (event_type IN ('employment_started','employment_ended','registration_changed',"
     "    'benefit_status_changed','referral_updated')),"
     "  purpose TEXT NOT NULL, filter_type TEXT NOT NULL, filter TEXT NOT NULL, notify_record_type TEXT NOT NULL,"
     "  frequency TEXT, notify_uri TEXT NOT NULL, locale TEXT,"
     "  status TEXT NOT NULL CHECK (status IN ('subscribe','unsubscribe')),"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX dci_subscriptions_event ON dci_subscriptions(event_type, status);"
     "CREATE INDEX dci_subscriptions_client ON dci_subscriptions(client_id, status, event_type);"},

    {44, "dci client: registries we query (outbound partners, token cache) and our outbound transactions",
     "CREATE TABLE dci_outbound ("
     "  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('social-registry','ibr')),"
     "  base_url TEXT NOT NULL, token_url TEXT NOT NULL, client_id TEXT NOT NULL, secret_enc TEXT NOT NULL,"
     "  receiver_id TEXT NOT NULL, jwks TEXT NOT NULL,"
     "  sig_mode TEXT NOT NULL CHECK (sig_mode IN ('required','optional','off')),"
     "  purposes TEXT NOT NULL, callback_url TEXT, timeout_s INTEGER NOT NULL DEFAULT 10,"
     "  token_enc TEXT, token_expires INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE TABLE dci_outbound_txns ("
     "  num @AUTOID@, transaction_id TEXT NOT NULL UNIQUE, partner_id TEXT NOT NULL REFERENCES dci_outbound(id),"
     "  kind TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('sync','async')), purpose TEXT NOT NULL,"
     "  person_id TEXT, correlation_id TEXT,"
     "  status TEXT NOT NULL CHECK (status IN ('pending','answered','error')),"
     "  result TEXT, error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX dci_outbound_txns_partner ON dci_outbound_txns(partner_id, created_at);"},

    {45, "dci: async requests sent as batch files (multipart FileInfo): the file's name and format",
     "ALTER TABLE dci_transactions ADD COLUMN file_name TEXT;"
     "ALTER TABLE dci_transactions ADD COLUMN file_format TEXT;"},

    {46, "employment insurance: claimants' payout accounts (sealed), payments held while a claim has none",
     "CREATE TABLE ei_bank_accounts ("
     "  claim_id TEXT PRIMARY KEY REFERENCES ei_claims(id), person_id TEXT NOT NULL, bank_code TEXT NOT NULL,"
     "  account_enc TEXT NOT NULL, holder_enc TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,"
     "  updated_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE TABLE ei_payment_holds ("
     "  claim_id TEXT NOT NULL REFERENCES ei_claims(id), round INTEGER NOT NULL, person_id TEXT NOT NULL,"
     "  reason TEXT NOT NULL, days INTEGER NOT NULL, amount INTEGER NOT NULL, held_since TEXT NOT NULL,"
     "  last_batch TEXT NOT NULL, PRIMARY KEY (claim_id, round));"},

    {47, "employment insurance: recovery orders collected by offsetting later payments (deductions linked to the order)",
     "ALTER TABLE ei_recoveries ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0;"
     "CREATE INDEX ei_recoveries_person_open ON ei_recoveries(person_id, status);"
     "CREATE TABLE ei_recovery_offsets ("
     "  id TEXT PRIMARY KEY, idem_key TEXT NOT NULL UNIQUE, recovery_id TEXT NOT NULL REFERENCES ei_recoveries(id),"
     "  payment_id TEXT NOT NULL REFERENCES ei_payments(id), person_id TEXT NOT NULL,"
     "  amount INTEGER NOT NULL CHECK (amount > 0), batch_date TEXT NOT NULL, created_at TEXT NOT NULL);"
     "CREATE INDEX ei_recovery_offsets_payment ON ei_recovery_offsets(payment_id);"
     "CREATE INDEX ei_recovery_offsets_recovery ON ei_recovery_offsets(recovery_id);"},

    {48, "employment insurance: the scheduled daily batch's runs, one per batch date (the lease against a second run)",
     "CREATE TABLE ei_batch_runs ("
     "  batch_date TEXT PRIMARY KEY, status TEXT NOT NULL CHECK (status IN ('running','done','failed')),"
     "  file TEXT NOT NULL, runner TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, result TEXT, error TEXT);"},

    {53, "dci: digest delivery - notification periods of subscriptions with a frequency, and their waiting items",
     "CREATE TABLE dci_digests ("
     "  correlation_id TEXT PRIMARY KEY, subscription_code TEXT NOT NULL REFERENCES dci_subscriptions(code),"
     "  client_id TEXT NOT NULL, due_at TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('open','closed')),"
     "  events INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, closed_at TEXT,"
     "  UNIQUE (subscription_code, due_at));"
     "CREATE INDEX dci_digests_due ON dci_digests(state, due_at);"
     "CREATE TABLE dci_digest_items ("
     "  num @AUTOID@, correlation_id TEXT NOT NULL REFERENCES dci_digests(correlation_id),"
     "  person_id TEXT NOT NULL, event_id BIGINT NOT NULL, item TEXT NOT NULL, created_at TEXT NOT NULL);"
     "CREATE INDEX dci_digest_items_digest ON dci_digest_items(correlation_id, event_id);"},

    {54, "dci client: our subscriptions at other registries, the notifications they send us, outbound request kinds",
     "ALTER TABLE dci_outbound_txns ADD COLUMN action TEXT NOT NULL DEFAULT 'search';"
     "ALTER TABLE dci_outbound_txns ADD COLUMN about TEXT;"
     "CREATE TABLE dci_outbound_subs ("
     "  num @AUTOID@, partner_id TEXT NOT NULL REFERENCES dci_outbound(id), code TEXT,"
     "  transaction_id TEXT NOT NULL, reference_id TEXT NOT NULL, event_type TEXT NOT NULL, purpose TEXT NOT NULL,"
     "  frequency TEXT, persons TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('pending','subscribe','rjct','unsubscribe')), reason TEXT,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX dci_outbound_subs_code ON dci_outbound_subs(partner_id, code);"
     "CREATE INDEX dci_outbound_subs_txn ON dci_outbound_subs(transaction_id);"
     "CREATE TABLE dci_notifications_in ("
     "  num @AUTOID@, id TEXT NOT NULL UNIQUE, partner_id TEXT NOT NULL REFERENCES dci_outbound(id),"
     "  subscription_code TEXT NOT NULL, reference_id TEXT NOT NULL, reg_event_type TEXT, person_id TEXT,"
     "  message_id TEXT NOT NULL, item TEXT NOT NULL, received_at TEXT NOT NULL,"
     "  UNIQUE (partner_id, subscription_code, reference_id));"
     "CREATE INDEX dci_notifications_in_person ON dci_notifications_in(person_id, received_at);"},

    {55, "nesp: eligibility checks with a social registry's facts (income percentile, basic livelihood) and the calculator's answer",
     "CREATE TABLE nesp_checks ("
     "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id), partner_id TEXT NOT NULL,"
     "  transaction_id TEXT NOT NULL UNIQUE, mode TEXT NOT NULL CHECK (mode IN ('sync','async')),"
     "  status TEXT NOT NULL CHECK (status IN ('pending','done','error')), inputs TEXT NOT NULL, data TEXT, error TEXT,"
     "  requested_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE INDEX nesp_checks_person ON nesp_checks(person_id, created_at);"},

    {56, "employment insurance: the duplicate-benefit check of a claim against an IBR",
     "CREATE TABLE ei_dup_checks ("
     "  claim_id TEXT PRIMARY KEY REFERENCES ei_claims(id), person_id TEXT NOT NULL, partner_id TEXT,"
     "  status TEXT NOT NULL CHECK (status IN ('not_checked','pending','clear','enrolled','failed')),"
     "  transaction_id TEXT, programmes TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);"},

    {57, "dci: outbound partners can be removed (disabled, history kept); partners both ways take their JWKS from a URL",
     "ALTER TABLE dci_outbound ADD COLUMN disabled_at TEXT;"
     "ALTER TABLE dci_outbound ADD COLUMN jwks_url TEXT;"
     "ALTER TABLE dci_outbound ADD COLUMN jwks_fetched_at BIGINT;"
     "ALTER TABLE dci_partners ADD COLUMN jwks_url TEXT;"
     "ALTER TABLE dci_partners ADD COLUMN jwks_fetched_at BIGINT;"},
    {58, "referrals between offices (job centre <-> welfare office, or to a partner agency) and their history",
     /* status and type have no CHECK: the state table (src/referral/referral_sm.c) is the authority,
      * so that new states need no table rebuild on SQLite */
     "CREATE TABLE referrals ("
     "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL REFERENCES persons(id),"
     "  from_office_id TEXT NOT NULL REFERENCES offices(id), sender_id TEXT NOT NULL,"
     "  to_office_id TEXT REFERENCES offices(id), to_agency TEXT,"
     "  type TEXT NOT NULL, reason TEXT NOT NULL, purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, consent_ref TEXT,"
     "  status TEXT NOT NULL, outcome_code TEXT, outcome_note TEXT, version INTEGER NOT NULL DEFAULT 1,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT,"
     "  CHECK ((to_office_id IS NULL) <> (to_agency IS NULL)));"
     "CREATE INDEX referrals_person ON referrals(person_id, created_at);"
     "CREATE INDEX referrals_to ON referrals(to_office_id, status, created_at);"
     "CREATE INDEX referrals_from ON referrals(from_office_id, status, created_at);"
     "CREATE TABLE referral_history ("
     "  referral_id TEXT NOT NULL REFERENCES referrals(id), seq INTEGER NOT NULL,"
     "  from_status TEXT, to_status TEXT NOT NULL, actor_id TEXT NOT NULL, actor_office_id TEXT, note TEXT,"
     "  at TEXT NOT NULL, PRIMARY KEY (referral_id, seq));"},
    {61, "employment insurance: held payments name their kind (an early re-employment allowance is held like a round)",
     "ALTER TABLE ei_payment_holds ADD COLUMN kind TEXT NOT NULL DEFAULT 'benefit';"},

    {62, "employment insurance: a counsellor's review of a duplicate-benefit finding (payments are held until it clears)",
     "ALTER TABLE ei_dup_checks ADD COLUMN review_outcome TEXT CHECK (review_outcome IN ('no_conflict','conflict'));"
     "ALTER TABLE ei_dup_checks ADD COLUMN review_reason TEXT;"
     "ALTER TABLE ei_dup_checks ADD COLUMN reviewed_by TEXT;"
     "ALTER TABLE ei_dup_checks ADD COLUMN reviewed_at TEXT;"},

    {63, "employment insurance: payment notices (giro) for what is left on a recovery order, and receipts against orders",
     /* one notice outstanding per order at a time (the partial unique index); seq numbers an
      * order's notices, so a re-run of the daily step inserts nothing twice */
     "CREATE TABLE ei_recovery_notices ("
     "  id TEXT PRIMARY KEY, recovery_id TEXT NOT NULL REFERENCES ei_recoveries(id), seq INTEGER NOT NULL,"
     "  person_id TEXT NOT NULL, claim_id TEXT NOT NULL, reference TEXT NOT NULL UNIQUE,"
     "  amount_due INTEGER NOT NULL CHECK (amount_due > 0), issue_date TEXT NOT NULL, due_date TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('issued','paid','cancelled','overdue')), closed_at TEXT,"
     "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (recovery_id, seq));"
     "CREATE UNIQUE INDEX ei_recovery_notices_outstanding ON ei_recovery_notices(recovery_id)"
     "  WHERE status IN ('issued','overdue');"
     "CREATE INDEX ei_recovery_notices_issue ON ei_recovery_notices(issue_date, id);"
     "CREATE INDEX ei_recovery_notices_due ON ei_recovery_notices(status, due_date);"
     "CREATE TABLE ei_recovery_receipts ("
     "  id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, recovery_id TEXT NOT NULL REFERENCES ei_recoveries(id),"
     "  notice_id TEXT REFERENCES ei_recovery_notices(id), person_id TEXT NOT NULL,"
     "  amount INTEGER NOT NULL CHECK (amount > 0), paid_on TEXT NOT NULL, outstanding_after INTEGER NOT NULL,"
     "  status_after TEXT NOT NULL, created_at TEXT NOT NULL);"
     "CREATE INDEX ei_recovery_receipts_recovery ON ei_recovery_receipts(recovery_id, created_at);"},

    {64, "employment insurance: the payout account's holder checked against the claimant's registered name"
         " (confirmed, or unconfirmed with payments held until a counsellor confirms it); accounts given before"
         " this check are marked confirmed: they predate it and were accepted as given (holder_reason before_check)",
     "ALTER TABLE ei_bank_accounts ADD COLUMN holder_status TEXT NOT NULL DEFAULT 'unconfirmed'"
     "  CHECK (holder_status IN ('confirmed','unconfirmed'));"
     "ALTER TABLE ei_bank_accounts ADD COLUMN holder_reason TEXT;"
     "ALTER TABLE ei_bank_accounts ADD COLUMN confirmed_by TEXT;"
     "ALTER TABLE ei_bank_accounts ADD COLUMN confirmed_at TEXT;"
     "ALTER TABLE ei_bank_accounts ADD COLUMN confirm_reason TEXT;"
     "UPDATE ei_bank_accounts SET holder_status = 'confirmed', holder_reason = 'before_check';"},
    {65, "employment insurance: a recognised round is settled when the ledger has its row (paid or withheld); the payment"
         " batch lists the unsettled ones from a partial index instead of every recognised round ever decided, and the"
         " due-rounds index keeps only the scheduled ones",
     "ALTER TABLE ei_rounds ADD COLUMN settled_at TEXT;"
     "UPDATE ei_rounds SET settled_at = (SELECT MIN(p.created_at) FROM ei_payments p WHERE p.claim_id = ei_rounds.claim_id"
     "  AND p.round = ei_rounds.round) WHERE status = 'recognized';"
     "CREATE INDEX ei_rounds_to_pay ON ei_rounds(claim_id, round, recognition_date)"
     "  WHERE status = 'recognized' AND settled_at IS NULL;"
     "DROP INDEX ei_rounds_due;"
     "CREATE INDEX ei_rounds_due ON ei_rounds(recognition_date) WHERE status = 'scheduled';"},

    {66, "employment insurance: the claimant's written consent to offsetting a recovery order against benefit"
         " (고용보험법 시행령 제81조③④): the consented share of each payment, the document and who recorded it",
     "ALTER TABLE ei_recoveries ADD COLUMN offset_consent_ppm INTEGER"
     "  CHECK (offset_consent_ppm IS NULL OR (offset_consent_ppm > 0 AND offset_consent_ppm <= 1000000));"
     "ALTER TABLE ei_recoveries ADD COLUMN offset_consent_signed_on TEXT;"
     "ALTER TABLE ei_recoveries ADD COLUMN offset_consent_reference TEXT;"
     "ALTER TABLE ei_recoveries ADD COLUMN offset_consent_by TEXT;"
     "ALTER TABLE ei_recoveries ADD COLUMN offset_consent_at TEXT;"},
};

#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

static char *expand(const store *s, const char *sql) {
    const char *tok = "@AUTOID@";
    const char *rep = store_kind(s) == STORE_PG ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
    size_t cap = strlen(sql) * 2 + 64, j = 0;
    char *out = malloc(cap);
    for (const char *p = sql; *p;) {
        if (strncmp(p, tok, strlen(tok)) == 0) {
            j += (size_t)snprintf(out + j, cap - j, "%s", rep);
            p += strlen(tok);
        } else {
            out[j++] = *p++;
        }
    }
    out[j] = 0;
    return out;
}

int store_schema_version(store *s) {
    op_err e;
    store_stmt *st = store_query(s, &e, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
    if (!st) return -1;
    int v = (int)store_col_int(st, 0);
    store_reset(st);
    return v;
}

op_code store_migrate(store *s, op_err *e) {
    op_code c = store_exec_script(s,
                                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                                  e);
    if (c) return c;
    for (int i = 0; i < NMIGRATIONS; i++) {
        const struct migration *m = &migrations[i];
        const struct variant *v = variant_of(m->version);
        if (v && v->sqlite_fn && store_kind(s) == STORE_SQLITE) {
            if ((c = v->sqlite_fn(s, m->version, m->name, e))) return c;
            continue;
        }
        if ((c = store_begin(s, e))) return c;
        if (store_kind(s) == STORE_PG &&
            (c = store_exec_script(s, "SELECT pg_advisory_xact_lock(7210001)", e)))
            goto fail;
        store_stmt *st = store_query(s, e, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
                                     (int64_t)m->version);
        if (st) {
            store_reset(st);
            store_rollback(s);
            continue;
        }
        if (e && e->code) {
            c = e->code;
            goto fail;
        }
        char *sql = expand(s, store_kind(s) == STORE_PG && v && v->sql_pg ? v->sql_pg : m->sql);
        c = store_exec_script(s, sql, e);
        free(sql);
        if (c) {
            char d[sizeof e->detail];
            snprintf(d, sizeof d, "%s", e ? e->detail : "");
            op_fail(e, OP_STORE, NULL, "migration %d (%s) failed: %s", m->version, m->name, d);
            goto fail;
        }
        char ts[CLOCK_TS_LEN];
        clock_now_ts(ts);
        if ((c = store_exec(s, e, NULL, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                            "iss", (int64_t)m->version, m->name, ts)))
            goto fail;
        if ((c = store_commit(s, e))) return c;
    }
    if (store_kind(s) == STORE_SQLITE) return sq_check_audit(s, e);
    return OP_OK;
fail:
    store_rollback(s);
    return c;
}
