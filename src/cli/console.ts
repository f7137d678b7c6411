import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { APIEmbed } from 'discord-api-types/v10';
import { logInteraction } from '../bot/log.js';
import { buttonKind } from '../reply/buttons.js';
import type { Router } from '../bot/router.js';
import type { CommandRequest, OptionValue } from '../bot/types.js';
import type { MessagePayload, Response } from '../reply/types.js';

const CONSOLE_USER = { id: '0', name: 'you' } as const;

/** Turns Discord Markdown into terminal text: bold as ANSI bold, escapes removed. */
function renderMarkdown(text: string, color: boolean): string {
  const bold = color ? '\u001b[1m$1\u001b[22m' : '$1';
  return text
    .replace(/\*\*([\s\S]+?)\*\*/g, bold)
    .replace(/(?<!\\)\*([^*\n]+)\*/g, '$1')
    .replace(/\\([^\w\s])/g, '$1')
    .replace(/@\u200b/g, '@');
}

function renderEmbed(embed: APIEmbed, color: boolean): string {
  const lines: string[] = [];
  const rule = '─'.repeat(60);
  lines.push(rule);
  if (embed.title) lines.push(renderMarkdown(`**${embed.title}**`, color) + (embed.url ? `  <${embed.url}>` : ''));
  if (embed.description) lines.push(renderMarkdown(embed.description, color));
  for (const field of embed.fields ?? [])
    lines.push(`${renderMarkdown(`**${field.name}:**`, color)} ${renderMarkdown(field.value, color)}`);
  if (embed.footer) lines.push(color ? `\u001b[2m${embed.footer.text}\u001b[22m` : embed.footer.text);
  return lines.join('\n');
}

/** A payload as the terminal shows it, with its buttons listed as words to type. */
export function renderPayload(payload: MessagePayload, color: boolean): string {
  const parts: string[] = [];
  if (payload.ephemeral) parts.push('(only you can see this)');
  if (payload.content) parts.push(renderMarkdown(payload.content, color));
  for (const embed of payload.embeds) parts.push(renderEmbed(embed, color));
  const buttons = payload.components.flatMap((row) => row.components).flatMap((c) => ('label' in c && c.label ? [c.label] : []));
  const quiz = payload.components.some((row) => row.components.some((c) => 'custom_id' in c && c.custom_id.startsWith('quiz:')));
  if (buttons.length > 0) parts.push(`[${buttons.join('] [')}]  (type ${quiz ? '“a”–“d” to answer, “next”' : '“more” or “delete”'})`);
  return parts.join('\n');
}

/**
 * Parses a console line into a command request. `/ask What is juche?` puts the rest of the line in
 * the command's first option; `name: value` pairs set options by name, as in Discord.
 */
export function parseConsoleLine(line: string, optionNames: (command: string) => readonly string[]): CommandRequest | null {
  const match = /^\/?([\w-]+)\s*([\s\S]*)$/.exec(line.trim());
  if (!match?.[1]) return null;
  const commandName = match[1].toLowerCase();
  const rest = (match[2] ?? '').trim();
  const names = optionNames(commandName);
  const options = new Map<string, OptionValue>();
  const pairs = [...rest.matchAll(/(?:^|\s)([\w-]+):\s*/g)].filter((m) => names.includes(m[1] ?? ''));
  if (pairs.length > 0) {
    pairs.forEach((pair, i) => {
      const start = (pair.index ?? 0) + pair[0].length;
      const end = pairs[i + 1]?.index ?? rest.length;
      const value = rest.slice(start, end).trim();
      options.set(pair[1] ?? '', value === 'true' ? true : value === 'false' ? false : /^-?\d+$/.test(value) ? Number(value) : value);
    });
  } else if (rest !== '' && names[0] !== undefined) {
    options.set(names[0], /^-?\d+$/.test(rest) ? Number(rest) : rest);
  }
  return { commandName, user: CONSOLE_USER, guildId: null, options };
}

/**
 * The local console: the bot's own commands typed in a terminal, answered by the same handlers
 * and rendered as text, for trying the bot without a Discord account.
 */
export function runConsole(
  router: Router,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  color: boolean,
  onDone?: () => void,
): Interface {
  const rl = createInterface({ input, output, prompt: '> ' });
  const optionNames = (name: string): readonly string[] => {
    const data = router.commands.get(name)?.data;
    return data && 'options' in data ? (data.options ?? []).map((option) => option.name) : [];
  };
  let last: MessagePayload | null = null;
  const show = (response: Response): Promise<void> | void => {
    if (response.kind === 'delete') {
      output.write('(answer deleted)\n');
      last = null;
      return;
    }
    if (response.kind === 'modal') {
      output.write('(this opens a form, which only Discord can show)\n');
      return;
    }
    if (response.kind === 'defer' && response.soon === true) {
      // Milliseconds of work (re-ranking): the next line waits for this answer, so answers keep their order.
      return response.result().then(show, (err: unknown) => router.context.logger.error({ err }, 'reply failed'));
    }
    if (response.kind === 'defer') {
      output.write('(working on it…)\n');
      void response.result().then(
        (settled) => {
          void show(settled);
          rl.prompt();
        },
        (err: unknown) => router.context.logger.error({ err }, 'deferred reply failed'),
      );
      return;
    }
    // Buttons are pressed by typing their word; remember the last message that had any.
    if (response.payload.components.length > 0) last = response.payload;
    output.write(`${renderPayload(response.payload, color)}\n`);
    for (const file of response.payload.files ?? []) {
      const saved = join(tmpdir(), `article-bot-${Date.now()}-${file.name}`);
      writeFileSync(saved, file.data);
      output.write(`(attachment ${file.name}, ${Math.ceil(file.data.byteLength / 1024)} KB, saved as ${saved})\n`);
    }
    if (response.kind === 'update' && response.followUp) output.write(`${renderPayload(response.followUp, color)}\n`);
  };
  output.write(
    `Local console: type a command as in Discord, e.g. /ask ${router.context.library(null).examples().question}\nCommands: /ask, /who-is, /passage, /article, /quiz, /map, /help. Ctrl+D to quit.\n`,
  );
  rl.prompt();
  // One line at a time: a reply that takes a moment is shown before the next line is read.
  let turn: Promise<void> = Promise.resolve();
  rl.on('line', (line) => {
    turn = turn.then(() => answerLine(line));
  });
  rl.on('close', () => {
    void turn.then(() => onDone?.());
  });
  const answerLine = async (line: string): Promise<void> => {
    const text = line.trim();
    if (text === '') return rl.prompt();
    const quizPress = /^([abcd]|next)$/i.exec(text)?.[1]?.toLowerCase();
    const quizIds = (last?.components ?? []).flatMap((row) => row.components).flatMap((c) => ('custom_id' in c ? [c.custom_id] : []));
    if (quizPress && quizIds.some((id) => id.startsWith('quiz:'))) {
      const customId = quizPress === 'next' ? quizIds.find((id) => id.startsWith('quiz:n:')) : quizIds['abcd'.indexOf(quizPress)];
      if (customId && last)
        await show(router.component({ customId, user: CONSOLE_USER, message: { content: last.content ?? '', embeds: last.embeds } }));
      return rl.prompt();
    }
    const pressed = /^(more|delete)$/i.exec(text)?.[1]?.toLowerCase();
    if (pressed) {
      const customId = last?.components
        .flatMap((row) => row.components)
        .flatMap((c) => ('custom_id' in c ? [c.custom_id] : []))
        .find((id) => buttonKind(id) === pressed);
      if (!customId || !last) output.write(`There is no “${pressed}” button on the last answer.\n`);
      else {
        const started = performance.now();
        const response = router.component({ customId, user: CONSOLE_USER, message: { content: last.content ?? '', embeds: last.embeds } });
        logInteraction(router.context.logger, {
          transport: 'console',
          interactionId: null,
          kind: 'button',
          command: pressed,
          userId: CONSOLE_USER.id,
          guildId: null,
          startedAt: started,
          response,
        });
        await show(response);
      }
      return rl.prompt();
    }
    const request = parseConsoleLine(text.startsWith('/') ? text : `/ask ${text}`, optionNames);
    if (request) {
      const started = performance.now();
      const response = router.command(request);
      logInteraction(router.context.logger, {
        transport: 'console',
        interactionId: null,
        kind: 'command',
        command: request.commandName,
        userId: request.user.id,
        guildId: null,
        startedAt: started,
        response,
      });
      await show(response);
    }
    rl.prompt();
  };
  return rl;
}
