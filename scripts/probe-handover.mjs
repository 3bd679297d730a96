#!/usr/bin/env node
// What handing a picture's bytes to another Sidelight context costs the sender: `runtime.sendMessage` with the
// bytes as a Uint8Array (copied into the structured-clone message on the sender's thread) against the same bytes
// as a Blob (sent by reference; `new Blob` included), between two extension pages of the built extension, in turn.
// Prints per kind the sender's synchronous part and the round trip (the receiver reads the bytes and answers),
// medians with min–max. `--mb N` (default 8.3: a 1760×1184 card as a BMP), `--rounds N` (default 7).
// SIDELIGHT_EXTENSION_DIR points it at another build.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { launchWithExtension } from './lib/browser.mjs';
import { formatSummary, summarize } from './lib/stats.mjs';

const { values: options } = parseArgs({ options: { mb: { type: 'string', default: '8.3' }, rounds: { type: 'string', default: '7' } } });
const browser = await launchWithExtension();
try {
  const receiver = await browser.context.newPage();
  await receiver.goto(browser.extensionUrl('popup.html'));
  await receiver.evaluate(() => {
    chrome.runtime.onMessage.addListener((message, _sender, reply) => {
      if (!message?.handoverProbe) return undefined;
      const { payload } = message;
      void (payload instanceof Blob ? payload.arrayBuffer() : Promise.resolve(payload)).then((bytes) => reply({ length: bytes.byteLength }));
      return true;
    });
  });
  const sender = await browser.context.newPage();
  await sender.goto(browser.extensionUrl('popup.html'));
  const loadAtStart = loadavg()[0];
  const rows = await sender.evaluate(
    async ({ length, rounds }) => {
      const bytes = new Uint8Array(length);
      for (let index = 0; index < length; index += 997) bytes[index] = index & 255;
      const times = { Uint8Array: { sync: [], roundTrip: [] }, Blob: { sync: [], roundTrip: [] } };
      for (let round = 0; round < rounds; round++) {
        for (const kind of ['Uint8Array', 'Blob']) {
          const start = performance.now();
          const sent = chrome.runtime.sendMessage({ handoverProbe: true, payload: kind === 'Blob' ? new Blob([bytes]) : bytes });
          const returned = performance.now();
          const reply = await sent;
          if (reply?.length !== length) throw new Error(`The receiver read ${reply?.length} bytes, not ${length}.`);
          times[kind].sync.push(returned - start);
          times[kind].roundTrip.push(performance.now() - start);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      return times;
    },
    { length: Math.round(Number(options.mb) * 1048576), rounds: Number(options.rounds) },
  );
  process.stdout.write(`${options.mb} MB, ${options.rounds} sends each, load ${loadAtStart.toFixed(1)} → ${loadavg()[0].toFixed(1)}\n`);
  for (const [kind, { sync, roundTrip }] of Object.entries(rows)) {
    process.stdout.write(`${kind}: sender's part ${formatSummary(summarize(sync), 1, ' ms')}; round trip ${formatSummary(summarize(roundTrip), 1, ' ms')}\n`);
  }
} finally {
  await browser.close();
}
