// Issue 15's feasibility spike (2026-12-04, kept to build on): can node-datachannel, answering a
// Chromium offer, receive Chrome's rid-based VP8 simulcast? Yes, with an edited answer (rid/simulcast
// lines as `recv`, VP8 and its RTX only, no transport-cc) and REMB from JS; all three layers reach
// the single track, told apart by the rtp-stream-id extension; a PLI per SSRC reaches its layer.
// Not part of the test suite; findings in the issue 15 note.
//
// Simulcast spike: Chromium (offerer, sendonly VP8 simulcast q/h/f) -> node-datachannel (answerer).
// Usage: node spike.mjs            (use libdatachannel's answer as-is)
//        MUNGE=1 node spike.mjs    (rewrite/add a=rid:* recv + a=simulcast:recv q;h;f in the answer)
//        REMB=3000000 node spike.mjs (also send RTCP REMB from node every 500 ms, value in bps)
//        STRIP_TWCC=1 ...          (remove transport-cc extmap/rtcp-fb from the answer)
//        SECONDS=10                (measurement window)

import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nd = require('node-datachannel');
const { chromium } = require('playwright-core');

const MUNGE = !!process.env.MUNGE;
const REMB = Number(process.env.REMB || 0);
const STRIP_TWCC = !!process.env.STRIP_TWCC;
const ONLY_VP8 = !!process.env.ONLY_VP8; // answer only VP8 + its RTX (drops red/ulpfec)
const WINDOW = Number(process.env.SECONDS || 10) * 1000;
const WARMUP = Number(process.env.WARMUP || 0) * 1000; // measurement window starts this long after first RTP
const OUT = process.env.OUT || '/tmp/simulcast-spike/out';
fs.mkdirSync(OUT, { recursive: true });
const tag = `${MUNGE ? 'munge' : 'plain'}${REMB ? `-remb${REMB}` : ''}${STRIP_TWCC ? '-notwcc' : ''}${ONLY_VP8 ? '-vp8only' : ''}${WARMUP ? `-warm${WARMUP / 1000}` : ''}`;

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Safety net: never hang forever.
const killTimer = setTimeout(
  () => {
    log('SAFETY TIMEOUT, exiting');
    process.exit(3);
  },
  WARMUP + WINDOW + 60000,
);

let browser, server, pc;
async function shutdown(code = 0) {
  try {
    if (browser) await browser.close();
  } catch (e) {
    log('browser.close err', e.message);
  }
  try {
    if (pc) pc.close();
  } catch (e) {
    log('pc.close err', e.message);
  }
  try {
    nd.cleanup();
  } catch (e) {
    log('cleanup err', e.message);
  }
  try {
    server?.close();
  } catch {}
  clearTimeout(killTimer);
  process.exit(code);
}
process.on('uncaughtException', (e) => {
  log('uncaught', e);
  shutdown(2);
});
process.on('unhandledRejection', (e) => {
  log('unhandled', e);
  shutdown(2);
});

// ---- RTP parsing ----
function parseRtp(buf) {
  if (buf.length < 8 || buf[0] >> 6 !== 2) return null;
  const pt = buf[1] & 0x7f;
  if (pt >= 64 && pt <= 95) return { rtcp: true, pt: buf[1] }; // RTCP (PT 192..223)
  if (buf.length < 12) return null;
  const cc = buf[0] & 0x0f,
    x = (buf[0] >> 4) & 1;
  const seq = buf.readUInt16BE(2),
    ts = buf.readUInt32BE(4),
    ssrc = buf.readUInt32BE(8);
  const exts = {};
  const off = 12 + cc * 4;
  if (x && buf.length >= off + 4) {
    const profile = buf.readUInt16BE(off),
      words = buf.readUInt16BE(off + 2);
    let p = off + 4;
    const end = p + words * 4;
    if (profile === 0xbede) {
      while (p < end) {
        const b = buf[p];
        if (b === 0) {
          p++;
          continue;
        }
        const id = b >> 4,
          len = (b & 0xf) + 1;
        if (id === 15) break;
        exts[id] = buf.subarray(p + 1, p + 1 + len);
        p += 1 + len;
      }
    } else if ((profile & 0xfff0) === 0x1000) {
      // two-byte
      while (p < end) {
        const id = buf[p];
        if (id === 0) {
          p++;
          continue;
        }
        const len = buf[p + 1];
        exts[id] = buf.subarray(p + 2, p + 2 + len);
        p += 2 + len;
      }
    }
  }
  return { rtcp: false, pt, seq, ts, ssrc, marker: buf[1] >> 7, exts, profile: x ? buf.readUInt16BE(off) : null };
}

function pli(mediaSsrc, senderSsrc = 0x11223344) {
  const b = Buffer.alloc(12);
  b[0] = 0x81;
  b[1] = 206;
  b.writeUInt16BE(2, 2);
  b.writeUInt32BE(senderSsrc, 4);
  b.writeUInt32BE(mediaSsrc >>> 0, 8);
  return b;
}
function remb(bps, ssrcs, senderSsrc = 0x11223344) {
  let exp = 0,
    mant = bps;
  while (mant > 0x3ffff) {
    mant >>= 1;
    exp++;
  }
  const b = Buffer.alloc(20 + 4 * ssrcs.length);
  b[0] = 0x8f;
  b[1] = 206;
  b.writeUInt16BE(b.length / 4 - 1, 2);
  b.writeUInt32BE(senderSsrc, 4);
  b.writeUInt32BE(0, 8);
  b.write('REMB', 12, 'ascii');
  b[16] = ssrcs.length;
  b[17] = (exp << 2) | (mant >> 16);
  b.writeUInt16BE(mant & 0xffff, 18);
  for (const [i, s] of ssrcs.entries()) b.writeUInt32BE(s >>> 0, 20 + 4 * i);
  return b;
}

// ---- SDP munging ----
function mungeAnswer(sdp) {
  let lines = sdp.split(/\r\n/).filter((l) => l.length);
  // drop whatever rid/simulcast the answerer produced, then add recv versions in the video section
  lines = lines.filter((l) => !/^a=(rid|simulcast):/.test(l));
  const vi = lines.findIndex((l) => l.startsWith('m=video'));
  let end = lines.findIndex((l, i) => i > vi && l.startsWith('m='));
  if (end < 0) end = lines.length;
  lines.splice(end, 0, 'a=rid:q recv', 'a=rid:h recv', 'a=rid:f recv', 'a=simulcast:recv q;h;f');
  return `${lines.join('\r\n')}\r\n`;
}
function stripTwcc(sdp) {
  return sdp
    .split(/\r\n/)
    .filter((l) => !/transport-cc|transport-wide-cc/.test(l))
    .join('\r\n');
}
function onlyVp8(sdp) {
  const vp8 = (sdp.match(/a=rtpmap:(\d+) VP8\/90000/) || [])[1];
  const rtx = (sdp.match(new RegExp(`a=fmtp:(\\d+) apt=${vp8}\\b`)) || [])[1];
  const keep = new Set([vp8, rtx].filter(Boolean));
  return sdp
    .split(/\r\n/)
    .filter((l) => {
      const m = l.match(/^a=(rtpmap|rtcp-fb|fmtp):(\d+)/);
      return !m || keep.has(m[2]);
    })
    .map((l) =>
      l.startsWith('m=video')
        ? l
            .split(' ')
            .slice(0, 3)
            .concat([...keep])
            .join(' ')
        : l,
    )
    .join('\r\n');
}
const grepSdp = (sdp) =>
  sdp
    .split(/\r?\n/)
    .filter((l) =>
      /^(m=|a=(rid|simulcast|extmap|rtpmap|rtcp-fb|ssrc|mid|sendonly|recvonly|sendrecv|inactive|group))/.test(l),
    );

// ---- page ----
const PAGE = `<!doctype html><html><body><script>
window.pc = null;
window.start = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 } });
  const track = stream.getVideoTracks()[0];
  window.camSettings = track.getSettings();
  const pc = window.pc = new RTCPeerConnection({ iceServers: [] });
  window.transceiver = pc.addTransceiver(track, { direction: 'sendonly', sendEncodings: [
    { rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' } ] });
  pc.onconnectionstatechange = () => window.nodeLog('chrome connectionState ' + pc.connectionState);
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); setTimeout(r, 3000); });
  return { sdp: pc.localDescription.sdp, cam: window.camSettings };
};
window.setAnswer = async (sdp) => { await pc.setRemoteDescription({ type: 'answer', sdp }); return pc.remoteDescription.sdp; };
window.stats = async () => {
  const r = await pc.getStats(); const out = [];
  let bwe = null;
  r.forEach((s) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') out.push({ rid: s.rid, ssrc: s.ssrc, rtxSsrc: s.rtxSsrc, w: s.frameWidth, h: s.frameHeight, fps: s.framesPerSecond,
      framesEncoded: s.framesEncoded, keyFramesEncoded: s.keyFramesEncoded, packetsSent: s.packetsSent, bytesSent: s.bytesSent, pliCount: s.pliCount, nackCount: s.nackCount,
      qlr: s.qualityLimitationReason, active: s.active, targetBitrate: s.targetBitrate, encoder: s.encoderImplementation, scalabilityMode: s.scalabilityMode });
    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') bwe = s.availableOutgoingBitrate;
  });
  out.sort((a, b) => (a.rid || '').localeCompare(b.rid || ''));
  return { out, bwe, enc: window.transceiver.sender.getParameters().encodings.map((e) => ({ rid: e.rid, active: e.active, scale: e.scaleResolutionDownBy, maxBitrate: e.maxBitrate })) };
};
</script></body></html>`;

async function main() {
  log('libdatachannel', nd.getLibraryVersion(), 'mode', tag);
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${server.address().port}/`;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--headless=new',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--disable-gpu',
    ],
  });
  const page = await browser.newPage();
  await page.exposeFunction('nodeLog', (m) => log(m));
  page.on('console', (m) => log('page:', m.text()));
  await page.goto(url);
  const { sdp: offer, cam } = await page.evaluate(() => window.start());
  log('camera settings', JSON.stringify(cam));
  fs.writeFileSync(`${OUT}/${tag}.offer.sdp`, offer);
  log(`OFFER relevant lines:\n  ${grepSdp(offer).join('\n  ')}`);
  const ext = {};
  for (const m of offer.matchAll(/a=extmap:(\d+) (\S+)/g)) ext[m[2]] = Number(m[1]);
  const RID_ID = ext['urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id'];
  const RRID_ID = ext['urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id'];
  const MID_ID = ext['urn:ietf:params:rtp-hdrext:sdes:mid'];
  log('extmap ids: rid', RID_ID, 'repaired-rid', RRID_ID, 'mid', MID_ID);

  // ---- node side ----
  pc = new nd.PeerConnection('sfu', { iceServers: [] });
  const stats = new Map();
  let rtcpIn = 0,
    t0 = 0,
    nonRtp = 0;
  let track = null;
  const gathered = new Promise((r) =>
    pc.onGatheringStateChange((s) => {
      log('node gathering', s);
      if (s === 'complete') r();
    }),
  );
  pc.onStateChange((s) => log('node state', s));
  pc.onTrack((t) => {
    track = t;
    log('node onTrack mid', t.mid(), 'type', t.type(), 'dir', t.direction());
    t.onOpen(() => log('node track open'));
    t.onClosed(() => log('node track closed'));
    t.onError((e) => log('node track error', e));
    t.onMessage((buf) => {
      const p = parseRtp(buf);
      if (!p) {
        if (nonRtp++ < 3) log('non-RTP msg len', buf.length, buf.subarray(0, 16).toString('hex'));
        return;
      }
      if (p.rtcp) {
        rtcpIn++;
        return;
      }
      if (!t0) t0 = Date.now();
      let s = stats.get(p.ssrc);
      if (!s) {
        s = {
          ssrc: p.ssrc,
          pkts: 0,
          bytes: 0,
          pts: new Set(),
          rid: null,
          rrid: null,
          mid: null,
          ridPkts: 0,
          first: Date.now(),
          winPkts: 0,
          winBytes: 0,
          profile: p.profile,
        };
        stats.set(p.ssrc, s);
      }
      s.pkts++;
      s.bytes += buf.length;
      s.pts.add(p.pt);
      const el = Date.now() - t0;
      if (el >= WARMUP && el <= WARMUP + WINDOW) {
        s.winPkts++;
        s.winBytes += buf.length;
      }
      if (RID_ID && p.exts[RID_ID]) {
        s.ridPkts++;
        if (!s.rid) s.rid = p.exts[RID_ID].toString();
      }
      if (RRID_ID && p.exts[RRID_ID] && !s.rrid) s.rrid = p.exts[RRID_ID].toString();
      if (MID_ID && p.exts[MID_ID] && !s.mid) s.mid = p.exts[MID_ID].toString();
    });
  });
  const answerP = new Promise((r) =>
    pc.onLocalDescription((sdp, type) => {
      log('node onLocalDescription', type);
      r(sdp);
    }),
  );
  pc.setRemoteDescription(offer, 'offer'); // auto-negotiation creates the answer
  await answerP;
  await Promise.race([gathered, sleep(3000)]);
  let answer = pc.localDescription().sdp;
  fs.writeFileSync(`${OUT}/${tag}.answer-raw.sdp`, answer);
  log(`ANSWER (libdatachannel) relevant lines:\n  ${grepSdp(answer).join('\n  ')}`);
  if (MUNGE) answer = mungeAnswer(answer);
  if (STRIP_TWCC) answer = stripTwcc(answer);
  if (ONLY_VP8) answer = onlyVp8(answer);
  if (MUNGE || STRIP_TWCC || ONLY_VP8) {
    fs.writeFileSync(`${OUT}/${tag}.answer-munged.sdp`, answer);
    log(`ANSWER munged relevant lines:\n  ${grepSdp(answer).join('\n  ')}`);
  }
  const applied = await page.evaluate((s) => window.setAnswer(s), answer);
  log(
    'chrome accepted answer; simulcast lines in applied answer:',
    grepSdp(applied)
      .filter((l) => /rid|simulcast/.test(l))
      .join(' | ') || '(none)',
  );

  // wait for media
  for (let i = 0; i < 100 && !t0; i++) await sleep(100);
  if (!t0) {
    log('NO RTP received within 10 s');
  } else log('first RTP received; track open =', track?.isOpen());

  let rembTimer = null;
  if (REMB)
    rembTimer = setInterval(() => {
      if (track?.isOpen()) {
        try {
          track.sendMessageBinary(remb(REMB, [...stats.keys()]));
        } catch (e) {
          log('remb send err', e.message);
        }
      }
    }, 500);

  // ---- PLI test: per layer, 2 PLIs, snapshot Chrome pliCount before/after ----
  const ridToSsrc = async () =>
    Object.fromEntries((await page.evaluate(() => window.stats())).out.map((o) => [o.rid, o.ssrc]));
  await sleep(3000);
  const plilog = [];
  const map = await ridToSsrc();
  for (const rid of ['q', 'h', 'f']) {
    const ssrc = map[rid];
    if (!ssrc) {
      plilog.push({ rid, note: 'no ssrc in chrome stats' });
      continue;
    }
    const before = (await page.evaluate(() => window.stats())).out
      .map((o) => `${o.rid}:${o.pliCount}/${o.keyFramesEncoded}`)
      .join(' ');
    const ok = [];
    for (let k = 0; k < 2; k++) {
      if (!track?.isOpen()) {
        ok.push('track-not-open');
        break;
      }
      try {
        ok.push(track.sendMessageBinary(pli(ssrc)));
      } catch (e) {
        ok.push(`throw:${e.message}`);
      }
      await sleep(400);
    }
    await sleep(800);
    const after = (await page.evaluate(() => window.stats())).out
      .map((o) => `${o.rid}:${o.pliCount}/${o.keyFramesEncoded}`)
      .join(' ');
    plilog.push({ rid, ssrc, sendReturned: ok.join(','), 'before(rid:pliCount/keyFramesEncoded)': before, after });
  }

  const remaining = WARMUP + WINDOW - (Date.now() - t0);
  if (remaining > 0) await sleep(remaining + 200);
  const chromeStats = await page.evaluate(() => window.stats());
  if (rembTimer) clearInterval(rembTimer);

  // ---- report ----
  log('==== RESULTS', tag, '==== window', WARMUP / 1000, '..', (WARMUP + WINDOW) / 1000, 's after first RTP');
  log('Chrome sender.getParameters().encodings:', JSON.stringify(chromeStats.enc));
  log('Chrome availableOutgoingBitrate:', chromeStats.bwe);
  console.table(chromeStats.out);
  const secs = WINDOW / 1000;
  const rows = [...stats.values()].map((s) => ({
    ssrc: s.ssrc,
    rid: s.rid,
    repairedRid: s.rrid,
    mid: s.mid,
    pts: [...s.pts].join(','),
    hdrExtProfile: s.profile?.toString(16),
    pktsWin: s.winPkts,
    'pkt/s': +(s.winPkts / secs).toFixed(1),
    'kbit/s': +((s.winBytes * 8) / secs / 1000).toFixed(1),
    pktsWithRid: s.ridPkts,
    totalPkts: s.pkts,
  }));
  rows.sort((a, b) => a['kbit/s'] - b['kbit/s']);
  console.table(rows);
  log('RTCP packets from Chrome on track:', rtcpIn, 'non-RTP msgs:', nonRtp);
  log('PLI test:');
  console.table(plilog);
  fs.writeFileSync(`${OUT}/${tag}.results.json`, JSON.stringify({ chromeStats, rows, plilog, rtcpIn }, null, 1));
  await shutdown(0);
}
main().catch((e) => {
  log('main error', e);
  shutdown(1);
});
