import { parentPort, workerData } from 'node:worker_threads';
import { loadCorpus } from '../corpus/load.js';
import { extractEntities } from './extract.js';

// Extraction over a large corpus takes seconds of CPU; here it runs off the thread that answers Discord.
const { corpusDir } = workerData as { corpusDir: string };
// The caller has read this corpus already, so it parses; a file that broke since is left out.
const { articles } = await loadCorpus(corpusDir);
parentPort?.postMessage(extractEntities(articles));
