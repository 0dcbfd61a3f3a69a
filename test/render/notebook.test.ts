/**
 * Executes notebooks/explore-corpus.ipynb headless with Jupyter and the tslab TypeScript kernel, as a
 * researcher would run it. The kernel spec is installed into a private prefix (JUPYTER_PATH), pointing
 * at this checkout's node_modules/.bin/tslab, so nothing global is touched. In CI Jupyter must be there
 * (scripts/install-system-deps.sh); elsewhere the test is skipped with a note when it is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const NOTEBOOK = join(ROOT, 'notebooks', 'explore-corpus.ipynb');
const TSLAB = resolve(ROOT, 'node_modules', '.bin', 'tslab');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function jupyterAvailable(): boolean {
  return spawnSync('jupyter', ['nbconvert', '--version'], { stdio: 'ignore' }).status === 0;
}

const available = jupyterAvailable() && existsSync(TSLAB);
if (!available && process.env.CI) throw new Error('CI needs jupyter nbconvert (scripts/install-system-deps.sh) and tslab (npm ci)');

interface NotebookOutput {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
interface Notebook {
  cells: { cell_type: string; outputs?: NotebookOutput[] }[];
}

const joinText = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));

describe('notebooks', () => {
  const work = mkdtempSync(join(tmpdir(), 'ogi-notebook-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.skipIf(!available)(
    'explore-corpus.ipynb runs top to bottom in the tslab kernel and draws its chart',
    () => {
      const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: join(work, 'share', 'jupyter') };
      delete env.NODE_OPTIONS; // the kernel is a plain node process, not one of vitest's workers
      execFileSync(TSLAB, ['install', `--python=${PYTHON}`, `--binary=${TSLAB}`, `--prefix=${work}`], { env, stdio: 'pipe' });
      const executed = join(work, 'executed.ipynb');
      const run = spawnSync(
        'jupyter',
        ['nbconvert', '--execute', '--to', 'notebook', '--output', executed, '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.kernel_name=tslab', NOTEBOOK],
        { env, cwd: join(ROOT, 'notebooks'), encoding: 'utf8', timeout: 280_000 },
      );
      expect(run.status, `nbconvert failed:\n${run.stderr.slice(-3000)}`).toBe(0);

      const nb = JSON.parse(readFileSync(executed, 'utf8')) as Notebook;
      const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
      expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
      const text = outputs.map((o) => joinText(o.text)).join('');
      const reports = Number(/(\d+) reports, \d+ statements/.exec(text)?.[1]);
      expect(reports).toBeGreaterThan(10);
      expect(text).toMatch(/\d+ of \d+ reports kept/);
      const html = outputs.map((o) => joinText(o.data?.['text/html'])).join('\n');
      // The custom chart: an SVG from the renderer, with its Chinese title as text.
      expect(html).toMatch(/<svg[^>]*class="marks"/);
      expect(html).toContain('本年新收申请数与公开率');
    },
    300_000,
  );
});
