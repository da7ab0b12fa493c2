/**
 * The W3C Nu HTML checker (vnu.jar from the `vnu-jar` package) for the test suite, next to html-validate: documents are
 * collected in a batch, then checked by ONE Java run on a temporary directory of `.html` files (the JVM start-up,
 * about a second, is paid once per batch, not once per page).
 *
 * vnu is run as `java -jar vnu.jar --format json --stdout --verbose --exit-zero-always --skip-non-html --no-langdetect DIR`:
 * - `--stdout` puts the JSON report alone on stdout; `--verbose` then lists the files actually checked, one per line,
 *   on stderr (mixed with whatever the JVM prints there). vnu reports a missing or unreadable file as a mere
 *   *warning* ("File not found.") and an empty or missing directory as an empty report, so that listing is what
 *   proves every document was checked;
 * - `--exit-zero-always` keeps the exit code for failures of the checker itself (a StackOverflowError exits 1 with
 *   it), not for errors found in the documents;
 * - `--no-langdetect`: language detection only yields warnings, which are ignored here, and costs ~0.5 s a run.
 *
 * Only messages of `type: "error"` count (fatal parse errors are errors with `subType: "fatal"`); `info` messages,
 * warnings included (`type: "info", subType: "warning"`), are ignored; a `non-document-error` means the checker
 * failed, and throws.
 */
import { execFile, spawnSync, type ExecFileException } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The package's main module exports the jar's path (a String object, with a `vnu` helper that we do not use: it
// would download a Java runtime when none is found).
const requireCjs = createRequire(import.meta.url);
export const NU_JAR: string = String(requireCjs('vnu-jar') as unknown);

export const MISSING_JAVA =
  'Vérificateur Nu (W3C) indisponible : Java absent du PATH, installez-le avec apt-get install -y default-jre-headless';

let javaFound: boolean | undefined;

/** Whether a `java` command runs (`java -version`); the answer is kept for the rest of the process. */
export function javaAvailable(): boolean {
  if (javaFound === undefined) {
    const result = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 30_000 });
    javaFound = result.error === undefined && result.status === 0;
  }
  return javaFound;
}

/** One message of vnu's JSON report (`--format json`): positions are 1-based, `firstLine` is left out when it equals `lastLine`. */
type NuMessage = {
  type: string;
  subType?: string;
  url?: string;
  message?: string;
  extract?: string;
  firstLine?: number;
  firstColumn?: number;
  lastLine?: number;
  lastColumn?: number;
};

const FILE_NAME = /(doc-\d+\.html)$/;

function fileNameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return FILE_NAME.exec(decodeURIComponent(url))?.[1];
}

function describeMessage(m: NuMessage): string {
  return `${m.message ?? '(sans message)'}${m.url ? ` [${m.url}]` : ''}`;
}

/**
 * Turns one vnu run into one line per error, in the order of `files` (file name → `where`). `report` is vnu's stdout
 * (the JSON report), `checkedList` its stderr (the `--verbose` list of files checked, among JVM noise). Throws when the
 * report is not vnu's JSON, on a `non-document-error`, when a document is missing from the list of files checked, or
 * when an error names a file that is not in the batch.
 */
export function readNuReport(report: string, checkedList: string, files: ReadonlyMap<string, string>): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(report);
  } catch {
    throw new Error(`Vérificateur Nu : sortie JSON illisible : ${report.slice(0, 500)}`);
  }
  const messages = (parsed as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages))
    throw new Error(`Vérificateur Nu : rapport sans liste « messages » : ${report.slice(0, 500)}`);

  const failures = (messages as NuMessage[]).filter((m) => m.type === 'non-document-error');
  if (failures.length > 0) {
    throw new Error(`Vérificateur Nu en échec (non-document-error) : ${failures.map(describeMessage).join(' ; ')}`);
  }

  const checked = new Set(
    checkedList
      .split(/\r?\n/)
      .map((line) => fileNameOf(line.trim()))
      .filter((name) => name !== undefined),
  );
  const unchecked = [...files].filter(([name]) => !checked.has(name)).map(([, where]) => where);
  if (unchecked.length > 0) {
    throw new Error(`Vérificateur Nu : ${unchecked.length} document(s) non vérifié(s) : ${unchecked.join(', ')}`);
  }

  const byFile = new Map([...files].map(([name, where]) => [name, { where, lines: [] as string[] }]));
  for (const m of messages as NuMessage[]) {
    if (m.type !== 'error') continue;
    const name = fileNameOf(m.url);
    const document = name === undefined ? undefined : byFile.get(name);
    if (!document) throw new Error(`Vérificateur Nu : erreur sur un document inconnu du lot : ${describeMessage(m)}`);
    const line = m.firstLine ?? m.lastLine ?? '?';
    const column = m.firstColumn ?? m.lastColumn ?? '?';
    // The extract spans a few lines of source around the faulty markup: one line per error, so its whitespace is folded.
    const extract = m.extract === undefined ? '' : ` (extrait « ${m.extract.replace(/\s+/g, ' ').trim()} »)`;
    document.lines.push(`${document.where} : Nu ligne ${line}:${column} – ${m.message ?? '(sans message)'}${extract}`);
  }
  return [...byFile.values()].flatMap((d) => d.lines);
}

type JavaRun = { stdout: string; stderr: string; error: ExecFileException | null };

/** `java ARGS`, no shell; stdout and stderr are kept whatever the exit code. */
function runJava(args: string[]): Promise<JavaRun> {
  return new Promise((resolve) => {
    execFile(
      'java',
      args,
      { maxBuffer: 512 * 1024 * 1024, timeout: 10 * 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        resolve({ stdout, stderr, error });
      },
    );
  });
}

/**
 * Documents to check together: `add` each one with where it comes from (URL, mode, state), then `check` once. `check`
 * can be called again (the batch is kept); an empty batch gives no error without starting Java.
 */
export class NuBatch {
  readonly #documents: { where: string; html: string }[] = [];

  add(where: string, html: string): void {
    this.#documents.push({ where, html });
  }

  get size(): number {
    return this.#documents.length;
  }

  /** One line per Nu error: `${where} : Nu ligne L:C – message (extrait « … »)`. */
  async check(): Promise<string[]> {
    if (this.#documents.length === 0) return [];
    if (!javaAvailable()) throw new Error(MISSING_JAVA);
    const dir = await mkdtemp(path.join(tmpdir(), `signup-nu-${process.pid}-`));
    try {
      const files = new Map<string, string>();
      await Promise.all(
        this.#documents.map(({ where, html }, i) => {
          const name = `doc-${String(i).padStart(5, '0')}.html`;
          files.set(name, where);
          return writeFile(path.join(dir, name), html, 'utf8');
        }),
      );
      const args = [
        '-jar',
        NU_JAR,
        '--format',
        'json',
        '--stdout',
        '--verbose',
        '--exit-zero-always',
        '--skip-non-html',
        '--no-langdetect',
        dir,
      ];
      const result = await runJava(args);
      if (result.error) {
        // With --exit-zero-always, a non-zero exit is a failure of the checker (or of Java), never a verdict on the documents.
        const { code, signal } = result.error;
        const output = `${result.stderr}\n${result.stdout}`.trim().slice(0, 2000);
        const reason = result.error.message.split('\n')[0];
        throw new Error(
          `Vérificateur Nu en échec (code ${String(code ?? signal)}, ${reason})${output ? ` :\n${output}` : ''}`,
        );
      }
      // Lines come out in the order of `add`, whatever order vnu walked the directory in.
      return readNuReport(result.stdout, result.stderr, files);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
