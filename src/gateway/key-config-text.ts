// Edits gateway.keys in a fleet config's YAML text with the yaml Document API, so comments and
// layout of the rest of the file survive `orchestra keys add/remove`.
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { AppError } from '../core/errors/index.ts';

export interface KeyEntry {
  name: string;
  hash: string;
  aliases?: string[];
}

function parse(text: string, file: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new AppError('config_invalid', `${file}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents))
    throw new AppError('config_invalid', `${file}: expected a mapping with servers and models`);
  return doc;
}

function entries(doc: Document): KeyEntry[] {
  const keys: unknown = doc.getIn(['gateway', 'keys']);
  if (keys === undefined || keys === null) return [];
  if (!isSeq(keys)) throw new AppError('config_invalid', 'gateway.keys: expected a list of keys');
  return keys.toJSON().map((k) => k as KeyEntry);
}

export function listKeysInText(text: string, file: string): KeyEntry[] {
  return entries(parse(text, file));
}

/** the text with `entry` appended to gateway.keys; AppError when the name is taken or an alias unknown */
export function addKeyToText(text: string, file: string, entry: KeyEntry): string {
  const doc = parse(text, file);
  if (!/^[\w.@-]+$/.test(entry.name))
    throw new AppError(
      'bad_request',
      `key name ${JSON.stringify(entry.name)}: expected letters, digits, . _ - @`,
    );
  if (entries(doc).some((k) => k.name === entry.name))
    throw new AppError('bad_request', `${file}: a key named ${entry.name} exists already (remove it first)`);
  const aliasMap = doc.get('aliases');
  const known = isMap(aliasMap)
    ? aliasMap.items.map((i) => String((i.key as { value?: unknown }).value ?? i.key))
    : [];
  for (const a of entry.aliases ?? [])
    if (!known.includes(a))
      throw new AppError(
        'bad_request',
        `alias ${JSON.stringify(a)} is not in ${file} (aliases: ${known.join(', ') || 'none'})`,
      );
  const node = doc.createNode(entry.aliases ? entry : { name: entry.name, hash: entry.hash });
  if (isSeq(doc.getIn(['gateway', 'keys']))) doc.addIn(['gateway', 'keys'], node);
  else doc.setIn(['gateway', 'keys'], doc.createNode([node]));
  return doc.toString();
}

/** the text without the key `name`; AppError 'not_found' when there is none */
export function removeKeyFromText(text: string, file: string, name: string): string {
  const doc = parse(text, file);
  const index = entries(doc).findIndex((k) => k.name === name);
  if (index < 0) throw new AppError('not_found', `${file}: no key named ${name}`);
  doc.deleteIn(['gateway', 'keys', index]);
  return doc.toString();
}
