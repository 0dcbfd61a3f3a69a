/**
 * The incremental store: a SQLite file (better-sqlite3) keyed by content hash, so a re-run over a grown
 * corpus parses only new or changed files. Table layout for SQL users: src/batch/STORE.md.
 *
 * - A cached parse is valid only for the same bytes (sha256) AND the same parse version string (a hash
 *   of the parser/validator code and data, see version.ts): a code change invalidates it.
 * - Statements are cached per NLP version (code + taxonomy + dictionaries + user words).
 * - Unchanged files are recognised from the `files` table by path + size + mtime without re-reading
 *   their bytes (as git does), which keeps an unchanged re-run cheap.
 * - A store that cannot be opened or fails `PRAGMA quick_check` (every open up to 256 MB; larger stores
 *   after a run met a damaged page) is renamed aside and rebuilt with a warning. WAL + busy_timeout + one transaction per file let two runs share a store safely.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ManifestRow, ReportRecord, Statement } from '../model/types.js';
import type { BatchFileResult, FileIdentity } from './types.js';
import { reportHead, type StoredReport } from './prepared.js';

type DB = Database.Database;

/** Bump when the table layout changes: an older store is then rebuilt. */
export const STORE_SCHEMA_VERSION = 3;

/** The statement that reads a store's layout version (any version: an older one is rebuilt). */
const SELECT_SCHEMA_VERSION = `SELECT value FROM meta WHERE key = 'schema_version'`;

/**
 * Why `path` is not a file to use as a store: a folder, a file that is not SQLite, or another program's
 * SQLite database (no ogi layout version). Those are the user's: open() would move them aside or add
 * tables. Null for a new or empty file, an ogi store of any layout version, or one too damaged to
 * read, which open() moves aside and rebuilds.
 */
export function notAStore(path: string): string | null {
  let head = Buffer.alloc(16);
  try {
    const fd = openSync(path, 'r');
    try {
      head = head.subarray(0, readSync(fd, head, 0, 16, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a folder' : null; // missing or unreadable: open() says
  }
  if (head.length === 0) return null;
  if (head.toString('latin1') !== 'SQLite format 3\0') return 'is not an SQLite file (an ogi store)';
  let tables: string[];
  let versioned = false;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
      versioned = tables.includes('meta') && isVersioned(db);
    } finally {
      db.close();
    }
  } catch {
    return null; // damaged
  }
  if (tables.length === 0 || versioned) return null;
  return `is an SQLite database but not an ogi store (tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''})`;
}

/** Whether a database's meta table carries an ogi layout version (a foreign meta table may not even have its columns). */
function isVersioned(db: Database.Database): boolean {
  try {
    return db.prepare(SELECT_SCHEMA_VERSION).get() !== undefined;
  } catch {
    return false;
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  parse_version TEXT NOT NULL,
  status TEXT NOT NULL,
  reports INTEGER NOT NULL,
  message TEXT NOT NULL,
  seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_hash ON files(content_hash);
CREATE TABLE IF NOT EXISTS results (
  content_hash TEXT PRIMARY KEY,
  parse_version TEXT NOT NULL,
  status TEXT NOT NULL,
  reports INTEGER NOT NULL,
  message TEXT NOT NULL,
  nlp_version TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  report_id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  seq INTEGER NOT NULL,
  path TEXT NOT NULL,
  title TEXT,
  agency TEXT,
  level TEXT,
  region TEXT,
  year INTEGER,
  template TEXT NOT NULL,
  errors INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_hash ON reports(content_hash, seq);
-- Cells are a view over each record's JSON, not rows of their own: writing ~220 rows and index entries per
-- report cost ~85% of the store's write time and half its size, while a query over the view is only ~2×
-- slower than over a table (a single report's cells come from one primary-key lookup).
CREATE VIEW IF NOT EXISTS cells AS
SELECT r.report_id AS report_id, t.key AS table_name, rw.key AS row_key, c.key AS col_key,
  CAST(json_extract(c.value, '$.value') AS REAL) AS value, json_extract(c.value, '$.raw') AS raw, json_extract(c.value, '$.status') AS status
FROM reports AS r, json_each(r.json, '$.tables') AS t, json_each(t.value) AS rw, json_each(rw.value) AS c
WHERE t.type = 'object';
CREATE TABLE IF NOT EXISTS findings (
  report_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  cells TEXT NOT NULL,
  PRIMARY KEY (report_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule);
CREATE TABLE IF NOT EXISTS statements (
  report_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  idx INTEGER NOT NULL,
  text TEXT NOT NULL,
  tokens TEXT NOT NULL,
  themes TEXT NOT NULL,
  top_theme TEXT,
  top_score REAL,
  vague INTEGER,
  "offset" INTEGER,
  pos INTEGER NOT NULL,
  PRIMARY KEY (report_id, kind, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS statements_theme ON statements(top_theme);
`;

export interface StoreOpenOptions {
  /** Version string of the parse stage (see version.ts); cached parses of another version are stale. */
  parseVersion: string;
  /** Version string of the NLP stage; cached statements of another version are stale. */
  nlpVersion?: string;
  /**
   * PRAGMA quick_check on open: true always, false never, 'auto' (default) when the store is at most
   * QUICK_CHECK_MAX_BYTES or a previous run met a corrupt page (see markSuspect). quick_check reads the
   * whole file (~3 s per GB), which would dominate an unchanged re-run of a large corpus; header and
   * schema damage is caught by the open itself, and page damage met later by markSuspect.
   */
  verify?: boolean | 'auto';
  /** Where warnings go (default: process.stderr). */
  warn?: (message: string) => void;
  /** busy_timeout in ms, how long a writer waits for another run's transaction (default 30 s). */
  busyTimeoutMs?: number;
  /**
   * Move an unusable store aside and build a new one (default true). False for a second connection to
   * a store the run already opened (the store-writer thread): a failure to open is thrown, never taken
   * for damage, since the run's own connection is using that file.
   */
  rebuild?: boolean;
}

/** A cache hit: the stored result for these bytes, re-labelled with the path it was asked for. */
export interface StoreHit {
  result: BatchFileResult;
  identity: FileIdentity;
}

/** Stores up to this size are quick_check-ed on every open (verify: 'auto'). */
export const QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024;

/** Marker beside a store that met a corrupt page: the next open runs quick_check whatever its size. */
const suspectMarker = (path: string) => `${path}.needs-check`;

function shouldVerify(path: string, verify: boolean | 'auto'): boolean {
  if (verify === false || !existsSync(path)) return false;
  const size = statSync(path).size;
  if (size === 0) return false;
  return verify === true || size <= QUICK_CHECK_MAX_BYTES || existsSync(suspectMarker(path));
}

/** SQLite result codes that mean the file itself is damaged. */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

function isoNow(): string {
  return new Date().toISOString();
}

/** Fresh "name.corrupt-<time>" beside the store, for a file we must move out of the way. */
function asideName(path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `${path}.corrupt-${stamp}`;
}

function withPath(result: BatchFileResult, path: string): BatchFileResult {
  if (result.manifest.path === path && result.reports.every((r) => r.source.path === path)) return result;
  return {
    ...result,
    manifest: { ...result.manifest, path },
    reports: result.reports.map((r) => ({ ...r, source: { ...r.source, path } })),
  };
}

export class BatchStore {
  readonly path: string;
  readonly parseVersion: string;
  readonly nlpVersion: string | null;
  /** Both versions, as a stored result's check takes them (currentHead, readStored). */
  private readonly versions: StoreVersions;
  /** Warnings raised while opening (e.g. a corrupt store was moved aside). */
  readonly warnings: string[] = [];
  private readonly db: DB;
  private readonly stmt: ReturnType<BatchStore['prepare']>;
  private readonly warn: (message: string) => void;
  /** Set when a damaged page was met: the store is bypassed for the rest of the run. */
  private suspect = false;

  private constructor(path: string, db: DB, opts: StoreOpenOptions, warnings: string[]) {
    this.path = path;
    this.warn = opts.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
    this.db = db;
    this.parseVersion = opts.parseVersion;
    this.nlpVersion = opts.nlpVersion ?? null;
    this.versions = { parseVersion: this.parseVersion, nlpVersion: this.nlpVersion };
    this.warnings.push(...warnings);
    this.stmt = this.prepare();
  }

  /**
   * Opens (or creates) the store at `path`. A file that is not a readable SQLite database of this
   * schema, or fails quick_check, is renamed to "<path>.corrupt-<time>" and a new store is built.
   */
  static open(path: string, opts: StoreOpenOptions): BatchStore {
    const warn = opts.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
    const warnings: string[] = [];
    mkdirSync(dirname(path), { recursive: true });
    let db: DB;
    try {
      db = BatchStore.connect(path, opts);
    } catch (err) {
      if (opts.rebuild === false) throw err;
      const aside = asideName(path);
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
      }
      rmSync(suspectMarker(path), { force: true });
      const message = `store ${path} is unusable (${(err as Error).message}); moved to ${aside} and rebuilt`;
      warnings.push(message);
      warn(message);
      db = BatchStore.connect(path, opts);
    }
    return new BatchStore(path, db, opts, warnings);
  }

  private static connect(path: string, opts: StoreOpenOptions): DB {
    const db = new Database(path, { timeout: opts.busyTimeoutMs ?? 30_000 });
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the tail.
      db.pragma('synchronous = NORMAL');
      if (shouldVerify(path, opts.verify ?? 'auto')) {
        const check = db.pragma('quick_check', { simple: true });
        if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
        rmSync(suspectMarker(path), { force: true });
      }
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(SCHEMA);
        const row = db.prepare(SELECT_SCHEMA_VERSION).get() as
          | { value: string }
          | undefined;
        if (!row) {
          db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(STORE_SCHEMA_VERSION));
        } else if (row.value !== String(STORE_SCHEMA_VERSION)) {
          throw new Error(`schema version ${row.value}, expected ${STORE_SCHEMA_VERSION}`);
        }
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  }

  private prepare() {
    const db = this.db;
    return {
      ...readStatements(db),
      fileByPath: db.prepare<[string], { content_hash: string; size: number; mtime_ms: number; parse_version: string }>(
        'SELECT content_hash, size, mtime_ms, parse_version FROM files WHERE path = ?',
      ),
      upsertFile: db.prepare(
        `INSERT INTO files (path, content_hash, size, mtime_ms, parse_version, status, reports, message, seen_at)
         VALUES (@path, @content_hash, @size, @mtime_ms, @parse_version, @status, @reports, @message, @seen_at)
         ON CONFLICT(path) DO UPDATE SET content_hash = excluded.content_hash, size = excluded.size,
           mtime_ms = excluded.mtime_ms, parse_version = excluded.parse_version, status = excluded.status,
           reports = excluded.reports, message = excluded.message, seen_at = excluded.seen_at`,
      ),
      upsertResult: db.prepare(
        `INSERT INTO results (content_hash, parse_version, status, reports, message, nlp_version, created_at)
         VALUES (@content_hash, @parse_version, @status, @reports, @message, @nlp_version, @created_at)
         ON CONFLICT(content_hash) DO UPDATE SET parse_version = excluded.parse_version, status = excluded.status,
           reports = excluded.reports, message = excluded.message, nlp_version = excluded.nlp_version,
           created_at = excluded.created_at`,
      ),
      setNlpVersion: db.prepare('UPDATE results SET nlp_version = ? WHERE content_hash = ?'),
      reportIdsOf: db.prepare<[string], { report_id: string }>('SELECT report_id FROM reports WHERE content_hash = ?'),
      deleteReports: db.prepare('DELETE FROM reports WHERE content_hash = ?'),
      deleteFindings: db.prepare('DELETE FROM findings WHERE report_id = ?'),
      deleteStatements: db.prepare('DELETE FROM statements WHERE report_id = ?'),
      insertReport: db.prepare(
        // json comes as text or as its UTF-8 bytes (a worker's buffer): CAST keeps it TEXT either way.
        `INSERT OR REPLACE INTO reports (report_id, content_hash, seq, path, title, agency, level, region, year, template, errors, warnings, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT))`,
      ),
      insertFinding: db.prepare('INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?, ?, ?)'),
      insertStatement: db.prepare('INSERT OR REPLACE INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  /**
   * Whether any stored result was parsed by the current parse version. When none was (a first run, or
   * the first after the parser changed), no file can be a cache hit, so a run need not hash its inputs
   * up front: the workers' hashes of the bytes they read identify the results it stores.
   */
  hasCurrentResults(): boolean {
    return this.guard(false, () => this.db.prepare('SELECT 1 FROM results WHERE parse_version = ? LIMIT 1').get(this.parseVersion) !== undefined);
  }

  /**
   * Runs `work` on the store unless it was set aside for this run; damage met on the way sets it aside
   * (markSuspect) and gives `fallback`, as if nothing were stored. Other errors are thrown.
   */
  private guard<T>(fallback: T, work: () => T): T {
    if (this.suspect) return fallback;
    try {
      return work();
    } catch (err) {
      if (!isCorruption(err)) throw err;
      this.markSuspect(err);
      return fallback;
    }
  }

  /**
   * The content hash of `path` if the store saw the same path with the same size and mtime under the
   * current parse version (so the bytes need not be read again), else null.
   */
  knownHash(path: string, size: number, mtimeMs: number): string | null {
    const row = this.guard(undefined, () => this.stmt.fileByPath.get(path));
    if (!row || row.size !== size || row.mtime_ms !== mtimeMs || row.parse_version !== this.parseVersion) return null;
    return row.content_hash;
  }

  /**
   * The stored result for these bytes under the current versions, or undefined. With `withStatements`
   * a hit also needs statements of the current NLP version.
   */
  get(identity: FileIdentity, withStatements = false): BatchFileResult | undefined {
    return this.guard(undefined, () => readStored(this.stmt, this.versions, identity, withStatements));
  }

  /** Adds a warning to this run's (shown as it happens and kept in `warnings`). */
  note(message: string): void {
    this.warnings.push(message);
    this.warn(message);
  }

  /**
   * The store met a damaged page: stop using it for this run (every file is parsed), warn, and leave a
   * marker so the next open runs quick_check and rebuilds the store if it fails.
   */
  markSuspect(err: unknown): void {
    if (this.suspect) return;
    this.suspect = true;
    const message = `store ${this.path} is damaged (${(err as Error).message}); not used for the rest of this run, checked and rebuilt on the next`;
    this.note(message);
    try {
      writeFileSync(suspectMarker(this.path), `${isoNow()} ${(err as Error).message}\n`);
    } catch {
      // cannot write beside the store: the next open still catches header damage
    }
  }

  /**
   * Whether `get` would answer these bytes (same check, nothing but the results row read): a run that
   * has its workers read hits (StoreReader) asks this in the main thread.
   */
  has(identity: FileIdentity, withStatements = false): boolean {
    return this.guard(false, () => currentHead(this.stmt, this.versions, identity.hash, withStatements) !== undefined);
  }

  /** Records that `path` was seen with these bytes (for knownHash on the next run). */
  touch(identity: FileIdentity, manifest: ManifestRow): void {
    this.stmt.upsertFile.run({
      path: identity.path,
      content_hash: identity.hash,
      size: identity.size,
      mtime_ms: identity.mtimeMs,
      parse_version: this.parseVersion,
      status: manifest.status,
      reports: manifest.reports,
      message: manifest.message,
      seen_at: isoNow(),
    });
  }

  /** Stores the result of parsing `identity`'s bytes (replacing an older version's rows), in one transaction. */
  put(identity: FileIdentity, result: BatchFileResult): void {
    this.putMany([{ identity, result }]);
  }

  /** Stores several results in one transaction (much cheaper per file than one transaction each). */
  putMany(items: { identity: FileIdentity; result: BatchFileResult }[]): void {
    this.putWrites(items.map(({ identity, result }) => storeWriteOf(identity, result)));
  }

  /** As putMany, for results already in the rows the store writes (a store-writer thread gets these). */
  putWrites(items: readonly StoreWrite[]): void {
    const tx = this.db.transaction(() => {
      for (const item of items) this.write(item);
    });
    this.guard(undefined, () => tx.immediate());
  }

  /** Records only `files` rows (cache hits), in one transaction. */
  touchMany(items: { identity: FileIdentity; manifest: ManifestRow }[]): void {
    if (items.length === 0) return;
    const tx = this.db.transaction(() => {
      for (const { identity, manifest } of items) this.touch(identity, manifest);
    });
    this.guard(undefined, () => tx.immediate());
  }

  /**
   * Another connection of this run (the store-writer thread) met damage and said so (`message`, its
   * marker already written): this one stops using the store too.
   */
  stopForRun(message: string): void {
    if (this.suspect) return;
    this.suspect = true;
    this.note(message);
  }

  /** Whether a damaged page made this store stop for the rest of the run. */
  get isSuspect(): boolean {
    return this.suspect;
  }

  private write({ identity, manifest, reports, statements }: StoreWrite): void {
    const s = this.stmt;
    const hash = identity.hash;
    for (const { report_id } of s.reportIdsOf.all(hash)) {
      s.deleteFindings.run(report_id);
      s.deleteStatements.run(report_id);
    }
    s.deleteReports.run(hash);
    const nlpVersion = statements ? this.nlpVersion : null;
    s.upsertResult.run({
      content_hash: hash,
      parse_version: this.parseVersion,
      status: manifest.status,
      reports: reports.length,
      message: manifest.message,
      nlp_version: nlpVersion,
      created_at: isoNow(),
    });
    reports.forEach((row, seq) => {
      const { id, findings, head, json } = row;
      let errors = 0;
      let warnings = 0;
      for (const f of findings) {
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
      }
      s.insertReport.run(
        id, hash, seq, head.path, head.title, head.agency, head.level, head.region, head.year, head.template,
        errors, warnings, json,
      );
      findings.forEach((f, i) => {
        s.insertFinding.run(id, i, f.rule, f.severity, f.message, f.cells.join(' '));
      });
    });
    if (statements) this.writeStatements(statements);
    this.touch(identity, manifest);
  }

  private writeStatements(statements: Statement[]): void {
    statements.forEach((st, pos) => {
      const top = st.themes[0];
      this.stmt.insertStatement.run(
        st.report_id, st.kind, st.index, st.text, JSON.stringify(st.tokens), JSON.stringify(st.themes),
        top?.id ?? null, top?.score ?? null, st.vague ? 1 : 0, st.offset ?? null, pos,
      );
    });
  }

  /** Row counts per table (for summaries and tests). */
  counts(): Record<'files' | 'results' | 'reports' | 'cells' | 'findings' | 'statements', number> {
    const count = (t: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      files: count('files'),
      results: count('results'),
      reports: count('reports'),
      cells: count('cells'),
      findings: count('findings'),
      statements: count('statements'),
    };
  }

  /** The underlying connection, for read-only SQL (export). */
  get connection(): DB {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** One report as the store writes it: its JSON as text or as its UTF-8 bytes (CAST keeps it TEXT). */
export interface StoreRow extends Pick<StoredReport, 'id' | 'findings' | 'head'> {
  json: string | Uint8Array;
}

/** One file's result as the store writes it: plain data, so it can go to a store-writer thread. */
export interface StoreWrite {
  identity: FileIdentity;
  manifest: ManifestRow;
  reports: StoreRow[];
  statements?: Statement[];
}

/**
 * The rows of a result. A worker's result carries each record's JSON already (prepared): no second
 * stringify, and its bytes as the worker sent them (decoding ~18 KB a report to a string only for
 * SQLite to encode it again cost the main thread ~0.1 ms a report).
 */
export function storeWriteOf(identity: FileIdentity, result: BatchFileResult): StoreWrite {
  const reports: StoreRow[] = result.prepared
    ? result.prepared.map((p) => ({ id: p.id, json: p.jsonBytes ?? p.json, findings: p.findings, head: p.head }))
    : result.reports.map((r) => ({ id: r.id, json: JSON.stringify(r), findings: r.findings, head: reportHead(r) }));
  return { identity, manifest: result.manifest, reports, ...(result.statements ? { statements: result.statements } : {}) };
}

/** The statements a stored result is read with (BatchStore's and StoreReader's connections alike). */
function readStatements(db: DB) {
  return {
    result: db.prepare<[string], { parse_version: string; status: string; reports: number; message: string; nlp_version: string | null }>(
      'SELECT parse_version, status, reports, message, nlp_version FROM results WHERE content_hash = ?',
    ),
    reportsOf: db.prepare<[string], { json: string }>('SELECT json FROM reports WHERE content_hash = ? ORDER BY seq'),
    statementsOf: db.prepare<[string], StatementRow>(
      'SELECT report_id, kind, idx, text, tokens, themes, vague, "offset" FROM statements WHERE report_id = ? ORDER BY pos',
    ),
  };
}
type ReadStatements = ReturnType<typeof readStatements>;

/** Versions a stored result must carry to be a hit (nlpVersion null: the run has no NLP stage). */
export interface StoreVersions {
  parseVersion: string;
  nlpVersion: string | null;
}

/** The results row of `hash` when it is a hit under these versions (with statements: of this NLP version). */
function currentHead(stmt: ReadStatements, v: StoreVersions, hash: string, withStatements: boolean) {
  const head = stmt.result.get(hash);
  if (!head || head.parse_version !== v.parseVersion) return undefined;
  if (withStatements && (v.nlpVersion === null || head.nlp_version !== v.nlpVersion)) return undefined;
  return head;
}

function readStored(stmt: ReadStatements, v: StoreVersions, identity: FileIdentity, withStatements: boolean): BatchFileResult | undefined {
  const head = currentHead(stmt, v, identity.hash, withStatements);
  if (!head) return undefined;
  const reports = stmt.reportsOf.all(identity.hash).map((r) => JSON.parse(r.json) as ReportRecord);
  if (reports.length !== head.reports) return undefined;
  const manifest: ManifestRow = {
    path: identity.path,
    status: head.status as ManifestRow['status'],
    reports: head.reports,
    message: head.message,
  };
  const result: BatchFileResult = { manifest, reports };
  if (withStatements) {
    result.statements = reports.flatMap((r) => stmt.statementsOf.all(r.id).map(rowToStatement));
  }
  return withPath(result, identity.path);
}

/**
 * A read-only connection to a store, for a worker thread: it reads a cache hit's records (and
 * statements) and renders them for the outputs as it would a file it parsed, so an incremental run's
 * hits cost the main thread no more than its parses do. WAL lets it read while the main thread writes.
 */
export class StoreReader {
  private readonly db: DB;
  private readonly stmt: ReadStatements;
  private readonly versions: StoreVersions;

  constructor(path: string, versions: StoreVersions) {
    // A short wait: a reader is blocked only while a WAL file is reset, and a hit that waits longer is
    // better parsed than left to run into the per-file timeout.
    this.db = new Database(path, { readonly: true, fileMustExist: true, timeout: 1_000 });
    this.stmt = readStatements(this.db);
    this.versions = versions;
  }

  /** As BatchStore.get: a vanished row is a miss; a damaged page or a locked file throws (the caller parses the file). */
  get(identity: FileIdentity, withStatements: boolean): BatchFileResult | undefined {
    return readStored(this.stmt, this.versions, identity, withStatements);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface StatementRow {
  report_id: string;
  kind: string;
  idx: number;
  text: string;
  tokens: string;
  themes: string;
  vague: number | null;
  offset: number | null;
}

function rowToStatement(row: StatementRow): Statement {
  const st: Statement = {
    report_id: row.report_id,
    kind: row.kind as Statement['kind'],
    index: row.idx,
    text: row.text,
    tokens: JSON.parse(row.tokens) as string[],
    themes: JSON.parse(row.themes) as Statement['themes'],
    boilerplate: null,
  };
  // The NLP stage marks a vague statement `vague: true` and leaves the others without the key.
  if (row.vague === 1) st.vague = true;
  if (row.offset !== null) st.offset = row.offset;
  return st;
}
