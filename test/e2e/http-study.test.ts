import type { KeyObject } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signingKeys } from '../support/signing.js';
import { startHttpInteractions } from '../../src/discord/http.js';
import { buttonClick, slashCommand, startFakeDiscord, type FakeDiscord, type FakeInteraction } from '../support/fakeDiscord.js';
import { captureLogger, testRouter } from '../support/bot.js';

/**
 * The study tools in HTTP interactions mode: the endpoint answers Discord's POST, and what cannot ride in
 * that answer (the map's PNG, a quiz result for one member) goes to the interaction's webhook, here the
 * fake Discord's. The test plays Discord's part in between: it hands the endpoint's answer to the fake as
 * the interaction callback.
 */
describe('study tools over HTTP interactions', () => {
  const { privateKey, publicKeyHex } = signingKeys();
  const { logger } = captureLogger();
  let fake: FakeDiscord;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    server = await startHttpInteractions({
      router: await testRouter(logger),
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
    await fake?.close();
  });

  /** Sends the interaction to the endpoint, signed, and passes its answer on to the fake as the callback. */
  async function deliver(interaction: FakeInteraction, key: KeyObject = privateKey) {
    const body = JSON.stringify(interaction);
    const res = await fetch(`${base}/interactions`, {
      method: 'POST',
      body,
      headers: signatureHeaders(body, key),
    });
    const answer = (await res.json()) as { type: number; data?: Record<string, unknown> };
    await fetch(`${fake.apiBase}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
      method: 'POST',
      body: JSON.stringify(answer),
      headers: { 'Content-Type': 'application/json' },
    });
    return answer;
  }

  it('defers /map, then edits the PNG into the original response through the webhook', async () => {
    const interaction = fake.dispatchInteraction(slashCommand('map'));
    const answer = await deliver(interaction);
    expect(answer.type).toBe(5);
    const edit = await fake.waitForRequest((r) => r.interactionId === interaction.id && r.method === 'PATCH', 10_000);
    expect(edit.status).toBe(200);
    expect(edit.files.map((file) => file.filename)).toEqual(['map.png']);
    expect(edit.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(fake.originalResponse(interaction.id)?.attachments.map((a) => a['filename'])).toEqual(['map.png']);
    expect((edit.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('updates the quiz counts in the answer and sends the result to the presser alone as a follow-up', async () => {
    const command = fake.dispatchInteraction(slashCommand('quiz', [{ name: 'questions', value: 1 }]));
    const started = await deliver(command);
    expect(started.type).toBe(4);
    const message = fake.originalResponse(command.id)!;
    const ids = (message.components as { components: { custom_id: string }[] }[]).flatMap((row) => row.components.map((c) => c.custom_id));
    const pressed = fake.dispatchInteraction(buttonClick(ids[0]!, message), { user: { id: '400000000000000001', username: 'cleo' } });
    const answer = await deliver(pressed);
    expect(answer.type).toBe(7);
    expect(JSON.stringify(answer.data)).toMatch(/\*\*1\*\* answered/);
    const followUp = await fake.waitForRequest(
      (r) => r.interactionId === pressed.id && r.method === 'POST' && r.route.startsWith('/webhooks/'),
    );
    expect(followUp.status).toBe(200);
    expect((followUp.body as { flags?: number }).flags).toBe(64);
    expect(fake.followUps(pressed.id)).toHaveLength(1);
  });
});
