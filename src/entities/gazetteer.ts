import data from './gazetteer.json' with { type: 'json' };
import { nameKey } from './tokens.js';

/** A country, region or well-known body that an article may name without introducing it. */
export interface GazetteerEntry {
  readonly name: string;
  readonly kind: 'place' | 'organization';
  /** Other names, the capital included: each brings the entry into the directory when the text uses it. */
  readonly aliases: readonly string[];
  /** Adjective forms ("North Korean"): mentions of the entry, but never a reason to list it. */
  readonly demonyms: readonly string[];
  /** Names (keys) that are also common given names or surnames ("Victoria", "Jordan", "Washington"). */
  readonly weak: ReadonlySet<string>;
}

interface RawPlace {
  name: string;
  capital?: string;
  demonyms: string[];
  aliases?: string[];
  weak?: boolean;
}

interface RawOrganization {
  name: string;
  aliases: string[];
}

function placeEntry(raw: RawPlace): GazetteerEntry {
  const aliases = [...(raw.aliases ?? [])];
  const weak = new Set<string>();
  if (raw.weak === true) weak.add(nameKey(raw.name));
  if (raw.capital !== undefined && nameKey(raw.capital) !== nameKey(raw.name)) {
    aliases.push(raw.capital);
    // A one-word capital doubles as a name ("Victoria", "Santiago", "Sofia", "Washington").
    if (!nameKey(raw.capital).includes(' ')) weak.add(nameKey(raw.capital));
  }
  return { name: raw.name, kind: 'place', aliases, demonyms: raw.demonyms, weak };
}

/**
 * The gazetteer shipped in `gazetteer.json`. Kept by hand rather than taken from `world-countries`
 * (evaluated 2026-12-01): that package has countries, capitals and demonyms, but not the regions,
 * international bodies and news agencies listed here, nor the `weak` flags (Chad, Georgia, Jordan…)
 * that keep a given name from being taken for a country, so half of this file would stay anyway.
 */
export const GAZETTEER: readonly GazetteerEntry[] = [
  ...(data.places as RawPlace[]).map(placeEntry),
  ...(data.organizations as RawOrganization[]).map((raw): GazetteerEntry => ({
    name: raw.name,
    kind: 'organization',
    aliases: raw.aliases,
    demonyms: [],
    weak: new Set(),
  })),
];
