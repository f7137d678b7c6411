import { once } from 'node:events';
import { connect } from 'node:net';
import { Client, DiscordAPIError, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import type { ClientOptions, Interaction } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  autocomplete,
  buttonClick,
  messageContextMenu,
  rateLimited,
  slashCommand,
  snowflakeForShard,
  startFakeDiscord,
  userMessage,
} from './fakeDiscord.js';
import type { FakeDiscord, FakeDiscordOptions } from './fakeDiscord.js';

const fakes: FakeDiscord[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function fakeWith(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(options);
  fakes.push(fake);
  return fake;
}

async function readyClient(fake: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase }, ...options });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login('fake-token');
  await ready;
  return client;
}

function nextInteraction(client: Client): Promise<Interaction> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
}

describe('fake Discord with the real discord.js Client', () => {
  it('logs in, becomes ready and caches the guild', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);

    const guild = fake.guilds[0];
    expect(guild).toBeDefined();
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.guilds.cache.get(guild?.id ?? '')?.name).toBe(guild?.name);
    expect(client.channels.cache.get(guild?.channelId ?? '')?.isTextBased()).toBe(true);
    expect(fake.identifies).toEqual([{ shard: [0, 1], token: 'fake-token', intents: GatewayIntentBits.Guilds }]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/v10/gateway/bot');
  });

  it('records a slash command reply as a type 4 callback', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(
      slashCommand('ask', [
        { name: 'question', value: 'Who wrote it?' },
        { name: 'who', type: 6, value: '123456789012345678', user: { username: 'alice' } },
      ]),
    );

    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error(`expected a chat input command, got ${interaction.type}`);
    expect(interaction.id).toBe(sent.id);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('Who wrote it?');
    expect(interaction.options.getUser('who')?.username).toBe('alice');
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.user.id).toBe(fake.defaultUser.id);

    await interaction.reply({ content: 'The byline says Jane.', allowedMentions: { parse: [] } });
    const callback = await fake.waitForCallback(sent.id);
    expect(callback.method).toBe('POST');
    expect(callback.path).toBe(`/api/v10/interactions/${sent.id}/${sent.token}/callback`);
    expect(callback.auth).toBeNull();
    expect(callback.body).toMatchObject({
      type: 4,
      data: { content: 'The byline says Jane.', allowed_mentions: { parse: [] } },
    });
    expect(fake.originalResponse(sent.id)?.content).toBe('The byline says Jane.');
  });

  it('delivers DM interactions with a user instead of a member', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('ask', []), { guildId: null, user: { username: 'dana' } });
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.user.username).toBe('dana');

    await interaction.reply({ content: 'in private' });
    expect((await fake.waitForCallback(sent.id)).body).toMatchObject({ type: 4, data: { content: 'in private' } });
  });

  it('returns an InteractionCallbackResponse when withResponse is requested', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('ask', []));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');

    const response = await interaction.reply({ content: 'hi', withResponse: true });
    expect(response.interaction.id).toBe(sent.id);
    expect(response.resource?.message?.content).toBe('hi');
    expect(response.resource?.message?.author.id).toBe(fake.botUser.id);
  });

  it('records deferReply, editReply, fetchReply, followUp and deleteReply', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: 'why?' }]));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');

    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const edited = await interaction.editReply({ content: 'Because.', allowedMentions: { parse: [] } });
    expect(edited.content).toBe('Because.');
    expect((await interaction.fetchReply()).content).toBe('Because.');
    const followUp = await interaction.followUp({ content: 'Source: paragraph 3' });
    expect(followUp.content).toBe('Source: paragraph 3');
    await interaction.deleteReply();

    const steps = fake.interactionResponses(sent.id).map((r) => `${r.method} ${r.route} ${r.status}`);
    const webhook = `/webhooks/${fake.applicationId}/${sent.token}`;
    expect(steps).toEqual([
      `POST /interactions/${sent.id}/${sent.token}/callback 204`,
      `PATCH ${webhook}/messages/@original 200`,
      `GET ${webhook}/messages/@original 200`,
      `POST ${webhook} 200`,
      `DELETE ${webhook}/messages/@original 204`,
    ]);
    expect(fake.interactionResponses(sent.id)[0]?.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(fake.followUps(sent.id).map((m) => m.content)).toEqual(['Source: paragraph 3']);
  });

  it('parses payload_json from multipart replies carrying files', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('export', []));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');

    await interaction.reply({ content: 'attached', files: [{ attachment: Buffer.from('hello'), name: 'answer.txt' }] });
    const callback = await fake.waitForCallback(sent.id);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'attached' } });
    expect(callback.files.map((f) => [f.filename, f.data.toString()])).toEqual([['answer.txt', 'hello']]);
    expect(fake.originalResponse(sent.id)?.attachments).toMatchObject([{ filename: 'answer.txt', size: 5 }]);
  });

  it('records autocomplete choices as a type 8 callback', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(autocomplete('ask', [{ name: 'topic', value: 'elec' }]));
    const interaction = await received;
    if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'topic', value: 'elec' });

    await interaction.respond([{ name: 'election', value: 'election' }]);
    const callback = await fake.waitForCallback(sent.id);
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'election', value: 'election' }] } });
  });

  it('routes a button click on an earlier reply and records update() as type 7', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void interaction.reply({
        content: 'page 1',
        components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'next', label: 'Next' }] }],
      });
    });
    const command = fake.dispatchInteraction(slashCommand('ask', []));
    await fake.waitForCallback(command.id);
    const reply = fake.originalResponse(command.id);
    if (!reply) throw new Error('no reply recorded');

    const clicked = nextInteraction(client);
    const click = fake.dispatchInteraction(buttonClick('next', reply, { username: 'bob' }));
    const interaction = await clicked;
    if (!interaction.isButton()) throw new Error('expected a button interaction');
    expect(interaction.customId).toBe('next');
    expect(interaction.message.id).toBe(reply.id);
    expect(interaction.message.content).toBe('page 1');
    expect(interaction.user.username).toBe('bob');

    await interaction.update({ content: 'page 2', components: [] });
    const callback = await fake.waitForCallback(click.id);
    expect(callback.body).toMatchObject({ type: 7, data: { content: 'page 2', components: [] } });
    expect(fake.message(reply.id)?.content).toBe('page 2');
  });

  it('delivers message context-menu commands with the resolved target message', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const target = userMessage('Is this claim in the article?');
    fake.dispatchInteraction(messageContextMenu('Check claim', target));
    const interaction = await received;
    if (!interaction.isMessageContextMenuCommand()) throw new Error('expected a message context menu command');
    expect(interaction.targetId).toBe(target['id']);
    expect(interaction.targetMessage.content).toBe('Is this claim in the article?');
  });

  it('resumes after a 4000 close and still delivers the next interaction', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const resumed = once(client, Events.ShardResume);

    await fake.closeGateway(4000, 'test reconnect');
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('ask', []));
    await resumed;
    const interaction = await received;

    expect(interaction.id).toBe(sent.id);
    expect(fake.resumes).toHaveLength(1);
    expect(fake.resumes[0]?.accepted).toBe(true);
    expect(fake.identifies).toHaveLength(1);
  });

  it('makes the client identify again after a non-resumable close', async () => {
    const fake = await fakeWith();
    // discord.js otherwise waits ~5 s between IDENTIFYs of the same shard.
    const client = await readyClient(fake, {
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    });

    await fake.closeGateway(4009, 'session timed out');
    await fake.waitForReady(2);
    expect(fake.resumes.map((r) => r.accepted)).toEqual([false]);

    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('ask', []));
    expect((await received).id).toBe(sent.id);
  });

  it('lets discord.js retry an injected 500 and 429 until the reply arrives', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('ask', []));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');

    fake.failNext({ method: 'POST', pathIncludes: '/callback' }, [{ status: 500 }, rateLimited(0.05)]);
    await interaction.reply({ content: 'eventually' });

    const attempts = fake.interactionResponses(sent.id);
    expect(attempts.map((r) => [r.status, r.injected])).toEqual([
      [500, true],
      [429, true],
      [204, false],
    ]);
    expect(attempts[2]?.body).toMatchObject({ type: 4, data: { content: 'eventually' } });
  });

  it('answers unknown routes with 404 and records them', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    await expect(client.rest.get('/guilds/1/nothing-here')).rejects.toBeInstanceOf(DiscordAPIError);
    const request = await fake.waitForRequest((r) => r.unknownRoute);
    expect(request).toMatchObject({ method: 'GET', path: '/api/v10/guilds/1/nothing-here', status: 404 });
    await expect(fake.waitForRequest((r) => r.path === '/never', 50)).rejects.toThrow(/GET \/api\/v10\/gateway\/bot -> 200/);
  });

  it('registers commands and resolves their ids in dispatched interactions', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const guildId = fake.guilds[0]?.id ?? '';
    const commands = await client.application?.commands.set([{ name: 'ask', description: 'Ask about the article' }], guildId);
    const registered = fake.registeredCommands(guildId);
    expect(registered).toMatchObject([{ name: 'ask', description: 'Ask about the article', guild_id: guildId }]);
    expect(commands?.first()?.id).toBe(registered[0]?.['id']);

    const received = nextInteraction(client);
    fake.dispatchInteraction(slashCommand('ask', []));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
    expect(interaction.commandId).toBe(registered[0]?.['id']);
  });

  it('acknowledges heartbeats', async () => {
    const fake = await fakeWith({ heartbeatIntervalMs: 100 });
    const client = await readyClient(fake);
    await vi.waitFor(
      () => {
        expect(fake.heartbeats).toBeGreaterThanOrEqual(1);
        expect(client.ws.ping).toBeGreaterThanOrEqual(0);
      },
      { timeout: 1000, interval: 20 },
    );
  });

  it('gives each shard only the guilds it owns', async () => {
    const own0 = snowflakeForShard(0, 2);
    const own1 = snowflakeForShard(1, 2);
    const fake = await fakeWith({
      shardAware: true,
      guilds: [
        { id: own0, name: 'zero' },
        { id: own1, name: 'one' },
      ],
    });
    const [client0, client1] = await Promise.all([
      readyClient(fake, { shards: 0, shardCount: 2 }),
      readyClient(fake, { shards: 1, shardCount: 2 }),
    ]);

    expect([...client0.guilds.cache.keys()]).toEqual([own0]);
    expect([...client1.guilds.cache.keys()]).toEqual([own1]);
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);

    const seenBy0: string[] = [];
    client0.on(Events.InteractionCreate, (interaction) => seenBy0.push(interaction.id));
    const received = nextInteraction(client1);
    const sent = fake.dispatchInteraction(slashCommand('ask', []), { guildId: own1 });
    expect((await received).id).toBe(sent.id);
    expect(seenBy0).toEqual([]);
  });

  it('takes a file with a reply and gives it back as an attachment, but refuses one over the upload limit', async () => {
    const fake = await fakeWith();
    const client = await readyClient(fake);
    const received = nextInteraction(client);
    const sent = fake.dispatchInteraction(slashCommand('map', []));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await interaction.reply({ content: 'picture', files: [{ attachment: Buffer.from('small'), name: 'small.png' }] });
    expect(fake.originalResponse(sent.id)?.attachments.map((a) => [a['filename'], a['size']])).toEqual([['small.png', 5]]);
    const big = Buffer.alloc(10_485_761);
    await expect(interaction.followUp({ files: [{ attachment: big, name: 'big.png' }] })).rejects.toMatchObject({ code: 40005 });
    expect(fake.followUps(sent.id)).toEqual([]);
  });

  it('stops listening when closed', async () => {
    const fake = await startFakeDiscord();
    await fake.close();
    const socket = connect(fake.port, '127.0.0.1');
    const [failure] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(failure.code).toBe('ECONNREFUSED');
  });
});
