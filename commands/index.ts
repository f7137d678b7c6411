import { ApplicationCommandType } from 'discord-api-types/v10';
import type { Command } from '../src/bot/types.js';
import article from './article.js';
import ask from './ask.js';
import findInArticle from './find-in-article.js';
import help from './help.js';
import map from './map.js';
import passage from './passage.js';
import quiz from './quiz.js';
import reading from './reading.js';
import whoIs from './who-is.js';

/** Every command the bot offers, keyed by name; a duplicate or malformed name fails at load. */
export function loadCommands(
  list: readonly Command[] = [ask, whoIs, passage, article, quiz, map, help, findInArticle, reading],
): ReadonlyMap<string, Command> {
  const commands = new Map<string, Command>();
  for (const command of list) {
    const { name } = command.data;
    const isMessageCommand = command.data.type === ApplicationCommandType.Message;
    if (!isMessageCommand && !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name))
      throw new Error(`command name '${name}' is not a valid slash command name`);
    if (commands.has(name)) throw new Error(`two commands are named '${name}'`);
    commands.set(name, command);
  }
  return commands;
}
