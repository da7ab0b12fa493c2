/**
 * Made-up exports of démarches simplifiées in their real shapes, of any size, written as streams (memory stays flat):
 * the API's JSON as pages of 100 nodes concatenated, and the spreadsheet's dossiers sheet as CSV. Deterministic for
 * a seed. `npx tsx bench/legacy-generate.ts 100000 /tmp/dossiers` writes dossiers.json and dossiers.csv there.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { seededRandom } from './sirene-names.ts';

const STATES = ['brouillon', 'en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'] as const;
const SHEET_STATES = ['Brouillon', 'En construction', 'En instruction', 'Accepté', 'Refusé', 'Classé sans suite'];
const PAGE_SIZE = 100;
const FIRST_NUMBER = 100_000;

/** A valid SIRET (Luhn) of a made-up commune: SIREN 2xxxxxxxx, establishment 00014-like. */
function siretOf(n: number): string {
  const base = `2${String(10_000_000 + (n % 89_999_999)).padStart(8, '0')}0001`;
  for (let check = 0; check < 10; check += 1) {
    const candidate = `${base}${check}`;
    let sum = 0;
    for (let i = 0; i < 14; i += 1) {
      let digit = Number(candidate[13 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

function dossierAt(i: number, next: () => number, firstNumber = FIRST_NUMBER) {
  const state = STATES[Math.floor(next() * STATES.length)]!;
  const deposited = Date.UTC(2016, 0, 1) + Math.floor(next() * 3.6 * 365 * 86_400_000);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const decided = ['accepte', 'refuse', 'sans_suite'].includes(state);
  return {
    number: firstNumber + i,
    state,
    sheetState: SHEET_STATES[STATES.indexOf(state)]!,
    email: `agent${i}@commune-${i % 5000}.fr`,
    siret: siretOf(i % 20_000),
    dateDepot: state === 'brouillon' ? null : iso(deposited),
    datePassageEnInstruction: ['en_construction', 'brouillon'].includes(state) ? null : iso(deposited + 86_400_000),
    dateTraitement: decided ? iso(deposited + 20 * 86_400_000) : null,
    dateDerniereModification: iso(deposited + 21 * 86_400_000),
    motivation: decided ? `Décision sur le dossier ${firstNumber + i} : voir le cadre juridique.` : null,
    champs: [
      { label: 'Cadre juridique', stringValue: `Délibération n° ${i} du conseil municipal` },
      {
        label: 'Description du cas d’usage',
        stringValue: 'Vérifier les pièces des candidats aux marchés publics.'.repeat(3),
      },
      { label: 'API demandées', stringValue: 'Attestations fiscales, attestations sociales' },
      { label: 'Délégué à la protection des données', stringValue: `dpd@commune-${i % 5000}.fr` },
    ],
  };
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** The API's pages: `{"data":{"demarche":{"dossiers":{"pageInfo":…,"nodes":[…]}}}}`, one after the other. */
export async function writeApiExport(
  file: string,
  count: number,
  seed = 42,
  firstNumber = FIRST_NUMBER,
): Promise<void> {
  const next = seededRandom(seed);
  const out = createWriteStream(file);
  for (let start = 0; start < count; start += PAGE_SIZE) {
    const nodes: string[] = [];
    for (let i = start; i < Math.min(count, start + PAGE_SIZE); i += 1) {
      const d = dossierAt(i, next, firstNumber);
      nodes.push(
        JSON.stringify({
          id: Buffer.from(`Dossier-${d.number}`).toString('base64'),
          number: d.number,
          state: d.state,
          dateDepot: d.dateDepot,
          datePassageEnInstruction: d.datePassageEnInstruction,
          dateTraitement: d.dateTraitement,
          dateDerniereModification: d.dateDerniereModification,
          motivation: d.motivation,
          usager: { email: d.email },
          demandeur: { __typename: 'PersonneMorale', siret: d.siret },
          champs: d.champs,
        }),
      );
    }
    const hasNextPage = start + PAGE_SIZE < count;
    await write(
      out,
      `{"data":{"demarche":{"number":1234,"dossiers":{"pageInfo":{"hasNextPage":${hasNextPage},"endCursor":"${start}"},"nodes":[${nodes.join(',')}]}}}}\n`,
    );
  }
  await close(out);
}

const HEADERS = ['ID', 'Email', 'Archivé', 'État du dossier', 'Dernière mise à jour le', 'Déposé le'];
const MORE = ['Passé en instruction le', 'Traité le', 'Motivation de la décision', 'Établissement SIRET'];
const sheetDate = (iso: string | null) => (iso ? iso.replace('T', ' ').replace('+00:00', ' +0000') : '');

/** The spreadsheet's dossiers sheet, one row per dossier, the procedure's fields after DS's own columns. */
export async function writeSheetExport(file: string, count: number, seed = 42): Promise<void> {
  const next = seededRandom(seed);
  const out = createWriteStream(file);
  const fields = dossierAt(0, seededRandom(seed)).champs.map((c) => c.label);
  await write(out, stringify([[...HEADERS, ...MORE, ...fields]]));
  for (let i = 0; i < count; i += 1) {
    const d = dossierAt(i, next);
    const row = [String(d.number), d.email, 'false', d.sheetState, sheetDate(d.dateDerniereModification)];
    row.push(sheetDate(d.dateDepot), sheetDate(d.datePassageEnInstruction), sheetDate(d.dateTraitement));
    row.push(d.motivation ?? '', d.siret, ...d.champs.map((c) => c.stringValue));
    await write(out, stringify([row]));
  }
  await close(out);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = process.argv[3] ?? '.';
  await mkdir(dir, { recursive: true });
  await writeApiExport(path.join(dir, 'dossiers.json'), count);
  await writeSheetExport(path.join(dir, 'dossiers.csv'), count);
  console.log(`${count} dossiers written to ${dir}/dossiers.json and ${dir}/dossiers.csv`);
}
