import { parentPort, workerData } from 'node:worker_threads';
import type { Article } from '../corpus/types.js';
import { extractEntities } from './extract.js';

// Extraction over a large corpus takes seconds of CPU; here it runs off the thread that answers
// Discord, over the articles the index was built from (never a second read of the folder).
const { articles } = workerData as { articles: Article[] };
parentPort?.postMessage(extractEntities(articles));
