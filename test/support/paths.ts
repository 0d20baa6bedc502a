import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DATA = path.resolve(ROOT, '../shared/data');
export const TEMPLATE_FILE = pathToFileURL(path.join(ROOT, 'node_modules/.cache/carnet-test/template.tar'));
