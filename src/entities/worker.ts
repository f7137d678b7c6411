import { parentPort, workerData } from 'node:worker_threads';
import { openCorpus } from '../search/open.js';
import { extractEntities } from './extract.js';

// Extraction over a large corpus takes seconds of CPU; here it runs off the thread that answers Discord.
const { corpusDir } = workerData as { corpusDir: string };
const { articles } = await openCorpus(corpusDir);
parentPort?.postMessage(extractEntities(articles));
