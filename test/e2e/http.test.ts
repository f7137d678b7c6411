import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpInteractions, MAX_BODY_BYTES } from '../../src/discord/http.js';
import { captureLogger, testRouter } from '../support/bot.js';

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

  it('reports readiness on /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
