import { MessageFlags } from 'discord-api-types/v10';
import type { MessagePayload } from '../reply/types.js';

/** A reply payload in the shape discord.js's reply/update/followUp take. */
export function toDiscordJs(payload: MessagePayload) {
  return {
    content: payload.content ?? '',
    embeds: [...payload.embeds],
    components: [...payload.components],
    allowedMentions: { parse: [], users: [...(payload.allowed_mentions.users ?? [])] },
    ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
    ...(payload.files
      ? {
          files: payload.files.map((file) => ({
            attachment: Buffer.from(file.data),
            name: file.name,
            ...(file.description === undefined ? {} : { description: file.description }),
          })),
        }
      : {}),
  };
}
