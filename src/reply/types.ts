import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';

/** Who may be pinged by a message: nobody, or the listed users. */
export interface AllowedMentions {
  readonly parse: readonly [];
  readonly users?: readonly string[];
}

/** A message as Discord's API takes it; every one is built by the reply module, within limits. */
export interface MessagePayload {
  readonly content?: string;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly APIActionRowComponent<APIComponentInMessageActionRow>[];
  readonly allowed_mentions: AllowedMentions;
  readonly ephemeral: boolean;
  /** Files uploaded with the message (sent as multipart); none when absent. */
  readonly files?: readonly Attachment[];
}

/** A file a message carries, e.g. a PNG picture. */
export interface Attachment {
  /** The file name Discord shows: letters, digits, dots, dashes. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Alt text. */
  readonly description?: string;
}

/** What a handler wants done with an interaction. */
export type Response =
  | { readonly kind: 'reply'; readonly payload: MessagePayload; readonly outcome?: Outcome }
  | {
      readonly kind: 'update';
      readonly payload: MessagePayload;
      /** A further message sent after the update, e.g. an ephemeral result for the member who pressed. */
      readonly followUp?: MessagePayload;
    }
  | { readonly kind: 'delete' }
  /** A form for the user to fill in; its submission comes back as a component request. */
  | { readonly kind: 'modal'; readonly modal: APIModalInteractionResponseCallbackData }
  /**
   * Work that may take longer than Discord's 3 seconds (a download, drawing a picture): the
   * interaction is acknowledged at once (a "thinking…" reply, or for a button a silent acknowledgement
   * of the update) and answered when `result` settles, with a reply (or, for `update`, the new message).
   * With `soon`, the work usually takes milliseconds (an answer re-ranked in the encoder's thread): the
   * transport waits a little for it and replies directly, deferring only if it is late (src/discord/deferral.ts).
   */
  | {
      readonly kind: 'defer';
      readonly ephemeral: boolean;
      readonly update?: boolean;
      readonly soon?: boolean;
      readonly result: () => Promise<Response>;
    };

/** What an answer found, for the interaction's log line. */
export interface Outcome {
  readonly results: number;
  readonly abstained: boolean;
}

/** A choice offered by autocomplete. */
export interface Choice {
  readonly name: string;
  readonly value: string | number;
}
