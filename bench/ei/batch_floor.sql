-- bench/ei/batch_floor.sql - the floor of the recognition + payment batch on this machine (run by
-- bench/ei/batch.sh with the sqlite3 shell on a fresh copy of the seeded database, as `openpes`
-- opens it: WAL, synchronous NORMAL).
--
-- Only the rows the batch must write, as set-based statements over chunks of 2,000 items (the
-- batch's chunk), one transaction per chunk: per due round its decision (status, a stored evaluation of the
-- usual length, decided_at), an event and an audit record waiting for the chain; per recognised
-- round a ledger row, the claim's days_paid, the round settled, an event and an audit record.
-- Nothing else: no reading of access facts or diaries, no rules, no audit chain (hashing and
-- the audit_log insert, which the committer thread adds), no bank file.  Whatever the batch
-- does, it cannot be faster than this.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -262144;


-- 1. recognition: the due rounds decided (about 3 in 4 recognised, as the seeded diaries give),
--    numbered in claim order
CREATE TEMP TABLE fd (n INTEGER PRIMARY KEY, claim_id TEXT, round INTEGER, person_id TEXT, ok INTEGER);
INSERT INTO fd
  SELECT row_number() OVER (ORDER BY r.claim_id, r.round), r.claim_id, r.round, c.person_id, (abs(random()) % 4) <> 0
  FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id
  WHERE r.status = 'scheduled' AND r.recognition_date <= '2026-11-02' AND c.status IN ('active','suspended');
CREATE TEMP TABLE cur (lo INTEGER, hi INTEGER);
INSERT INTO cur VALUES (0, 0);
-- @@EVALUATE@@ (batch.sh repeats this block once per chunk, up to the marker)
UPDATE cur SET lo = hi + 1, hi = hi + 2000;
BEGIN;
UPDATE ei_rounds SET status = CASE WHEN fd.ok THEN 'recognized' ELSE 'not_recognized' END,
  evaluation = printf('{"recognized":%s,"required_activities":1,"counted_activities":1,"required_job_search":0,'
    || '"counted_job_search":0,"request":{"country":"KR","round":%d,"claimant_category":"general",'
    || '"date":"2026-11-02","activities":[{"date":"2026-10-20","type":"application"}]}}',
    CASE WHEN fd.ok THEN 'true' ELSE 'false' END, fd.round),
  decided_at = '2026-11-02T01:00:00.000000Z'
  FROM fd WHERE fd.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur) AND ei_rounds.claim_id = fd.claim_id AND ei_rounds.round = fd.round;
INSERT INTO events (type, subject, payload, created_at, available_at)
  SELECT 'claim.round_decided', person_id,
    printf('{"claim_id":"%s","round":%d,"recognized":%s}', claim_id, round, CASE WHEN ok THEN 'true' ELSE 'false' END),
    '2026-11-02T01:00:00.000000Z', '2026-11-02T01:00:00.000000Z' FROM fd WHERE fd.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur);
INSERT INTO audit_pending (record_id, ts, actor_type, actor_id, actor_role, action, resource_type, resource_id, person_id,
    purpose, legal_basis, outcome)
  SELECT printf('019a0000-0000-7000-8000-%012x', n), '2026-11-02T01:00:00.000000Z', 'system', 'ei-evaluate', 'system',
    'UPDATE', 'ei_round', claim_id, person_id, 'benefit_administration', 'statute', 'allow' FROM fd
  WHERE fd.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur);
COMMIT;
-- @@END@@

-- 2. payments: every recognised, unsettled round paid
CREATE TEMP TABLE fp (n INTEGER PRIMARY KEY, claim_id TEXT, round INTEGER, period_from TEXT, period_to TEXT,
  person_id TEXT, daily_amount INTEGER, days INTEGER);
INSERT INTO fp
  SELECT row_number() OVER (ORDER BY r.claim_id, r.round), r.claim_id, r.round, r.period_from, r.period_to,
    c.person_id, c.daily_amount, 28
  FROM ei_rounds r JOIN ei_claims c ON c.id = r.claim_id
  WHERE r.status = 'recognized' AND r.settled_at IS NULL AND r.recognition_date <= '2026-11-02' AND c.status <> 'rejected';
UPDATE cur SET lo = 0, hi = 0;
-- @@PAY@@
UPDATE cur SET lo = hi + 1, hi = hi + 2000;
BEGIN;
INSERT INTO ei_payments (id, idem_key, claim_id, person_id, round, period_from, period_to, days, withheld_days, amount,
    status, batch_date, created_at)
  SELECT printf('019a0001-0000-7000-8000-%012x', n), claim_id || ':' || round, claim_id, person_id, round, period_from,
    period_to, days, 0, days * daily_amount, 'paid', '2026-11-02', '2026-11-02T02:00:00.000000Z'
  FROM fp WHERE fp.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur);
UPDATE ei_claims SET days_paid = days_paid + fp.days, updated_at = '2026-11-02T02:00:00.000000Z'
  FROM fp WHERE fp.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur) AND ei_claims.id = fp.claim_id;
UPDATE ei_rounds SET settled_at = '2026-11-02T02:00:00.000000Z'
  FROM fp WHERE fp.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur) AND ei_rounds.claim_id = fp.claim_id AND ei_rounds.round = fp.round;
INSERT INTO events (type, subject, payload, created_at, available_at)
  SELECT 'payment.recorded', person_id,
    printf('{"payment_id":"019a0001-0000-7000-8000-%012x","claim_id":"%s","round":%d,"days":%d,"withheld_days":0,'
      || '"amount":%d,"recovery_offset":0}', n, claim_id, round, days, days * daily_amount),
    '2026-11-02T02:00:00.000000Z', '2026-11-02T02:00:00.000000Z' FROM fp WHERE fp.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur);
INSERT INTO audit_pending (record_id, ts, actor_type, actor_id, actor_role, action, resource_type, resource_id, person_id,
    purpose, legal_basis, outcome)
  SELECT printf('019a0002-0000-7000-8000-%012x', n), '2026-11-02T02:00:00.000000Z', 'system', 'ei-pay-batch', 'system',
    'UPDATE', 'ei_payment', claim_id, person_id, 'benefit_administration', 'statute', 'allow' FROM fp
  WHERE fp.n BETWEEN (SELECT lo FROM cur) AND (SELECT hi FROM cur);
COMMIT;
-- @@END@@
PRAGMA wal_checkpoint(TRUNCATE);
