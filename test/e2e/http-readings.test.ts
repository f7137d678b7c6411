import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signingKeys } from '../support/signing.js';
import { startHttpInteractions } from '../../src/discord/http.js';
import type { ServerReadings } from '../../src/readings/servers.js';
import { captureLogger, readingsRouter } from '../support/bot.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';

/** Readings over Discord's HTTP interactions: the form, the deferred answer delivered by editing the original response. */
describe('server readings over HTTP interactions', () => {
  const { privateKey, publicKeyHex } = signingKeys();
  const { logger } = captureLogger();
  const guildId = '900000000000000003';
  let fake: FakeDiscord;
  let server: Server;
  let readings: ServerReadings;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'readings-http-'));
    fake = await startFakeDiscord();
    const started = await readingsRouter(logger, { readingsDir: dir, cdnBase: fake.cdnBase });
    readings = started.readings;
    server = await startHttpInteractions({
      router: started.router,
      logger,
      publicKey: publicKeyHex,
      port: 0,
      host: '127.0.0.1',
      apiUrl: fake.apiBase,
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await readings.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(interaction: Record<string, unknown>): Promise<{ type: number; data?: Record<string, unknown> }> {
    const body = JSON.stringify({
      id: String(Date.now()),
      application_id: fake.applicationId,
      token: `tok-${Math.random().toString(16).slice(2)}`,
      guild_id: guildId,
      member: { user: { id: '900000000000000004', username: 'mod' }, permissions: '32' },
      ...interaction,
    });
    const res = await fetch(`${base}/interactions`, {
      method: 'POST',
      body,
      headers: signatureHeaders(body, privateKey),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { type: number; data?: Record<string, unknown> };
  }

  it('opens the form, then defers the submission and edits in the card', async () => {
    const opened = await post({ type: 2, data: { name: 'reading', type: 1, options: [{ name: 'add', type: 1, options: [] }] } });
    expect(opened.type).toBe(9);
    expect(opened.data?.['custom_id']).toBe('reading-form');

    const token = 'tok-form-submission';
    const submitted = await post({
      type: 5,
      token,
      data: {
        custom_id: 'reading-form',
        components: [
          { type: 18, component: { type: 4, custom_id: 'title', value: 'Tide Tables' } },
          {
            type: 18,
            component: {
              type: 4,
              custom_id: 'text',
              value: 'The spring tide at Saint-Malo rose fourteen metres, harbour master Yann Le Goff said.',
            },
          },
        ],
      },
    });
    expect(submitted).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token));
    expect(edit.auth).toBeNull();
    expect(JSON.stringify(edit.body)).toMatch(/Added: Tide Tables/);

    const asked = await post({
      type: 2,
      data: { name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: 'How high did the spring tide rise at Saint-Malo?' }] },
    });
    expect(JSON.stringify(asked.data)).toMatch(/Tide Tables/);
  });

  it('refuses a member without Manage Server', async () => {
    const refused = await post({
      type: 2,
      member: { user: { id: '900000000000000005', username: 'reader' }, permissions: '0' },
      data: { name: 'reading', type: 1, options: [{ name: 'add', type: 1, options: [] }] },
    });
    expect(refused.type).toBe(4);
    expect(JSON.stringify(refused.data)).toMatch(/Manage Server/);
  });
});
