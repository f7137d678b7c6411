import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fixture corpus: a copy of the seed article and the alias table. Tests read this, never the
 * live `corpus/`, which belongs to whoever runs the bot: adding a reading there must change no
 * test result (test/corpus/live.test.ts only checks that `corpus/` is valid).
 */
export const FIXTURE_CORPUS = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
/** The same, relative to the repository root, for child processes started there. */
export const FIXTURE_CORPUS_RELATIVE = 'test/fixtures/corpus';
export const SEED_ARTICLE = path.join(FIXTURE_CORPUS, 'kim-putin-secret-talks.md');
export const SEED_ALIASES = path.join(FIXTURE_CORPUS, 'aliases.yaml');
