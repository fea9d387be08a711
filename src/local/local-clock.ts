import fs from 'node:fs';
import path from 'node:path';

/**
 * Local mode's one clock: real time plus an offset the demo skips forward. The offset and the
 * latest instant the clocks were moved to are kept in a small JSON file in DATA_DIR (beside the
 * emulator's state), so a restart resumes where the clock stood and it never runs backwards —
 * not even when the machine's own clock is set back: `now()` is never before that instant.
 */
export interface LocalClock {
  now(): Date;
  offsetDays(): number;
  /** Moves the clock forward by `ms` (> 0), saves it, and answers the new time (whole seconds). */
  moveForward(ms: number): Date;
}

interface SavedClock {
  offset_ms: number;
  /** The latest instant the clock was moved to (ISO 8601): the floor `now()` never goes below. */
  reached: string;
}

const DAY_MS = 86_400_000;

export function createLocalClock(options: { statePath?: string; realNow?: () => number } = {}): LocalClock {
  const realNow = options.realNow ?? (() => Date.now());
  const saved = options.statePath ? readSaved(options.statePath) : null;
  let offsetMs = saved?.offset_ms ?? 0;
  let reachedMs = saved ? Date.parse(saved.reached) : 0;
  const now = () => new Date(Math.max(realNow() + offsetMs, reachedMs));
  return {
    now,
    offsetDays: () => offsetMs / DAY_MS,
    moveForward: (ms) => {
      if (!Number.isFinite(ms) || ms <= 0) throw new Error('the local clock only moves forward');
      // NOTE: the new time is taken to the whole second (Stripe's clocks count seconds), never below the old one.
      const target = Math.ceil((now().getTime() + ms) / 1000) * 1000;
      offsetMs += ms;
      reachedMs = target;
      if (options.statePath)
        writeSaved(options.statePath, { offset_ms: offsetMs, reached: new Date(target).toISOString() });
      return new Date(target);
    },
  };
}

function readSaved(file: string): SavedClock | null {
  if (!fs.existsSync(file)) return null;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SavedClock>;
  if (
    typeof parsed.offset_ms !== 'number' ||
    typeof parsed.reached !== 'string' ||
    Number.isNaN(Date.parse(parsed.reached))
  )
    throw new Error(`${file} is not a local clock file; move it away to start the clock afresh`);
  return { offset_ms: parsed.offset_ms, reached: parsed.reached };
}

/** Written beside and renamed over the old file, so a crash leaves either the old or the new clock. */
function writeSaved(file: string, saved: SavedClock): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(saved, null, 2)}\n`);
  fs.renameSync(temporary, file);
}
