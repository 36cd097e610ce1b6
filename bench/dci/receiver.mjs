// receiver.mjs - the subscriber side of the notify benchmark: answers every DCI callback with an
// ACK, writes its port to PORTFILE, appends each on-subscribe body to OUT.subscribe.json and, for
// notify, counts distinct reference ids (one per domain event) and writes
// "RESULT notifies=N distinct=D first_ms=T0 last_ms=T1" to OUT.result when N distinct arrived (or on SIGTERM).
import http from 'node:http';
import { writeFileSync, appendFileSync } from 'node:fs';

const [portFile, out, want] = process.argv.slice(2);
const seen = new Set();
let n = 0, first = 0, last = 0;
const result = () => writeFileSync(out + '.result', `RESULT notifies=${n} distinct=${seen.size} first_ms=${first} last_ms=${last}\n`);
const srv = http.createServer((req, res) => {
  let b = '';
  req.on('data', (d) => { b += d; });
  req.on('end', () => {
    let body = {};
    try { body = JSON.parse(b); } catch { /* counted below as not a notify */ }
    if (req.url.endsWith('/notify')) {
      n++;
      last = Date.now();
      if (!first) first = last;
      for (const e of body.message?.notify_event ?? []) seen.add(e.reference_id);
      if (seen.size >= Number(want)) result();
    } else if (req.url.endsWith('/on-subscribe')) {
      appendFileSync(out + '.subscribe.json', b + '\n');
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: { ack_status: 'ACK', timestamp: new Date().toISOString(), correlation_id: body.message?.correlation_id ?? 'x' } }));
  });
});
srv.keepAliveTimeout = 60000;
process.on('SIGTERM', () => { result(); process.exit(0); });
srv.listen(0, '127.0.0.1', () => writeFileSync(portFile, String(srv.address().port)));
