/**
 * The directory of people, places and bodies an article names, for /who-is.
 *
 * Built from the text at every corpus load, in two passes over the sentences (headings are not read):
 * 1. find names. A gazetteer (`gazetteer.json`: countries with capitals and demonyms, regions, well-known
 *    bodies) is matched longest-first; the capitalised runs left over are people when a title comes
 *    just before ("North Korean leader Kim Jong Un", "Defense Minister Sergei Shoigu") or a role in
 *    apposition after ("Ingrid Larsen, chief executive of …"), or when a verb of speech or a later use
 *    of the surname alone says so; bodies when they end in a word like Agency or Senate, or are acronyms.
 *    The role is the title phrase, attributed to the first sentence that states it.
 * 2. find mentions. Every name, alias, capital ("Pyongyang"), demonym ("Russian") and lone first name
 *    or surname ("Kim’s") is matched again; a surname shared by two people means the one named last.
 * Front matter `entities` corrects a kind or role, adds aliases, or adds a name the rules missed.
 * Both passes are linear in the text; lookups compare against names only, never the text.
 */
export { Directory, MAX_AUTOCOMPLETE, buildDirectory, toWhoIsJson } from './directory.js';
export type { Entity, EntityKind, Mention, Role, WhoIsResult } from './types.js';
