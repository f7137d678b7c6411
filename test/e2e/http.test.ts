import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttpInteractions, HTTP_LIMITS, MAX_BODY_BYTES, SeenInteractions, startHttpInteractions } from '../../src/discord/http.js';
import { captureLogger, testRouter } from '../support/bot.js';

let nextId = 910_000_000_000_000_000n;
/** A fresh interaction id each call: the endpoint refuses an id it has seen (a replay). */
const freshId = (): string => String((nextId += 1n));

/** Opens a raw connection, writes `text`, and resolves with the ms until the server closed it. */
function heldFor(port: number, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('error', () => undefined);
    // Flowing, so the server's end of the connection is read and 'close' follows it.
    socket.resume();
    socket.on('close', () => resolve(performance.now() - started));
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server held a slow request for 30 s'));
    }, 30_000).unref();
  });
}

function keyPair(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicHex: der.subarray(der.length - 32).toString('hex') };
}

describe('HTTP interactions endpoint', () => {
  const discord = keyPair();
  const impostor = keyPair();
  const { logger, lines } = captureLogger();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = await startHttpInteractions({
      router: await testRouter(logger),
      logger,
      publicKey: discord.publicHex,
      port: 0,
      host: '127.0.0.1',
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function signed(body: string, key: KeyObject = discord.privateKey, timestamp = String(Math.floor(Date.now() / 1000))) {
    const signature = sign(null, Buffer.from(timestamp + body), key).toString('hex');
    return { 'Content-Type': 'application/json', 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': timestamp };
  }

  const post = (body: string, headers: Record<string, string>) => fetch(`${base}/interactions`, { method: 'POST', body, headers });

  const askWith = (options: unknown, id = freshId()) =>
    JSON.stringify({
      id,
      application_id: '900000000000000002',
      type: 2,
      token: 'tok',
      guild_id: '900000000000000003',
      member: { user: { id: '900000000000000004', username: 'reader' } },
      data: { name: 'ask', type: 1, options },
    });

  const ask = JSON.stringify({
    id: '900000000000000001',
    application_id: '900000000000000002',
    type: 2,
    token: 'tok',
    guild_id: '900000000000000003',
    member: { user: { id: '900000000000000004', username: 'reader' } },
    data: { name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: 'What is the policy of self-reliance called?' }] },
  });

  it('answers PING with PONG', async () => {
    const body = JSON.stringify({ type: 1 });
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('answers a signed /ask with the attributed passage, pinging nobody', async () => {
    const res = await post(ask, signed(ask));
    expect(res.status).toBe(200);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const reply = (await res.json()) as {
      type: number;
      data: { embeds: { description: string; title: string }[]; allowed_mentions: unknown };
    };
    expect(reply.type).toBe(4);
    expect(reply.data.embeds[0]?.description).toMatch(/\*\*North Korea has adhered to a policy of “juche,”/);
    expect(reply.data.embeds[0]?.title).toMatch(/¶9/);
    expect(reply.data.allowed_mentions).toEqual({ parse: [] });
    // The same fields as the gateway's and the console's line (src/bot/log.ts).
    expect(lines.find((line) => line['msg'] === 'interaction' && line['interactionId'] === '900000000000000001')).toMatchObject({
      transport: 'http',
      kind: 'command',
      command: 'ask',
      userId: '900000000000000004',
      guildId: '900000000000000003',
      deferred: false,
      results: expect.any(Number) as number,
      abstained: false,
    });
  });

  it('answers autocomplete with choices', async () => {
    const body = JSON.stringify({
      type: 4,
      id: '1',
      token: 't',
      user: { id: '5', username: 'u' },
      data: { name: 'who-is', type: 1, options: [{ name: 'name', type: 3, value: 'put', focused: true }] },
    });
    const res = await post(body, signed(body));
    const reply = (await res.json()) as { type: number; data: { choices: { value: string }[] } };
    expect(reply.type).toBe(8);
    expect(reply.data.choices[0]?.value).toBe('Vladimir Putin');
  });

  it('answers "Find in article" from the resolved target message, and a user option from the resolved user', async () => {
    const find = JSON.stringify({
      type: 2,
      id: '2',
      application_id: '3',
      token: 't',
      user: { id: '5', username: 'u' },
      data: {
        name: 'Find in article',
        type: 3,
        target_id: '77',
        resolved: { messages: { '77': { id: '77', content: 'what about juche?', author: { id: '6', username: 'w' }, embeds: [] } } },
      },
    });
    const found = (await (await post(find, signed(find))).json()) as {
      type: number;
      data: { content: string; embeds: { title: string }[] };
    };
    expect(found.type).toBe(4);
    expect(found.data.content).toBe('**Message:** what about juche?');
    expect(found.data.embeds[0]?.title).toMatch(/¶9$/);

    const mention = JSON.stringify({
      type: 2,
      id: '4',
      application_id: '3',
      token: 't',
      user: { id: '5', username: 'u' },
      data: {
        name: 'ask',
        type: 1,
        options: [
          { name: 'question', type: 3, value: 'What is juche?' },
          { name: 'mention', type: 6, value: '88' },
        ],
        resolved: { users: { '88': { id: '88', username: 'friend' } } },
      },
    });
    const pointed = (await (await post(mention, signed(mention))).json()) as { data: { allowed_mentions: unknown } };
    expect(pointed.data.allowed_mentions).toEqual({ parse: [], users: ['88'] });
  });

  describe('refuses, with 401 and without handling,', () => {
    const cases: [string, () => Record<string, string>, string?][] = [
      ['an unsigned request', () => ({ 'Content-Type': 'application/json' })],
      ['a tampered body', () => signed(ask), ask.replace('self-reliance', 'self-reliancf')],
      ['a request signed with another key', () => signed(ask, impostor.privateKey)],
      ['a stale request (older than 5 minutes)', () => signed(ask, discord.privateKey, String(Math.floor(Date.now() / 1000) - 301))],
      ['a malformed signature', () => ({ ...signed(ask), 'X-Signature-Ed25519': 'zz' })],
    ];
    for (const [what, headers, body] of cases) {
      it(what, async () => {
        const before = lines.filter((line) => line['msg'] === 'interaction').length;
        const res = await post(body ?? ask, headers());
        expect(res.status).toBe(401);
        expect(lines.filter((line) => line['msg'] === 'interaction').length).toBe(before);
      });
    }
  });

  it('refuses an oversized body with 413', async () => {
    const body = 'x'.repeat(MAX_BODY_BYTES + 1);
    const res = await post(body, signed(body));
    expect(res.status).toBe(413);
  });

  describe('refuses, with 400, a signed body that Discord could not have sent:', () => {
    const cases: [string, unknown][] = [
      ['a null option value', [{ name: 'question', type: 3, value: null }]],
      ['an object option value', [{ name: 'question', type: 3, value: { toString: 'x' } }]],
      ['an array option value', [{ name: 'question', type: 3, value: ['a'] }]],
      ['a null option', [null]],
      ['options that are not a list', { question: 'x' }],
    ];
    for (const [what, options] of cases) {
      it(what, async () => {
        const body = askWith(options);
        const res = await post(body, signed(body));
        expect(res.status).toBe(400);
        expect(lines.filter((line) => line['level'] === 50)).toEqual([]);
      });
    }
  });

  describe('a replayed signed request', () => {
    it('is refused with 409 inside the signature window, and the first is answered', async () => {
      const body = askWith([{ name: 'question', type: 3, value: 'What is juche?' }]);
      const headers = signed(body);
      expect((await post(body, headers)).status).toBe(200);
      const again = await post(body, headers);
      expect(again.status).toBe(409);
      expect(lines.some((line) => line['msg'] === 'refused a replayed interaction request')).toBe(true);
    });

    it('is forgotten once the window has passed, at constant cost per request', () => {
      let now = 0;
      const seen = new SeenInteractions(1000, () => now);
      expect(seen.first('a')).toBe(true);
      expect(seen.first('a')).toBe(false);
      now = 1500;
      expect(seen.first('b')).toBe(true);
      expect(seen.size).toBe(1);
      expect(seen.first('a')).toBe(true);
    });
  });

  describe('aborted unauthenticated requests', () => {
    it('write no error or warning lines (200 aborts)', async () => {
      const { port } = server.address() as AddressInfo;
      const before = lines.length;
      await Promise.all(
        Array.from(
          { length: 200 },
          () =>
            new Promise<void>((resolve) => {
              const socket = connect(port, '127.0.0.1', () => {
                socket.write('POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ty');
                setTimeout(() => socket.destroy(), 20);
              });
              socket.on('close', () => resolve());
              socket.on('error', () => undefined);
            }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const loud = lines.slice(before).filter((line) => Number(line['level']) >= 40);
      expect(loud).toEqual([]);
    });
  });

  describe('a slow client', () => {
    it('that sends half its headers is cut off within a few seconds', async () => {
      const { port } = server.address() as AddressInfo;
      const ms = await heldFor(port, 'POST /interactions HTTP/1.1\r\nHost: x\r\n');
      expect(ms).toBeLessThan(HTTP_LIMITS.headersTimeoutMs + 2000);
    }, 35_000);

    it('that sends half its body is cut off within a few seconds', async () => {
      const { port } = server.address() as AddressInfo;
      const ms = await heldFor(port, 'POST /interactions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"type":');
      expect(ms).toBeLessThan(HTTP_LIMITS.requestTimeoutMs + 2000);
    }, 35_000);
  });

  describe('with its connections full of slow clients', () => {
    it('refuses more connections, and answers a signed PING again once the slow ones are cut off', async () => {
      const small = await startHttpInteractions({
        router: await testRouter(logger),
        logger,
        publicKey: discord.publicHex,
        port: 0,
        host: '127.0.0.1',
        limits: { maxConnections: 5, headersTimeoutMs: 400, requestTimeoutMs: 400, checkIntervalMs: 100 },
      });
      try {
        const { port } = small.address() as AddressInfo;
        const slow = Array.from({ length: 5 }, () => heldFor(port, 'POST /interactions HTTP/1.1\r\n'));
        await new Promise((resolve) => setTimeout(resolve, 100));
        // The cap: a sixth connection is closed at once rather than held.
        expect(await heldFor(port, '')).toBeLessThan(300);
        await Promise.all(slow);
        const ping = JSON.stringify({ type: 1 });
        const res = await fetch(`http://127.0.0.1:${port}/interactions`, { method: 'POST', body: ping, headers: signed(ping) });
        expect(await res.json()).toEqual({ type: 1 });
      } finally {
        await closeHttpInteractions(small, 1000);
      }
    });
  });

  it('reports readiness on /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
